"""The demo authority's reporting data: ``returns`` fills in the statutory returns' coded facts
on what the earlier demo builders wrote (seed_demo's DEMO_BUILDERS)."""
