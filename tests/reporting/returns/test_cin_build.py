"""The CIN census built from the small authority's record (conftest.py), element by element,
then run through the DfE's validators (h1's validate, in their own virtualenv)."""

import datetime
import xml.etree.ElementTree as ET  # noqa: S405 (our own output)

import pytest
from django.conf import settings
from django.utils import timezone

from families import services as family_services
from families.models import ChildStatus
from onestory.models import Assessment
from pods.working_days import add_working_days
from reporting.returns.cin import build_cin_census
from reporting.returns.period import CollectionYear, ReturnYearNotEnded, year_of
from reporting.returns.validation import validate
from tests.reporting.returns.conftest import YEAR, _Recorder, at, upn

D = datetime.date


def parse(xml: bytes) -> ET.Element:
    return ET.fromstring(xml)  # noqa: S314 (our own output)


def child_element(root: ET.Element, person) -> ET.Element | None:
    for child in root.iter("Child"):
        if child.findtext("ChildIdentifiers/LAchildID") == person.child_id:
            return child
    return None


def texts(element: ET.Element) -> dict[str, str]:
    """The element's leaf children, name to text."""
    return {part.tag: part.text for part in element if len(part) == 0}


def test_the_header_names_the_collection_year_and_the_council(db):
    root = parse(build_cin_census(YEAR))

    assert root.tag == "Message"
    assert texts(root.find("Header/CollectionDetails")) == {
        "Collection": "CIN",
        "Year": "2026",
        "ReferenceDate": "2026-03-31",
    }
    source = texts(root.find("Header/Source"))
    assert source["SourceLevel"] == "L"
    assert source["LEA"] == settings.PODS_LA_CODE == "846"
    assert source["SoftwareCode"] == "Pods"
    assert {"Release", "SerialNo", "DateTime"} <= set(source)
    assert root.find("Children") is not None


def test_a_child_in_need_has_her_referral_assessment_and_plan(small_authority):
    amy = child_element(parse(build_cin_census(YEAR)), small_authority.amy)

    assert texts(amy.find("ChildIdentifiers")) == {
        "LAchildID": small_authority.amy.child_id,
        "UPN": small_authority.amy.upn,
        "PersonBirthDate": "2015-03-10",
        "Sex": "F",
    }
    assert amy.findtext("ChildCharacteristics/Ethnicity") == "WBRI"
    assert [d.text for d in amy.iter("Disability")] == ["NONE"]
    (details,) = amy.findall("CINdetails")
    assert texts(details) == {
        "CINreferralDate": "2025-05-01",
        "ReferralSource": "2A",
        "PrimaryNeedCode": "N2",
        "ReferralNFA": "0",
    }
    (assessment,) = details.findall("Assessments")
    assert texts(assessment) == {
        "AssessmentActualStartDate": "2025-05-02",
        "AssessmentAuthorisationDate": "2025-06-10",
    }
    assert [f.text for f in assessment.iter("AssessmentFactors")] == ["1B"]
    (plan,) = details.findall("CINPlanDates")
    assert texts(plan) == {"CINPlanStartDate": "2025-06-11"}
    assert details.findall("Section47") == details.findall("ChildProtectionPlans") == []


def test_a_section_47_leads_to_an_icpc_and_a_cp_plan_with_its_review(small_authority):
    ben = child_element(parse(build_cin_census(YEAR)), small_authority.ben)

    (details,) = ben.findall("CINdetails")
    # The ICPC is the section 47's, never also at CINdetails level (rule 2884).
    assert details.find("DateOfInitialCPC") is None
    (s47,) = details.findall("Section47")
    assert texts(s47) == {
        "S47ActualStartDate": "2025-06-12",
        "InitialCPCtarget": add_working_days(D(2025, 6, 12), 15).isoformat(),
        "DateOfInitialCPC": "2025-06-30",
        "ICPCnotRequired": "0",
    }
    (plan,) = details.findall("ChildProtectionPlans")
    assert texts(plan) == {
        "CPPstartDate": "2025-06-30",
        "InitialCategoryOfAbuse": "NEG",
        "LatestCategoryOfAbuse": "NEG",
        "NumberOfPreviousCPP": "0",
    }
    assert [r.findtext("CPPreviewDate") for r in plan.findall("Reviews")] == ["2025-09-29"]
    assert [f.text for f in details.iter("AssessmentFactors")] == ["3B", "16A"]


