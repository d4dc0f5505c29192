"""A small authority for the statutory returns of 2025/26 (1 April 2025 to 31 March 2026),
recorded the way the app records it: referrals, allocations, statuses and their ends through
families.services, assessments through onestory.assessments, meetings booked and held through
scheduling.services. The facts no service records yet are written on the rows the forms will
fill (placements, missing episodes, health outcomes, leavers' contact, adoption; an
assessment's authorisation date and factors, which the sign-off service stamps with today).

The children, each with what the returns should say of them:

- Amy Ashby: a child in need. Referred by her school on 1 May 2025, assessed (authorised
  10 June, factor 1B), on a CIN plan from 11 June 2025, still open.
- Ben Brook: a strategy discussion on 12 June 2025 (section 47, conference needed), the ICPC
  on 30 June, a CP plan (neglect) from that day with a review conference on 29 September.
- Cara Carr: looked after from 10 January 2025 under an interim care order (C1), a full care
  order (C2) from 1 July 2025; fostered (U6) then moved on 15 September 2025 to long-term
  foster carers (U4); a child in care review on 21 July 2025 where she spoke for herself (PN1);
  missing for two days in October; health outcomes for the year.
- Dan Dale: a care leaver, 19 on 20 August 2025, in care until his 18th birthday; his contact
  around his birthday this year (OC3). His family's episode closed in 2024.
- Eve Elm: looked after since May 2023, placed for adoption (A6) in February 2025 and
  adopted on 10 September 2025 (E11): placed_for_adoption and AD1. Her family stays open
  for her brother Ed.
- Finn Fox: came into care (V2, accommodated by agreement) on 20 August 2025, having had a
  special guardianship order (P2) made by this council in 2019.
- Gus Gale: a referral on 1 October 2025 that led to no further action, closed the next day.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from families import services as family_services
from families.models import (
    Adoption,
    CareLeaverContact,
    ChildStatus,
    Family,
    FamilyMember,
    HealthOutcomes,
    MissingEpisode,
    Person,
    Placement,
)
from families.services import PersonDetails
from onestory import assessments
from pods.models import Team, Worker
from scheduling import services as scheduling_services
from scheduling.models import Appointment, ReviewParticipation
from tests.factories import make_team, make_worker

YEAR = 2026
D = datetime.date
CHILD = FamilyMember.Relationship.CHILD
MOTHER = FamilyMember.Relationship.MOTHER
LA = ChildStatus.Kind.LOOKED_AFTER
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(digits: str) -> str:
    """A valid UPN for this council (846) from 9 more digits: the check letter (CIN 1510)
    computed over the twelve that follow it."""
    rest = f"846{digits}"
    assert len(rest) == 12
    total = sum(int(char) * weight for char, weight in zip(rest, range(2, 14), strict=True))
    return UPN_LETTERS[total % 23] + rest


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@dataclass
class SmallAuthority:
    amy: Person
    ben: Person
    cara: Person
    dan: Person
    eve: Person
    ed: Person
    finn: Person
    gus: Person
    families: dict[str, Family]
    recorder: "_Recorder"  # to record more in the same authority
    pod: Team
    social_worker: Worker
    other_worker: Worker


class _Recorder:
    def __init__(self):
        make_team(name="Front Door for Families", kind=Team.Kind.FRONT_DOOR)
        self.pod = make_team(name="Oak Pod")
        self.manager = make_worker(role=Worker.Role.POD_MANAGER, team=self.pod)
        self.worker = make_worker(role=Worker.Role.SOCIAL_WORKER, team=self.pod)
        self.other_worker = make_worker(role=Worker.Role.SOCIAL_WORKER, team=self.pod)
        reviewing = make_team(name="Reviewing Officers", kind=Team.Kind.SPECIALIST)
        self.chair = make_worker(role=Worker.Role.REVIEWING_OFFICER, team=reviewing)

    def refer(self, name, *, received, source, children, postcode="BN1 1AA", adult=True):
        people = [PersonDetails(**child, relationship=CHILD) for child in children]
        if adult:
            people.append(PersonDetails(first_name="Parent", last_name=name, relationship=MOTHER))
        outcome = family_services.family_refer(
            display_name=f"{name} family", received=received, source=source,
            reason="Worried about the children", people=people,
            recorded_by=self.worker.user, postcode=postcode,
        )  # fmt: skip
        family = outcome.family
        family_services.family_allocate(
            family=family, team=self.pod, worker=self.worker, start=received
        )
        found = {m.person.first_name: m.person for m in family.members.select_related("person")}
        return family, found

    def assess(self, family, *, started, authorised, factors, primary_need="N1"):
        assessment = assessments.assessment_start(
            family=family, started=started, author=self.worker.user
        )
        assessments.assessment_save(assessment=assessment, sections={"analysis": "Reasons"})
        assessments.assessment_complete(
            assessment=assessment, outcome="cin_plan", completed=authorised,
            primary_need=primary_need,
        )  # fmt: skip
        assessments.assessment_sign_off(assessment=assessment, by=self.manager.user,
                                        factors=factors)  # fmt: skip
        # The sign-off service stamps the moment it is called; this one was in the year.
        assessment.refresh_from_db()
        assessment.signed_off = at(authorised, 16)
        assessment.save()
        return assessment

    def meeting(self, family, kind, day, *, children=(), outcome=""):
        chaired = kind in Appointment.CHAIRED_KINDS
        appointment = scheduling_services.appointment_book(
            kind=kind, start=at(day), end=at(day, 11), by=self.worker.user, family=family,
            worker=self.worker, chair=self.chair if chaired else None, children=children,
            late_reason="The story of the test needs it then", allow_clashes=True,
        )  # fmt: skip
        return scheduling_services.appointment_held(
            appointment=appointment, by=self.worker.user, outcome=outcome,
            late_reason="The story of the test needs it then",
        )  # fmt: skip

    def status(self, family, person, kind, start, **facts):
        return family_services.child_status_start(
            family=family, person=person, kind=kind, start=start, **facts
        )

    def placement(self, family, person, start, end=None, **facts):
        facts = {"provider": "PR1", "urn": "XXXXXXX", **facts}
        return Placement.objects.create(family=family, person=person, start=start, end=end, **facts)


def build_small_authority() -> SmallAuthority:
    r = _Recorder()

    ashby, people = r.refer(
        "Ashby", received=D(2025, 5, 1), source="school",
        children=[dict(first_name="Amy", last_name="Ashby", date_of_birth=D(2015, 3, 10),
                       gender="female", ethnicity="WBRI", upn=upn("251012345"),
                       disabilities=("NONE",))],
    )  # fmt: skip
    amy = people["Amy"]
    r.assess(ashby, started=D(2025, 5, 2), authorised=D(2025, 6, 10), factors=["1B"],
             primary_need="N2")  # fmt: skip
    r.status(ashby, amy, ChildStatus.Kind.CIN_PLAN, D(2025, 6, 11))

    brook, people = r.refer(
        "Brook", received=D(2025, 6, 1), source="police",
        children=[dict(first_name="Ben", last_name="Brook", date_of_birth=D(2018, 2, 2),
                       gender="male", ethnicity="MWBC", upn=upn("251054321"),
                       disabilities=("NONE",))],
    )  # fmt: skip
    ben = people["Ben"]
    r.assess(brook, started=D(2025, 6, 2), authorised=D(2025, 6, 27), factors=["3B", "16A"])
    r.meeting(brook, Appointment.Kind.STRATEGY_DISCUSSION, D(2025, 6, 12), children=[ben],
              outcome=Appointment.Outcome.CONFERENCE)  # fmt: skip
    r.meeting(brook, Appointment.Kind.ICPC, D(2025, 6, 30), children=[ben])
    r.status(brook, ben, ChildStatus.Kind.CP_PLAN, D(2025, 6, 30), cp_category="neglect",
             previous_cp_plans=0)  # fmt: skip
    r.meeting(brook, Appointment.Kind.RCPC, D(2025, 9, 29), children=[ben])

    carr, people = r.refer(
        "Carr", received=D(2024, 11, 1), source="health_visitor",
        children=[dict(first_name="Cara", last_name="Carr", date_of_birth=D(2012, 3, 4),
                       gender="female", ethnicity="BCRB", upn=upn("251077777"),
                       disabilities=("NONE",))],
    )  # fmt: skip
    cara = people["Cara"]
    _referral_facts(carr, primary_need="N1")
    first = r.status(carr, cara, LA, D(2025, 1, 10), legal_status="C1", care_need="N1",
                     previous_permanence="Z1")  # fmt: skip
    family_services.child_status_end(status=first, end=D(2025, 6, 30), next_legal_status="C2")
    r.placement(carr, cara, D(2025, 1, 10), D(2025, 9, 14), place="U6", postcode="BN1 1AB",
                change_reason="CARPL")  # fmt: skip
    r.placement(carr, cara, D(2025, 9, 15), place="U4", postcode="BN1 1AD")
    review = r.meeting(carr, Appointment.Kind.CIC_REVIEW, D(2025, 7, 21), children=[cara])
    ReviewParticipation.objects.create(appointment=review, person=cara, code="PN1")
    MissingEpisode.objects.create(
        family=carr, person=cara, kind="M", start=D(2025, 10, 3), end=D(2025, 10, 4)
    )
    HealthOutcomes.objects.create(
        family=carr, person=cara, year=YEAR, sdq_score=14, convicted=False,
        immunisations=True, teeth_check=True, health_assessment=True, substance_misuse=False,
    )  # fmt: skip

    dale, people = r.refer(
        "Dale", received=D(2020, 5, 1), source="police",
        children=[dict(first_name="Dan", last_name="Dale", date_of_birth=D(2006, 8, 20),
                       gender="male", ethnicity="WBRI", upn=upn("200011111"),
                       disabilities=("NONE",))],
    )  # fmt: skip
    dan = people["Dan"]
    care = r.status(dale, dan, LA, D(2020, 6, 1), legal_status="C2", care_need="N1",
                    previous_permanence="Z1")  # fmt: skip
    r.placement(dale, dan, D(2020, 6, 1), D(2024, 8, 19), place="U4", postcode="BN1 1AB")
    family_services.child_status_end(status=care, end=D(2024, 8, 19), care_ended="E5")
    family_services.episode_close(family=dale, end=D(2024, 9, 30), reason="turned_eighteen")
    CareLeaverContact.objects.create(
        family=dale, person=dan, year=YEAR, in_touch="YES", activity="F2", accommodation="E1"
    )

    elm, people = r.refer(
        "Elm", received=D(2023, 4, 3), source="police",
        children=[dict(first_name="Eve", last_name="Elm", date_of_birth=D(2021, 4, 1),
                       gender="female", ethnicity="WOTH", upn="",
                       upn_unknown="UN1", disabilities=("NONE",)),
                  dict(first_name="Ed", last_name="Elm", date_of_birth=D(2016, 1, 5),
                       gender="male", ethnicity="WOTH", upn=upn("231044444"),
                       disabilities=("NONE",))],
    )  # fmt: skip
    eve, ed = people["Eve"], people["Ed"]
    _referral_facts(elm, primary_need="N1")
    care = r.status(elm, eve, LA, D(2023, 5, 1), legal_status="C2", care_need="N1",
                    previous_permanence="Z1")  # fmt: skip
    family_services.child_status_end(status=care, end=D(2024, 5, 31), next_legal_status="E1")
    r.placement(elm, eve, D(2023, 5, 1), D(2025, 2, 14), place="U6", postcode="BN1 1AB",
                change_reason="CARPL")  # fmt: skip
    r.placement(elm, eve, D(2025, 2, 15), D(2025, 9, 9), place="A6", postcode="BN1 1AE")
    placed = ChildStatus.objects.get(person=eve, end__isnull=True)
    family_services.child_status_end(status=placed, end=D(2025, 9, 9), care_ended="E11")
    Adoption.objects.create(
        family=elm, person=eve, decided=D(2024, 3, 1), matched=D(2025, 2, 1),
        by_foster_carers=False, adopters=2, adopters_sex="MF", adopters_legal_status="L11",
    )  # fmt: skip

    fox, people = r.refer(
        "Fox", received=D(2025, 8, 1), source="school",
        children=[dict(first_name="Finn", last_name="Fox", date_of_birth=D(2011, 11, 23),
                       gender="male", ethnicity="WIRI", upn=upn("251066666"),
                       disabilities=("NONE",))],
    )  # fmt: skip
    finn = people["Finn"]
    _referral_facts(fox, primary_need="N4")
    r.status(fox, finn, LA, D(2025, 8, 20), legal_status="V2", care_need="N4",
             previous_permanence="P2", previous_permanence_council="846",
             previous_permanence_date=D(2019, 5, 5))  # fmt: skip
    r.placement(fox, finn, D(2025, 8, 20), place="U6", postcode="BN1 1AE")

    gale, people = r.refer(
        "Gale", received=D(2025, 10, 1), source="anonymous",
        children=[dict(first_name="Gus", last_name="Gale", date_of_birth=D(2014, 7, 7),
                       gender="male", ethnicity="NOBT", upn_unknown="UN7")],
    )  # fmt: skip
    gus = people["Gus"]
    family_services.episode_close(family=gale, end=D(2025, 10, 2), reason="no_further_action")

    return SmallAuthority(
        amy=amy, ben=ben, cara=cara, dan=dan, eve=eve, ed=ed, finn=finn, gus=gus,
        families={f.display_name.split()[0]: f for f in (ashby, brook, carr, dale, elm, fox, gale)},
        recorder=r, pod=r.pod, social_worker=r.worker, other_worker=r.other_worker,
    )  # fmt: skip


def _referral_facts(family, *, primary_need, no_further_action=False):
    referral = family.referrals.get()
    family_services.referral_update(
        referral=referral, source=referral.source, primary_need=primary_need,
        no_further_action=no_further_action,
    )  # fmt: skip


@pytest.fixture
def small_authority(db) -> SmallAuthority:
    return build_small_authority()
