"""The One Story record: case summary, chronology, assessments, plans and visit timeliness.

Filled in by later issues; installed now so the layout of DESIGN §3 is real from the start."""
