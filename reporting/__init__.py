"""KPI definitions, monthly monitoring reports, dashboards and exports.

Filled in by later issues; installed now so the layout of DESIGN §3 is real from the start."""
