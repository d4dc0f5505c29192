"""Writes of surveys: a wave, asking people (links), the answers given through a link or to an
interviewer, and the moderation of comments. Each is one keyword-only function in a
transaction; errors are the constants below, written for the person who can put them right."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from families.models import Family
from families.selectors import current_team
from feedback.models import Answer, Instrument, Response, Statement, SurveyLink, Wave
from feedback.surveys import links
from pods.models import Worker
from pods.permissions import members_on
from pods.selectors import home_team

CLOSES_BEFORE_OPENING = "The closing date must be the same as or after the opening date"
WAVE_CLOSED = "This wave has closed: answers can no longer be given to it"
WAVE_NOT_OPEN = "This wave is not open yet"
NOT_BY_INTERVIEW = "Your Voice is anonymous: its answers are given only through a link"
NOT_STAFF = "Staff are asked only for a staff survey"
ONLY_STAFF = "A staff survey asks staff only: ask the team or the whole service"
NOBODY_TO_ASK = "Everyone there has been asked already, or nobody has an email address"
LINK_NOT_VALID = "This link has been used, has expired or is not a survey link"
WRONG_MODERATION = "Choose publish or withhold"


@dataclass(frozen=True)
class Given:
    """One answer before it is written: a score, a percentage or words."""

    statement: Statement
    value: int | None = None
    text: str = ""


def wave_create(
    *,
    instrument: Instrument,
    name: str,
    opens: datetime.date,
    closes: datetime.date,
    who_is_asked: str,
    owner,
    team=None,
) -> Wave:
    if closes < opens:
        raise ValidationError({"closes": CLOSES_BEFORE_OPENING})
    with transaction.atomic():
        wave = Wave(
            instrument=instrument,
            name=name,
            opens=opens,
            closes=closes,
            who_is_asked=who_is_asked,
            team=team,
            owner=owner,
        )
        wave._history_user = owner
        wave.save()
    return wave


def _check_open(wave: Wave, today: datetime.date) -> None:
    if today > wave.closes:
        raise ValidationError(WAVE_CLOSED)
    if today < wave.opens:
        raise ValidationError(WAVE_NOT_OPEN)


def staff_to_ask(wave: Wave, today: datetime.date):
    """Every worker employed today with an email: of the wave's team, or the whole service."""
    workers = members_on(wave.team, today) if wave.team else Worker.objects.select_related("user")
    return workers.employed_on(today).filter(user__is_active=True).exclude(user__email="")


def wave_ask_staff(*, wave: Wave, asked_by, today: datetime.date) -> list[SurveyLink]:
    """One link for each worker of the wave's team (or the service) not asked yet."""
    if wave.instrument.audience != Instrument.Audience.STAFF:
        raise ValidationError(NOT_STAFF)
    _check_open(wave, today)
    asked = set(wave.links.values_list("worker_id", flat=True))
    people = [
        (worker.user.email, worker.name, worker, None)
        for worker in staff_to_ask(wave, today).order_by("pk")
        if worker.pk not in asked
    ]
    return _create_links(wave=wave, asked_by=asked_by, people=people)


def wave_ask_addresses(
    *, wave: Wave, asked_by, today: datetime.date, addresses: Iterable[tuple[str, Family | None]]
) -> list[SurveyLink]:
    """One link for each address typed in (with the family, for parents) not asked yet."""
    if wave.instrument.audience == Instrument.Audience.STAFF:
        raise ValidationError(ONLY_STAFF)
    _check_open(wave, today)
    asked = {email.lower() for email in wave.links.values_list("email", flat=True)}
    people, seen = [], set()
    for email, family in addresses:
        if email.lower() in asked or email.lower() in seen:
            continue
        seen.add(email.lower())
        people.append((email, "", None, family))
    return _create_links(wave=wave, asked_by=asked_by, people=people)


