"""Practitioner-led quality-assurance audits: the quarterly sample, moderation, results."""
