"""Compliments, complaints, surveys and practitioner-led quality-assurance audits.

Filled in by later issues; installed now so the layout of DESIGN §3 is real from the start."""
