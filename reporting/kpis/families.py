"""KPIs of families and children: who is open to the service, on a plan, in care, in
proceedings."""

from __future__ import annotations

from families.models import ChildStatus
from reporting.kpis.base import AUTHORITY, CURRENT, OPEN_FAMILIES, TEAM, Series, kpi


def _open_children(series: Series, counted: str) -> list[tuple]:
    join, scope = series.held("o.family_id", "o.month_end")
    return series.rows(
        f"WITH {series.months}, {OPEN_FAMILIES} "
        f"SELECT o.month_start, {scope}, COUNT(DISTINCT {counted}) FROM open_families o{join} "
        "JOIN families_familymember fm ON fm.family_id = o.family_id "
        "AND fm.relationship = 'child' GROUP BY 1, 2"
    )


@kpi("open_children", "Open children", "children", published="open_children")
def open_children(series: Series) -> list[tuple]:
    """Children in families with an episode open at the month end: every person recorded as a
    child of an open family, whether or not they have a plan or status of their own (a child
    in two open families counts in each); for a team or worker, the families they hold at the
    month end. This is not the DfE's count of children in need, which counts each child with
    an episode of their own."""
    return _open_children(series, "fm.id")


@kpi("open_families", "Open families", "families", published="open_families")
def open_families(series: Series) -> list[tuple]:
    """Families with an episode open at the month end (held by the team or worker then)."""
    join, scope = series.held("o.family_id", "o.month_end")
    return series.rows(
        f"WITH {series.months}, {OPEN_FAMILIES} "
        f"SELECT o.month_start, {scope}, COUNT(DISTINCT o.family_id) FROM open_families o{join} "
        "GROUP BY 1, 2"
    )


def _children_with_status(series: Series, kind: str, *, uasc: bool | None = None) -> list:
    join, scope = series.held("s.family_id", "m.month_end")
    only = "" if uasc is None else f" AND s.uasc = {'true' if uasc else 'false'}"
    return series.rows(
        f"WITH {series.months} SELECT m.month_start, {scope}, COUNT(DISTINCT s.person_id) "
        f"FROM months m JOIN families_childstatus s ON s.kind = %(kind)s "
        f"AND {CURRENT('s', 'm.month_end')}{only}{join} GROUP BY 1, 2",
        kind=kind,
    )


@kpi("cp_children", "Children on child protection plans", "children", published="cp_children")
def cp_children(series: Series) -> list[tuple]:
    """Children with a child protection plan at the month end."""
    return _children_with_status(series, ChildStatus.Kind.CP_PLAN)


@kpi("children_in_care", "Children in care", "children", published="children_in_care")
def children_in_care(series: Series) -> list[tuple]:
    """Children looked after at the month end, unaccompanied asylum-seeking children included."""
    return _children_with_status(series, ChildStatus.Kind.LOOKED_AFTER)


@kpi(
    "children_in_care_excl_uasc",
    "Children in care, excluding UASC",
    "children",
    published="children_in_care_excl_uasc",
)
def children_in_care_excl_uasc(series: Series) -> list[tuple]:
    """Children looked after at the month end whose looked-after status is not marked as an
    unaccompanied asylum-seeking child's."""
    return _children_with_status(series, ChildStatus.Kind.LOOKED_AFTER, uasc=False)


def _care_proceedings(series: Series, counted: str) -> list[tuple]:
    join, scope = series.held("s.family_id", "s.start")
    return series.rows(
        f"WITH {series.months} SELECT m.month_start, {scope}, COUNT(DISTINCT {counted}) "
        "FROM months m JOIN families_childstatus s ON s.kind = %(kind)s "
        "AND s.start BETWEEN (m.month_start - interval '2 months')::date AND m.month_end"
        f"{join} GROUP BY 1, 2",
        kind=ChildStatus.Kind.CARE_PROCEEDINGS,
    )


@kpi("care_applications_in_quarter", "Care applications in the quarter", "applications",
     scopes=(AUTHORITY, TEAM), published="care_applications_in_quarter")  # fmt: skip
def care_applications_in_quarter(series: Series) -> list[tuple]:
    """Care applications made in the three calendar months ending with the month (this month
    and the two before), as Cafcass counts them: one application for a family's care
    proceedings that began on the same day, however many children it covers; for a team, the
    families it held when they began."""
    return _care_proceedings(series, "(s.family_id, s.start)")


@kpi("children_in_care_applications", "Children in care applications in the quarter",
     "children", scopes=(AUTHORITY, TEAM))  # fmt: skip
def children_in_care_applications(series: Series) -> list[tuple]:
    """Children whose care proceedings began in the three calendar months ending with the
    month (a care application covering siblings counts each of them); for a team, the
    families it held when they began."""
    return _care_proceedings(series, "s.person_id")
