"""Reads of surveys: the waves someone may read the results of, and the wave to compare with."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from feedback.models import Instrument, Wave
from feedback.permissions import can_user_run_surveys, survey_teams_for


def waves_for(user) -> QuerySet[Wave]:
    """Every wave for those who run surveys; otherwise the waves they own, and for a pod
    manager the waves that asked their pod or the whole service (they read their pod's slice)."""
    waves = Wave.objects.select_related("instrument", "team").order_by("-opens", "pk")
    if can_user_run_surveys(user):
        return waves
    pods = survey_teams_for(user)
    mine = Q(owner=user)
    if pods.exists():
        mine |= Q(team__in=pods) | Q(team__isnull=True)
    return waves.filter(mine)


def earlier_waves(wave: Wave) -> QuerySet[Wave]:
    """Waves of the same instrument that opened before this one, the latest first."""
    return Wave.objects.filter(instrument=wave.instrument, opens__lt=wave.opens).order_by("-opens")


def interview_waves(today) -> QuerySet[Wave]:
    """Open waves an interviewer may enter a telephone interview for."""
    return Wave.objects.filter(
        opens__lte=today, closes__gte=today, instrument__anonymous=False
    ).exclude(instrument__audience=Instrument.Audience.STAFF)
