"""Families from referral to closure: people, referrals, episodes, allocations, child status,
level of need, professionals, and who may see a family (guardian grants and the access log)."""
