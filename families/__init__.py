"""Families, people, referrals, episodes, allocations, legal status, level of need
and case visibility.

Filled in by later issues; installed now so the layout of DESIGN §3 is real from the start."""
