"""Compliments: recorded, counted by pod and theme, and shown to the worker they are for."""
