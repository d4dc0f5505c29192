"""Family screens, split by concept: lists and search, the family page, the journey
(allocation, status, closure, re-referral), and access (grants, restriction, the access log)."""