def test_a_referral_that_led_to_no_further_action_is_closed_rc7_with_nfa(small_authority):
    gus = child_element(parse(build_cin_census(YEAR)), small_authority.gus)

    assert gus.findtext("ChildIdentifiers/UPNunknown") == "UN7"
    assert gus.find("ChildIdentifiers/UPN") is None
    assert gus.find("ChildCharacteristics/Disabilities") is None
    (details,) = gus.findall("CINdetails")
    # RC8 is "closed after assessment" (8825Q); the front door's NFA had none.
    assert texts(details) == {
        "CINreferralDate": "2025-10-01",
        "ReferralSource": "9",
        "CINclosureDate": "2025-10-02",
        "ReasonForClosure": "RC7",
        "ReferralNFA": "1",
    }
    assert len(details) == len(texts(details))  # nothing else: no assessment, no plan


def test_children_in_care_are_in_need_with_their_familys_episode(small_authority):
    root = parse(build_cin_census(YEAR))

    cara = child_element(root, small_authority.cara)
    (details,) = cara.findall("CINdetails")
    assert details.findtext("CINreferralDate") == "2024-11-01"  # carried in, open at 1 April
    assert details.find("CINclosureDate") is None
    # Eve was adopted, but her family stays open for her brother: both are its children.
    assert child_element(root, small_authority.eve) is not None
    assert child_element(root, small_authority.ed) is not None
    assert child_element(root, small_authority.finn) is not None


def test_an_episode_closed_before_the_year_is_left_out(small_authority):
    root = parse(build_cin_census(YEAR))

    assert child_element(root, small_authority.dan) is None  # closed 30 September 2024
    everyone = {c.findtext("ChildIdentifiers/LAchildID") for c in root.iter("Child")}
    a = small_authority
    assert everyone == {p.child_id for p in (a.amy, a.ben, a.cara, a.eve, a.ed, a.finn, a.gus)}


def test_what_finished_before_the_year_is_left_out_and_what_is_after_it_is_not_yet(db):
    r = _Recorder()
    family, people = r.refer(
        "Hale", received=D(2025, 2, 3), source="gp",
        children=[dict(first_name="Hal", last_name="Hale", date_of_birth=D(2019, 9, 9),
                       gender="male", ethnicity="WBRI", disabilities=("NONE",))],
    )  # fmt: skip
    hal = people["Hal"]
    r.assess(family, started=D(2025, 2, 4), authorised=D(2025, 3, 20), factors=["2B"])
    later = r.assess(family, started=D(2026, 3, 2), authorised=D(2026, 4, 8), factors=["2B"])
    r.meeting(family, "strategy_discussion", D(2025, 3, 3), children=[hal],
              outcome="no_conference")  # fmt: skip
    plan = r.status(family, hal, ChildStatus.Kind.CIN_PLAN, D(2025, 3, 21))
    family_services.child_status_end(status=plan, end=D(2025, 3, 31))
    r.status(family, hal, ChildStatus.Kind.CIN_PLAN, D(2026, 3, 10))

    (details,) = child_element(parse(build_cin_census(YEAR)), hal).findall("CINdetails")

    assert details.findtext("CINreferralDate") == "2025-02-03"
    # The assessment authorised on 20 March 2025 and the enquiry with no conference that
    # ended at its discussion were last year's; the one authorised in April 2026 was not
    # yet authorised at the reference date, so it goes in without a date or factors.
    (assessment,) = details.findall("Assessments")
    assert texts(assessment) == {"AssessmentActualStartDate": "2026-03-02"}
    assert Assessment.objects.get(pk=later.pk).factors == ["2B"]
    assert details.findall("Section47") == []
    assert [texts(p) for p in details.findall("CINPlanDates")] == [
        {"CINPlanStartDate": "2026-03-10"}
    ]


def test_it_refuses_a_year_that_has_not_ended(db):
    with pytest.raises(ReturnYearNotEnded) as refused:
        CollectionYear(2027).check_ended(D(2027, 3, 31))
    assert str(refused.value) == (
        "The 2026/27 collection year ends on 31 March 2027: "
        "its returns can be built from 1 April 2027."
    )
    assert isinstance(refused.value, ValueError)

    this_year = year_of(timezone.localdate())
    with pytest.raises(ReturnYearNotEnded, match=f"The {this_year.label} collection year"):
        build_cin_census(this_year.year)


def test_the_census_is_built_in_six_queries_whatever_the_number_of_children(
    small_authority, django_assert_max_num_queries
):
    # Episodes with their referrals; the children of those families; their assessments;
    # CIN and CP plans; held strategy discussions, ICPCs and RCPCs; those meetings' children.
    with django_assert_max_num_queries(6):
        build_cin_census(YEAR)


