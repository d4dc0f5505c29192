"""Assessments (Strengthening Families / single assessment): started from what the One Story
already says, completed with an outcome, signed off by the pod manager."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from families.models import Episode, Family
from families.models.codes import QUERIED_FACTORS, AssessmentFactor, PrimaryNeed
from onestory import permissions
from onestory.models import TEXT_LIMIT, Assessment, CaseSummary, Entry
from onestory.services import check_lengths
from pods.working_days import add_working_days

RECENT_DAYS = 90
FACTORS_NEEDED = "Choose the factors identified, or No factors identified"
NO_FACTORS_ALONE = "No factors identified cannot be chosen with other factors"
FACTOR_NOT_OFFERED = "Choose the factors from the list"
PRIMARY_NEED_NOT_OFFERED = "Choose the child's primary need from the list"


def _dated(entry: Entry, text: str) -> str:
    when = timezone.localtime(entry.occurred)
    return f"{when:%-d %B %Y}, {entry.get_kind_display().lower()}: {text}"


def _prefill(family: Family) -> dict[str, str]:
    """What the assessment can start from, so nothing is typed twice: the summary's sections
    and, from the last 90 days of the chronology, what happened and what the children said."""
    summary = CaseSummary.objects.filter(family=family).first() or CaseSummary(family=family)
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    recent = list(
        Entry.objects.counted().filter(family=family, occurred__gte=since).order_by("occurred")
    )
    history = [summary.who_is_in_the_family, summary.what_is_happening]
    voices = [summary.wishes_and_feelings] + [
        _dated(e, e.childs_voice) for e in recent if e.childs_voice
    ]
    events = [_dated(e, e.what_happened.split("\n")[0]) for e in recent if e.what_happened]
    parts = {
        "family_and_history": "\n\n".join(text for text in history if text),
        "recent_events": "\n".join(events),
        "working_well": summary.working_well,
        "worries": summary.worries,
        "childs_voice": "\n".join(text for text in voices if text),
        "what_needs_to_happen": summary.needs_to_change,
    }
    return {name: text[:TEXT_LIMIT] for name, text in parts.items()}


@transaction.atomic
def assessment_start(*, family: Family, started: datetime.date, author) -> Assessment:
    """Start an assessment pre-filled from the summary and the recent chronology, due 45
    working days from the start."""
    if started > timezone.localdate():
        raise ValidationError({"started": "The start date must be today or in the past"})
    assessment = Assessment(
        family=family,
        started=started,
        due=add_working_days(started, Assessment.WORKING_DAYS_TO_COMPLETE),
        author=author,
        **_prefill(family),
    )
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def assessment_save(*, assessment: Assessment, sections: dict[str, str]) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_signed_off:
        raise ValidationError("This assessment is signed off: it can no longer be changed")
    check_lengths({Assessment._meta.get_field(n).verbose_name: t for n, t in sections.items()})
    for name, text in sections.items():
        setattr(assessment, name, text)
    assessment.save()
    return assessment


def _episode_of(assessment: Assessment) -> Episode | None:
    """The family's open episode, or the one the assessment started in when it is closed."""
    episodes = Episode.objects.select_related("referral").filter(family=assessment.family_id)
    return (
        episodes.filter(end__isnull=True).first() or episodes.current_on(assessment.started).first()
    )


def primary_need_of(assessment: Assessment) -> str:
    """The child's primary need as the episode's referral holds it ("" when not decided)."""
    episode = _episode_of(assessment)
    return episode.referral.primary_need if episode else ""


@transaction.atomic
def assessment_complete(
    *, assessment: Assessment, outcome: str, completed: datetime.date, primary_need: str = ""
) -> Assessment:
    """Complete the assessment with its outcome and, decided with it, the child's primary
    need: kept on the referral of the family's episode, which the CIN census reports."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_signed_off:
        raise ValidationError("This assessment is signed off already")
    if not outcome:
        raise ValidationError({"outcome": "Choose the outcome of the assessment"})
    if completed < assessment.started:
        raise ValidationError({"completed": "The assessment cannot be completed before it started"})
    if completed > timezone.localdate():
        raise ValidationError({"completed": "The completion date must be today or in the past"})
    if not assessment.analysis.strip():
        raise ValidationError({"analysis": "Write the analysis before completing the assessment"})
    if primary_need and primary_need not in PrimaryNeed.values:
        raise ValidationError({"primary_need": PRIMARY_NEED_NOT_OFFERED})
    assessment.outcome = outcome
    assessment.completed = completed
    assessment.save()
    episode = _episode_of(assessment) if primary_need else None
    if episode is not None:
        referral = episode.referral
        referral.primary_need = primary_need
        referral.save()
    return assessment


def _check_factors(factors: list[str]) -> list[str]:
    """The factors identified: from the list (without the two the CIN rules query, 18A and
    19A, which are asked as by a child or by an adult), and No factors identified alone."""
    if not factors:
        raise ValidationError({"factors": FACTORS_NEEDED})
    offered = set(AssessmentFactor.values) - {str(code) for code in QUERIED_FACTORS}
    if not set(factors) <= offered:
        raise ValidationError({"factors": FACTOR_NOT_OFFERED})
    if AssessmentFactor.NONE in factors and len(set(factors)) > 1:
        raise ValidationError({"factors": NO_FACTORS_ALONE})
    order = {code: position for position, code in enumerate(AssessmentFactor.values)}
    return sorted(set(factors), key=order.__getitem__)


@transaction.atomic
def assessment_sign_off(
    *, assessment: Assessment, by, factors: list[str] | None = None
) -> Assessment:
    """The pod manager signs off (authorises) a completed assessment, with the factors it
    identified saved alongside (the CIN census's). ``None`` leaves the factors as they are."""
    assessment = (
        Assessment.objects.select_for_update().select_related("family").get(pk=assessment.pk)
    )
    if assessment.completed is None:
        raise ValidationError("Only a completed assessment can be signed off")
    if assessment.is_signed_off:
        raise ValidationError("This assessment is signed off already")
    if not permissions.can_user_sign_off(by, assessment.family):
        raise ValidationError("Only the manager of the family's pod can sign off its assessment")
    if factors is not None:
        assessment.factors = _check_factors(list(factors))
    assessment.signed_off_by = by
    assessment.signed_off = timezone.now()
    assessment.save()
    return assessment
