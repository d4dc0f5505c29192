"""Feedback fixtures, shared by the complaints, compliments, surveys and audits tests. Each
helper's fixtures are in their own section."""

import datetime

import pytest

from pods.models import Team, Worker
from tests.clients import client_for
from tests.factories import make_team, make_worker
from tests.families.conftest import child, family, front_door  # noqa: F401

# --- complaints and compliments ---------------------------------------------------------------

# A Monday, so the clocks below are easy to check: stage 1 is due Mon 2 Nov 2026 (10 working
# days, no bank holiday between), and may be extended to Mon 16 Nov (20).
COMPLAINT_RECEIVED = datetime.date(2026, 10, 19)


@pytest.fixture
def complaints_officer(db):
    leadership = make_team(name="Leadership Team", kind=Team.Kind.LEADERSHIP)
    return make_worker(role=Worker.Role.COMPLAINTS_OFFICER, team=leadership, username="co")


@pytest.fixture
def complaints_officer_client(complaints_officer):
    return client_for(complaints_officer)


@pytest.fixture
def complaint_themes(db):
    """The seeded complaint themes (the data migration's; made again after a flush)."""
    from feedback.models import Theme

    for order, name in enumerate(
        ("Calls to the social worker not answered", "Delays in paperwork"), start=1
    ):
        Theme.objects.get_or_create(
            used_for=Theme.For.COMPLAINTS, name=name, defaults={"order": order}
        )
    return list(Theme.objects.filter(used_for=Theme.For.COMPLAINTS))


@pytest.fixture
def family_complaint(family, social_worker, pod, complaints_officer, complaint_themes):  # noqa: F811
    """A parent's stage 1 complaint about the Oak Pod family and its social worker."""
    from feedback.complaints import services

    return services.complaint_record(
        received=COMPLAINT_RECEIVED,
        received_by="phone",
        from_kind="parent",
        from_name="Grace Okafor",
        from_address="12 Acacia Road\nBrightwater\nBW1 2AB",
        family=family,
        worker=social_worker,
        team=pod,
        summary="Nobody called me back for three weeks about the meeting.",
        themes=complaint_themes[:1],
        by=complaints_officer.user,
    )