def test_the_census_validates_with_no_errors(small_authority):
    result = validate(year=YEAR, cin_xml=build_cin_census(YEAR), ssda903=None,
                      ssda903_previous=None)  # fmt: skip

    assert result.errors == ()
    # The one query left: 2887Q counts NONE entries and fires on any return with fewer than
    # 8 of them (a validator fault, spec §5), so on every small authority.
    assert {(issue.rule, issue.child) for issue in result.queries} == {("2887Q", None)}


def test_a_cp_plan_starting_before_its_referral_is_found_against_that_child(small_authority):
    plan = ChildStatus.objects.get(person=small_authority.ben, kind=ChildStatus.Kind.CP_PLAN)
    plan.start = D(2025, 5, 20)  # the service refuses this; imported records may hold it
    plan.save()

    result = validate(year=YEAR, cin_xml=build_cin_census(YEAR), ssda903=None,
                      ssda903_previous=None)  # fmt: skip

    flagged = {(i.rule, i.child, i.table) for i in result.errors}
    ben = small_authority.ben.child_id
    assert {("1105", ben, "ChildProtectionPlans"), ("1105", ben, "CINdetails")} <= flagged
    assert {i.child for i in result.errors} == {ben}
    (message,) = {i.message for i in result.errors if i.rule == "1105"}
    assert message == "The child protection plan start date cannot be before the referral date"


def test_the_icpc_target_is_the_clocks_due_date(small_authority):
    """InitialCPCtarget is the ICPC's deadline as the scheduling clock gave it on booking."""
    ben = child_element(parse(build_cin_census(YEAR)), small_authority.ben)
    icpc = small_authority.families["Brook"].appointments.get(kind="icpc")

    assert ben.findtext("CINdetails/Section47/InitialCPCtarget") == icpc.due.isoformat()
    assert timezone.localtime(icpc.start).date() == D(2025, 6, 30) == at(D(2025, 6, 30)).date()


def test_a_collection_year_runs_from_1_april_to_31_march_and_is_named_by_both_years():
    year = CollectionYear(2026)

    assert (year.start, year.end, year.label) == (D(2025, 4, 1), D(2026, 3, 31), "2025/26")
    assert not year.ended(D(2026, 3, 31)) and year.ended(D(2026, 4, 1))
    assert year_of(D(2025, 4, 1)) == year_of(D(2026, 3, 31)) == year
    assert year_of(D(2026, 4, 1)) == CollectionYear(2027)


def test_an_icpc_no_enquiry_led_to_is_at_cindetails_level_and_an_enquiry_may_need_none(
    small_authority,
):
    """A strategy discussion deciding no conference is needed is a section 47 with
    ICPCnotRequired 1; a conference held later with no enquiry before it (a transfer in) is
    the CINdetails' DateOfInitialCPC, where the plan's start finds it (2885), never both."""
    r = small_authority.recorder
    family, people = r.refer(
        "Jones", received=D(2025, 7, 1), source="other_authority",
        children=[dict(first_name="Jo", last_name="Jones", date_of_birth=D(2017, 5, 5),
                       gender="female", ethnicity="WBRI", upn=upn("251088888"),
                       disabilities=("NONE",))],
    )  # fmt: skip
    jo = people["Jo"]
    r.assess(family, started=D(2025, 7, 1), authorised=D(2025, 7, 11), factors=["16A"])
    r.meeting(family, "strategy_discussion", D(2025, 7, 2), children=[jo],
              outcome="no_conference")  # fmt: skip
    r.meeting(family, "icpc", D(2025, 7, 14), children=[jo])
    r.status(family, jo, ChildStatus.Kind.CP_PLAN, D(2025, 7, 14), cp_category="neglect",
             previous_cp_plans=1)  # fmt: skip
    xml = build_cin_census(YEAR)

    (details,) = child_element(parse(xml), jo).findall("CINdetails")
    assert details.findtext("DateOfInitialCPC") == "2025-07-14"
    (s47,) = details.findall("Section47")
    assert texts(s47) == {
        "S47ActualStartDate": "2025-07-02",
        "InitialCPCtarget": add_working_days(D(2025, 7, 2), 15).isoformat(),
        "ICPCnotRequired": "1",
    }
    assert details.findtext("ChildProtectionPlans/NumberOfPreviousCPP") == "1"
    result = validate(year=YEAR, cin_xml=xml, ssda903=None, ssda903_previous=None)
    assert [i for i in result.errors if i.child == jo.child_id] == []
