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


# --- audits -------------------------------------------------------------------------------------


@pytest.fixture
def principal_social_worker(db):
    practice = make_team(name="Practice Quality", kind=Team.Kind.SPECIALIST)
    return make_worker(role=Worker.Role.PRINCIPAL_SOCIAL_WORKER, team=practice, username="psw")


@pytest.fixture
def psw_client(principal_social_worker):
    return client_for(principal_social_worker)


@pytest.fixture
def auditor(other_pod):
    """A social worker in Ash Pod, outside the Oak Pod family's pod."""
    return make_worker(role=Worker.Role.SOCIAL_WORKER, team=other_pod, username="auditor")


@pytest.fixture
def auditor_client(auditor):
    return client_for(auditor)


@pytest.fixture
def sampled_audit(family, pod, pod_manager, principal_social_worker):  # noqa: F811
    """This quarter's programme, drawn with one family a pod: the Oak Pod family's audit."""
    from django.utils import timezone

    from feedback.audits import sampling, services

    year, quarter = sampling.quarter_of(timezone.localdate())
    programme = services.programme_draw(
        year=year, quarter=quarter, per_pod=1, by=principal_social_worker.user
    )
    return programme.audits.get(family=family)


@pytest.fixture
def assigned_audit(sampled_audit, auditor, pod_manager):
    from feedback.audits import services

    return services.audit_assign(
        audit=sampled_audit, auditor=auditor, self_audit=False, by=pod_manager.user
    )


def audit_grades(grade=2):
    """Every area graded ``grade`` with a comment, as the services take them."""
    from feedback.audits.services import AreaGrade
    from feedback.models.audits import AREAS

    return [AreaGrade(area=area.value, grade=grade, comment="Seen in the record") for area in AREAS]


@pytest.fixture
def submitted_audit(assigned_audit, auditor):
    from django.utils import timezone

    from feedback.audits import services

    return services.audit_record(
        audit=assigned_audit,
        grades=audit_grades(),
        overall=2,
        findings="The child's voice is clear throughout.",
        learning="Keep the chronology up to date after visits.",
        actions=[
            services.ActionDraft(
                text="Update the plan with the school's view",
                due=timezone.localdate() + datetime.timedelta(days=14),
            )
        ],
        submit=True,
        by=auditor.user,
    )


# --- surveys ------------------------------------------------------------------------------------

SURVEY_TOKEN = "a-parents-token-made-for-the-tests-0000000000"


@pytest.fixture
def instruments(db):
    """The four instruments of the data migration (made again after a transactional test's
    flush), by slug."""
    import importlib

    from django.apps import apps

    from feedback.models import Instrument

    importlib.import_module("feedback.migrations.0003_surveys_instruments").create(apps, None)
    return {instrument.slug: instrument for instrument in Instrument.objects.all()}


def make_wave(instrument, owner, *, name="Autumn", team=None, opens=None, closes=None):
    from django.utils import timezone

    from feedback.surveys import services

    today = timezone.localdate()
    return services.wave_create(
        instrument=instrument,
        name=name,
        opens=opens or today - datetime.timedelta(days=3),
        closes=closes or today + datetime.timedelta(days=10),
        who_is_asked="The people the tests ask",
        owner=owner.user,
        team=team,
    )


def make_link(wave, *, token, email="parent@example.com", family=None, worker=None):  # noqa: F811
    from feedback.models import SurveyLink
    from feedback.surveys import links

    return SurveyLink.objects.create(
        wave=wave,
        token_hash=links.token_hash(token),
        email=email,
        family=family,
        worker=worker,
        created_by=wave.owner,
    )


@pytest.fixture
def parents_wave(instruments, senior_leader):
    return make_wave(instruments["parents-telephone-interview"], senior_leader, name="Autumn")


@pytest.fixture
def staff_wave(instruments, senior_leader, pod):
    return make_wave(instruments["your-voice"], senior_leader, name="Your Voice now", team=pod)


@pytest.fixture
def parent_link(parents_wave, family):  # noqa: F811
    return make_link(parents_wave, token=SURVEY_TOKEN, family=family)


def scale_answers(instrument, value=4, **overrides) -> dict:
    """A form's POST data: every scale statement answered ``value`` (overrides by code)."""
    data = {s.code: str(value) for s in instrument.statements.filter(kind="scale")}
    data.update({code: str(v) for code, v in overrides.items()})
    return data