def _create_links(*, wave: Wave, asked_by, people: list) -> list[SurveyLink]:
    from feedback.tasks import send_survey_link  # the task module imports this one

    if not people:
        raise ValidationError(NOBODY_TO_ASK)
    with transaction.atomic():
        created = SurveyLink.objects.bulk_create(
            SurveyLink(
                wave=wave,
                token_hash=links.unusable_hash(),
                email=email,
                name=name,
                worker=worker,
                family=family,
                created_by=asked_by,
            )
            for email, name, worker, family in people
        )
        for link in created:
            transaction.on_commit(lambda pk=link.pk: send_survey_link.delay(pk))
    return created


# --- In the worker -----------------------------------------------------------------------------


def link_send(*, link_id: int) -> str:
    """Make the link's token here, keep its hash, and email it: the token is never in the
    database nor in the task queue. A retry after a failed send makes a new token (the old
    one never reached anyone)."""
    link = SurveyLink.objects.select_related("wave__instrument").filter(pk=link_id).first()
    if link is None or link.sent is not None or link.used is not None:
        return "nothing to send"
    token = links.new_token()
    with transaction.atomic():
        SurveyLink.objects.filter(pk=link.pk).update(token_hash=links.token_hash(token))
    wave = link.wave
    context = {
        "instrument": wave.instrument,
        "url": settings.PODS_SITE_URL + reverse("survey_answer", args=[token]),
        "closes": wave.closes,
        "council_name": settings.PODS_COUNCIL_NAME,
    }
    EmailMessage(
        subject=f"{wave.instrument.name}: tell us what you think",
        body=render_to_string("feedback/surveys/email/link.txt", context),
        to=[link.email],
    ).send()
    SurveyLink.objects.filter(pk=link.pk).update(sent=timezone.now())
    return "sent"


# --- Answers -----------------------------------------------------------------------------------


def _write_answers(*, response: Response, given: list[Given]) -> None:
    Answer.objects.bulk_create(
        Answer(
            response=response,
            statement=answer.statement,
            value=answer.value,
            text=answer.text,
            moderation=Answer.Moderation.PENDING if answer.text else "",
        )
        for answer in given
        if answer.value is not None or answer.text
    )


def response_give(*, link: SurveyLink, given: list[Given]) -> None:
    """The answers given through a link, already validated by the form. The link is used in
    its own transaction first (so a second sending of the form saves nothing); then the
    answers are written; if that fails the link is given back. For an anonymous instrument
    the response keeps only the wave and the team: no person, family, link or time."""
    if not links.link_use(link=link):
        raise ValidationError(LINK_NOT_VALID)
    wave = link.wave
    anonymous = wave.instrument.anonymous
    if link.worker_id is not None:
        team = wave.team or home_team(link.worker, timezone.localdate())
    else:
        team = wave.team
    try:
        with transaction.atomic():
            response = Response.objects.create(
                wave=wave,
                mode=Response.Mode.ONLINE,
                team=team,
                family=None if anonymous else link.family,
                given_on=None if anonymous else timezone.localdate(),
            )
            _write_answers(response=response, given=given)
    except Exception:
        links.link_unuse(link=link)
        raise


def interview_record(
    *, wave: Wave, family: Family, interviewer, given: list[Given], today: datetime.date
) -> Response:
    """A telephone interview, entered by the interviewer who may see the family."""
    if wave.instrument.anonymous:
        raise ValidationError(NOT_BY_INTERVIEW)
    _check_open(wave, today)
    with transaction.atomic():
        response = Response.objects.create(
            wave=wave,
            mode=Response.Mode.TELEPHONE,
            team=wave.team or current_team(family),
            family=family,
            interviewer=interviewer,
            given_on=today,
        )
        _write_answers(response=response, given=given)
    return response


def comment_moderate(*, answer: Answer, publish: bool) -> Answer:
    """The wave's owner publishes a comment, or withholds it (it stays, seen by them only)."""
    with transaction.atomic():
        answer.moderation = Answer.Moderation.PUBLISHED if publish else Answer.Moderation.WITHHELD
        answer.save(update_fields=["moderation"])
    return answer
