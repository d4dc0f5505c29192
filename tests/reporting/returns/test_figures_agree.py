"""The figures agree: children in need, on child protection plans and looked after at
31 March 2026, counted from the built returns, equal the KPI registry's figures for March 2026
on the small authority (conftest.py), with a family whose episode, CP plan and care all end on
31 March itself and a child whose care ended the day before, where the two could part.

How each is counted from the returns, and which KPI it matches (both count inclusive ends:
a record ending on 31 March was current on 31 March):

- **In need at 31 March** = children (distinct LAchildID) with a CINdetails whose
  CINclosureDate is blank or is 31 March. The KPI it matches is ``open_children``, "every person
  recorded as a child of an open family" at the month end: the census has one CINdetails per
  child of each family episode, so the two agree while each child is in one open family (the
  KPI counts a child in two open families twice) and every child of an open family is born by
  31 March (the census leaves out a child born later; an unborn child with an expected date
  is in both). The registry has no DfE "children in need" KPI of its own; ``open_children``'s
  docstring says as much.
- **On a CP plan at 31 March** = children with a ChildProtectionPlans whose CPPendDate is blank
  or is 31 March; KPI ``cp_children``.
- **Looked after at 31 March** = children with an SSDA903 episode with no DEC (DEC is the day
  after care's last day, left blank when that is after 31 March); KPI ``children_in_care``
  (unaccompanied asylum-seeking children included in both).
"""

import csv
import datetime
import io
import xml.etree.ElementTree as ET  # noqa: S405 (our own output)

from families import services as family_services
from families.models import ChildStatus
from reporting.kpis import REGISTRY, Period, Scope
from reporting.returns.cin import build_cin_census
from reporting.returns.ssda903 import build_ssda903
from tests.reporting.returns.conftest import YEAR

D = datetime.date
MARCH_31 = "2026-03-31"


def in_need(root) -> set[str]:
    return {
        child.findtext("ChildIdentifiers/LAchildID")
        for child in root.iter("Child")
        for details in child.findall("CINdetails")
        if details.findtext("CINclosureDate") in (None, MARCH_31)
    }


def on_cp_plans(root) -> set[str]:
    return {
        child.findtext("ChildIdentifiers/LAchildID")
        for child in root.iter("Child")
        for plan in child.iter("ChildProtectionPlans")
        if plan.findtext("CPPendDate") in (None, MARCH_31)
    }


def looked_after(files) -> set[str]:
    episodes = csv.DictReader(io.StringIO(files["episodes.csv"].decode("utf-8")))
    return {row["CHILD"] for row in episodes if not row["DEC"]}


def kpi(key: str) -> int:
    return REGISTRY[key].value(Period(2026, 3), Scope.authority())


def record_a_family_whose_episode_ends_on_31_march(r):
    """Ivy's CP plan, Jay's care and the family's episode end on 31 March 2026 (all current
    that day); Kit's care ended on 30 March."""
    family, people = r.refer(
        "Ivory", received=D(2025, 4, 10), source="police",
        children=[dict(first_name=name, last_name="Ivory", date_of_birth=born, gender="female",
                       ethnicity="WBRI", disabilities=("NONE",))
                  for name, born in (("Ivy", D(2016, 1, 1)), ("Jay", D(2013, 2, 2)),
                                     ("Kit", D(2011, 3, 3)))],
    )  # fmt: skip
    plan = r.status(family, people["Ivy"], ChildStatus.Kind.CP_PLAN, D(2025, 5, 5),
                    cp_category="physical", previous_cp_plans=0)  # fmt: skip
    family_services.child_status_end(status=plan, end=D(2026, 3, 31))
    for name, last_day in (("Jay", D(2026, 3, 31)), ("Kit", D(2026, 3, 30))):
        care = r.status(family, people[name], ChildStatus.Kind.LOOKED_AFTER, D(2025, 6, 1),
                        legal_status="V2", care_need="N4", previous_permanence="Z1")  # fmt: skip
        r.placement(family, people[name], D(2025, 6, 1), last_day, place="U6",
                    postcode="BN1 1AF")  # fmt: skip
        family_services.child_status_end(status=care, end=last_day, care_ended="E4A")
    family_services.episode_close(family=family, end=D(2026, 3, 31), reason="needs_met")
    return {name: people[name] for name in ("Ivy", "Jay", "Kit")}  # not their mother


def test_children_in_need_on_plans_and_in_care_at_31_march_agree_with_the_kpis(
    small_authority,
):
    ivory = record_a_family_whose_episode_ends_on_31_march(small_authority.recorder)
    census = ET.fromstring(build_cin_census(YEAR))  # noqa: S314 (our own output)
    ssda903 = build_ssda903(YEAR)
    a = small_authority

    ids = lambda *people: {p.child_id for p in people}  # noqa: E731
    assert in_need(census) == ids(a.amy, a.ben, a.cara, a.eve, a.ed, a.finn, *ivory.values())
    assert on_cp_plans(census) == ids(a.ben, ivory["Ivy"])
    assert looked_after(ssda903) == ids(a.cara, a.finn, ivory["Jay"])

    assert kpi("open_children") == len(in_need(census)) == 9
    assert kpi("cp_children") == len(on_cp_plans(census)) == 2
    assert kpi("children_in_care") == len(looked_after(ssda903)) == 3
