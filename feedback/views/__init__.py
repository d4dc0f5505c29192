"""The feedback screens, one module per concept: complaints, compliments, surveys (and the
public page a single-use link opens), audits."""
