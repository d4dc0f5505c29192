"""Factories for tests, in one place. They create through pods.services, as the app does,
so a factory-made team has its group and a factory-made membership puts the worker in it."""

import datetime
import itertools
from decimal import Decimal

from feedback.models import (
    Answer,
    Audit,
    Complaint,
    ComplaintStage,
    Compliment,
    Instrument,
    Outcome,
    Response,
    Statement,
    Wave,
)
from feedback.models.base import From, ReceivedBy
from pods import services
from pods.models import Team, TeamMembership, Worker
from pods.working_days import add_working_days

PASSWORD = "a-test-password-of-length"
_sequence = itertools.count(1)
LONG_AGO = datetime.date(2020, 1, 1)


def make_team(*, name=None, kind=Team.Kind.POD, active_from=LONG_AGO, **extra) -> Team:
    return services.team_create(
        name=name or f"Team {next(_sequence)}", kind=kind, active_from=active_from, **extra
    )


def make_worker(
    *,
    role=Worker.Role.SOCIAL_WORKER,
    team: Team | None = None,
    fte="1",
    start_date=LONG_AGO,
    member_from=None,
    username=None,
    password=None,
    **extra,
) -> Worker:
    """A worker in ``team`` from ``member_from`` when given. Pass password=PASSWORD for one
    who signs in through the sign-in page (hashing is slow, so only those tests do)."""
    n = next(_sequence)
    worker = services.worker_create(
        username=username or f"worker{n}",
        first_name="Test",
        last_name=f"Worker {n}",
        role=role,
        fte=Decimal(fte),
        start_date=start_date,
        password=password,
        **extra,
    )
    if team is not None:
        make_membership(worker=worker, team=team, start=member_from or start_date)
    return worker


def make_membership(*, worker, team, start=LONG_AGO, end=None) -> TeamMembership:
    return services.membership_start(worker=worker, team=team, start=start, end=end)


def make_pod_to_model(name="Model Pod") -> Team:
    """A pod staffed exactly as the establishment model describes."""
    team = make_team(name=name)
    make_worker(role=Worker.Role.POD_MANAGER, team=team)
    make_worker(role=Worker.Role.SENIOR_SOCIAL_WORKER, team=team)
    make_worker(role=Worker.Role.SENIOR_SOCIAL_WORKER, team=team)
    for _ in range(5):
        make_worker(role=Worker.Role.SOCIAL_WORKER, team=team)
    make_worker(role=Worker.Role.STUDENT_SOCIAL_WORKER, team=team)
    make_worker(role=Worker.Role.BUSINESS_SUPPORT_OFFICER, team=team)
    return team


# --- feedback: complaints, compliments, audits and surveys (written with the ORM, as the
# KPIs read them, so that the KPI tests do not wait on the feedback services) ----------------


def make_complaint(
    *, received, recorded_by, family=None, worker=None, team=None, due=None, extended_to=None,
    responded=None,
):  # fmt: skip
    """A parent's complaint about ``family``, ``worker`` and/or ``team``, taken as a Stage 1
    complaint on the day received: due ``due`` (10 working days on by default), perhaps
    extended, and answered (not upheld) on ``responded`` when given."""
    complaint = Complaint.objects.create(
        reference=f"C{next(_sequence):05d}", received=received, received_by=ReceivedBy.PHONE,
        from_kind=From.PARENT, from_name="Grace Okafor", family=family, worker=worker,
        team=team, summary="My calls to the social worker are not answered",
        recorded_by=recorded_by,
    )  # fmt: skip
    make_complaint_stage(complaint=complaint, number=1, opened=received, due=due,
                         extended_to=extended_to, responded=responded)  # fmt: skip
    return complaint


def make_complaint_stage(*, complaint, number, opened, due=None, extended_to=None, responded=None):
    return ComplaintStage.objects.create(
        complaint=complaint, number=number, opened=opened,
        due=due or add_working_days(opened, 10 if number == 1 else 25),
        extended_to=extended_to,
        extension_reason="Waiting for the school's view" if extended_to else "",
        responded=responded, outcome=Outcome.NOT_UPHELD if responded else "",
    )  # fmt: skip


def make_compliment(*, received, recorded_by, family=None, worker=None, team=None):
    return Compliment.objects.create(
        received=received, received_by=ReceivedBy.EMAIL, from_kind=From.CARER, family=family,
        worker=worker, team=team, words="Thank you for listening to us", recorded_by=recorded_by,
    )  # fmt: skip


def make_audit(*, family, team, overall, moderated, worker=None, plan_type="cin"):
    """A moderated audit of ``family`` sampled from ``team`` with ``overall`` grade (1
    outstanding .. 4 inadequate), moderated at ``moderated`` (a datetime), or one still with
    its auditor when ``moderated`` is None."""
    return Audit.objects.create(
        family=family, team=team, worker=worker, plan_type=plan_type, overall=overall,
        status=Audit.Status.MODERATED if moderated else Audit.Status.ASSIGNED,
        moderated=moderated,
    )  # fmt: skip


def make_wave(*, instrument, opens, closes, owner, team=None):
    """A wave of the instrument with the slug ``instrument`` (created when the surveys' data
    migration has not)."""
    found, _ = Instrument.objects.get_or_create(
        slug=instrument, defaults={"name": instrument, "audience": Instrument.Audience.PARENTS}
    )
    return Wave.objects.create(
        instrument=found, name=f"{opens:%B %Y}", opens=opens, closes=closes,
        who_is_asked="Everyone", team=team, owner=owner,
    )  # fmt: skip


def make_response(*, wave, scores, team=None, comment=""):
    """One response to ``wave``: ``scores[i]`` (1-5, or None for a statement skipped) to the
    i-th of the test's own scale statements, and a comment when given."""
    response = Response.objects.create(wave=wave, mode=Response.Mode.ONLINE, team=team)
    for index, score in enumerate(scores):
        statement, _ = Statement.objects.get_or_create(
            instrument=wave.instrument, code=f"test-scale-{index}",
            defaults={"order": 900 + index, "text": f"Statement {index}"},
        )  # fmt: skip
        Answer.objects.create(response=response, statement=statement, value=score)
    if comment:
        statement, _ = Statement.objects.get_or_create(
            instrument=wave.instrument, code="test-comment",
            defaults={"order": 999, "text": "Anything else?", "kind": Statement.Kind.COMMENT},
        )  # fmt: skip
        Answer.objects.create(response=response, statement=statement, text=comment)
    return response
