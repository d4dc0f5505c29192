"""Families fixtures: a front door, a family referred and allocated to the Oak Pod social
worker, and workers placed to test who may see it."""

import datetime

import pytest

from families import services
from families.models import FamilyMember
from pods.models import Team, Worker
from tests.factories import make_team, make_worker

REFERRED = datetime.date(2025, 3, 3)


@pytest.fixture
def front_door(db):
    return make_team(name="Front Door for Families", kind=Team.Kind.FRONT_DOOR)


def refer(
    *,
    name="The Okafor family",
    child=("Ada", "Okafor", datetime.date(2015, 6, 1)),
    received=REFERRED,
):
    first, last, born = child
    return services.family_refer(
        display_name=name,
        received=received,
        source="school",
        reason="Ada has come to school hungry and with bruises",
        people=[
            services.PersonDetails(
                first_name=first,
                last_name=last,
                date_of_birth=born,
                relationship=FamilyMember.Relationship.CHILD,
            ),
            services.PersonDetails(
                first_name="Grace", last_name=last, relationship=FamilyMember.Relationship.MOTHER
            ),
        ],
        recorded_by=None,
    ).family


@pytest.fixture
def family(front_door, pod, social_worker):
    """Referred on REFERRED and allocated the same day to the social worker in Oak Pod."""
    family = refer()
    services.family_allocate(family=family, team=pod, worker=social_worker, start=REFERRED)
    return family


@pytest.fixture
def child(family):
    return family.members.get(relationship=FamilyMember.Relationship.CHILD).person


@pytest.fixture
def other_pod_business_support(other_pod):
    return make_worker(
        role=Worker.Role.BUSINESS_SUPPORT_OFFICER, team=other_pod, username="other-bso"
    )


@pytest.fixture
def lead_practitioner(db):
    practice = make_team(name="Practice Development", kind=Team.Kind.SPECIALIST)
    return make_worker(role=Worker.Role.LEAD_PRACTITIONER, team=practice, username="lp")
