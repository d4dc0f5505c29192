"""Scheduling screens, split by concept."""
