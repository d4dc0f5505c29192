"""Step 1, the One Story summaries: one for every open family and for most families closed in
the history, saved soon after the family was allocated and again every few weeks while it was
open, each version by whoever held the family that day and describing the family as it was
then.

Every version is in the summary's history, as if each had been saved in the app: the summaries
go in with ``bulk_create`` as they are now, and their versions with simple-history's
``bulk_history_create`` (the two halves of ``bulk_create_with_history``, which would record only
the latest version)."""

from __future__ import annotations

import random

from onestory.demo.saving import BATCH, CHANGE_REASON, as_written
from onestory.demo.world import CaseFamily, Setting, moment
from onestory.demo.writing import Voice
from onestory.models import CaseSummary

CLOSED_WITH_A_SUMMARY = 0.65
DAYS_BETWEEN_VERSIONS = (20, 60)  # working days


def _version_days(rng, setting: Setting, family: CaseFamily) -> list[int]:
    """The days the latest episode's summary was saved on."""
    cal, episode = setting.calendar, family.episodes[-1]
    starts = [h.start for h in episode.holdings if h.worker_id is not None] or [episode.start]
    first = max(starts[0], setting.first)
    last = min(episode.end, setting.last)
    days = []
    if first <= last:
        index = cal.on_or_after(first) + rng.randint(3, 15)
        while index < len(cal.days) and cal.days[index] <= last:
            days.append(cal.days[index])
            index += rng.randint(*DAYS_BETWEEN_VERSIONS)
        if not episode.is_open and (not days or days[-1] < episode.end):
            days.append(cal.days[cal.on_or_before(episode.end)])  # the closing summary
    return days or [min(max(episode.start, setting.first), setting.today)]


def write_summaries(rng: random.Random, setting: Setting, families: list[CaseFamily]) -> dict:
    counts = {"case summaries": 0, "summary versions": 0}
    pending = []
    for family in families:
        if not family.episodes:
            continue
        episode = family.episodes[-1]
        if not episode.is_open and (
            episode.end < setting.first or rng.random() >= CLOSED_WITH_A_SUMMARY
        ):
            continue
        pending.append(_versions(rng, setting, family))
        if len(pending) == BATCH:
            _save(setting, pending, counts)
            pending = []
    _save(setting, pending, counts)
    return counts


def _versions(rng, setting: Setting, family: CaseFamily) -> list[CaseSummary]:
    """Each saved version of the family's summary, oldest first."""
    voice, episode = Voice(family), family.episodes[-1]
    states, author = [], None
    for number, day in enumerate(_version_days(rng, setting, family), start=1):
        who = setting.author_on(rng, episode, day)
        author = who[0] if who else author
        saved = min(setting.now, moment(day, rng.randrange(600, 1050, 5)))
        sections = voice.summary(
            rng, day, family.statuses_on(day), episode, closed=day >= episode.end
        )
        state = CaseSummary(
            family_id=family.pk, version=number, updated_by_id=author, updated=saved, **sections
        )
        states.append(as_written(state, setting.users.get(author), saved))
    return states


def _save(setting: Setting, pending: list[list[CaseSummary]], counts: dict) -> None:
    summaries = CaseSummary.objects.bulk_create([states[-1] for states in pending])
    for summary, states in zip(summaries, pending, strict=True):
        for state in states:
            state.pk = summary.pk
    history = CaseSummary.history
    first = [states[0] for states in pending]
    later = [state for states in pending for state in states[1:]]
    history.bulk_history_create(first, batch_size=BATCH, default_change_reason=CHANGE_REASON)
    history.bulk_history_create(
        later, batch_size=BATCH, update=True, default_change_reason=CHANGE_REASON
    )
    counts["case summaries"] += len(summaries)
    counts["summary versions"] += len(first) + len(later)
