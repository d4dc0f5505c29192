"""The KPI registry: every figure the service reports, each one documented query that answers
for a range of months and a kind of scope at once (``base``), registered once with its name,
unit, direction and the scopes it supports. The monthly reports, the dashboards, the list
behind a number and the exports read this registry and nothing else.

One module per concept, each importing ``base``: ``families`` (open families, plans, care,
proceedings), ``workforce`` (caseloads, agency staff, turnover), ``continuity`` (changes of
worker, re-referrals), ``practice`` (timescales, supervision). A later issue adds its own
module (complaints, audits, surveys) and imports it here; the order of the imports is the
order of the figures in reports and dashboards."""

# isort: off
# The order of the figures: each module registers its KPIs when imported.
from reporting.kpis import families  # noqa: F401
from reporting.kpis import workforce  # noqa: F401
from reporting.kpis import continuity  # noqa: F401
from reporting.kpis import practice  # noqa: F401
from reporting.kpis import meetings  # noqa: F401
from reporting.kpis import feedback  # noqa: F401

# isort: on
from reporting.kpis.base import (
    AUTHORITY,
    KPI,
    REGISTRY,
    TEAM,
    WORKER,
    Period,
    Scope,
    Series,
    percent,
    ratio,
    scope_key,
)
from reporting.kpis.behind import children_behind

__all__ = [
    "AUTHORITY",
    "KPI",
    "REGISTRY",
    "TEAM",
    "WORKER",
    "Period",
    "Scope",
    "Series",
    "children_behind",
    "percent",
    "ratio",
    "scope_key",
]
