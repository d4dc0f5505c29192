"""1:1 supervision, weekly group supervision, reflective practice groups, decisions and actions.

Filled in by later issues; installed now so the layout of DESIGN §3 is real from the start."""
