"""Pages composed from several apps, split by concept: each role's home page (roles), the team
page (team), and the family lists and family page (families)."""
