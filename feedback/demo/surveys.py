"""The demo's surveys, built deterministically from the rng after the organisation (and, when
they are there, the families): the waves the evaluation publishes, with answers chosen so that
the results pages show its figures.

- **Parents' telephone interview**, "July 2016" and "February 2017", 23 interviews each: the
  answer sums per statement are chosen (``table_one_sums``) so that the February results page
  *is* Appendix 1, Table 1 of the evaluation: the published means, in the published order
  (Feb 17 mean, highest first, ties in the evaluation's order, which the unrounded means keep),
  and the published change from July 16, both as the difference of the shown means and of the
  unrounded ones.
- **Children and young people's questionnaire**, "May 2016", 19 answers, the published means.
- **Your Voice 2017**, about 104 staff at scale 1 (anonymous: links record who answered, the
  responses only their pod), each principle's positive rate the published one, with the
  time-use question and a few comments, some published.

The waves are dated inside the demo's history and named as published. Each closed wave is
sealed (feedback/surveys/sealing.py)."""

from __future__ import annotations

import datetime
import itertools
import json
import random
from decimal import Decimal
from pathlib import Path

from config.bulk import refresh_planner_statistics
from families.models import ChildStatus, Family
from feedback.models import Answer, Instrument, Response, Statement, SurveyLink, Wave
from feedback.models.surveys import SCALE
from feedback.surveys import links, sealing
from feedback.surveys.results import one_place
from pods.models import Team, Worker

DATA = Path(__file__).resolve().parents[1] / "data" / "instruments_and_published_figures.json"
PARENTS_N = 23
CHILDREN_N = 19
YOUR_VOICE_N = 104
COMMENTS = [
    "Group supervision on a Thursday is the best part of my week.",
    "I would like more time with families and less on the recording system.",
    "The RPG has helped me to think differently about a hard case.",
    "Cover when a colleague is off works well in our pod.",
    "Court reports still take up too much of my month.",
]
# Typical shares of a month (children, adults, reports and admin, CPD, supervision and
# meetings): the time-use question's answers are drawn around these.
TIME_SHARES = (20, 25, 35, 5, 15)


def published() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _rounds_to(total: int, n: int, mean: float) -> bool:
    return one_place(Decimal(total) / n) == Decimal(str(mean))


def table_one_sums(july: list[float], february: list[float], n: int) -> list[tuple[int, int]]:
    """Answer sums (July, February) per statement, in the instrument's order, so that each
    wave's mean rounds to the published one, the change of the unrounded means rounds to the
    difference of the published ones, and statements with the same February mean are ordered
    by their unrounded means as the evaluation orders them (its order)."""
    candidates = []
    for before, after in zip(july, february, strict=True):
        change = Decimal(str(after)) - Decimal(str(before))
        pairs = [
            (s1, s2)
            for s1 in range(n, 5 * n + 1)
            if _rounds_to(s1, n, before)
            for s2 in range(n, 5 * n + 1)
            if _rounds_to(s2, n, after) and one_place(Decimal(s2 - s1) / n) == change
        ]
        # Nearest the published means first: the least surprising answers.
        pairs.sort(key=lambda p: abs(p[0] / n - before) + abs(p[1] / n - after))
        candidates.append(pairs)
    order = sorted(range(len(february)), key=lambda i: (-february[i], i))
    chosen = _ordered(order, candidates, february, {})
    return [chosen[i] for i in range(len(february))]


def _ordered(order, candidates, february, chosen) -> dict[int, tuple[int, int]]:
    """Choose a pair for each statement in ``order``, each February sum below the one before
    it when their published means are the same (a small search: ten statements)."""
    if len(chosen) == len(order):
        return chosen
    i = order[len(chosen)]
    previous = order[len(chosen) - 1] if chosen else None
    same_mean = previous is not None and february[previous] == february[i]
    for pair in candidates[i]:
        if same_mean and pair[1] >= chosen[previous][1]:
            continue
        found = _ordered(order, candidates, february, {**chosen, i: pair})
        if found:
            return found
    return {}


def values_summing_to(total: int, n: int, rng: random.Random) -> list[int]:
    """``n`` answers on the scale adding up to ``total``, spread a little, in random order."""
    base, extra = divmod(total, n)
    values = [base + 1] * extra + [base] * (n - extra)
    for _ in range(n // 3):
        up, down = rng.randrange(n), rng.randrange(n)
        if up != down and values[up] < max(SCALE) and values[down] > min(SCALE):
            values[up] += 1
            values[down] -= 1
    rng.shuffle(values)
    return values


def values_with_positive(positive: int, n: int, rng: random.Random) -> list[int]:
    """``n`` answers of which exactly ``positive`` are over 3."""
    values = [rng.choice((4, 4, 5)) for _ in range(positive)]
    values += [rng.choice((1, 2, 2, 3, 3, 3)) for _ in range(n - positive)]
    rng.shuffle(values)
    return values


def _owner():
    worker = (
        Worker.objects.filter(role=Worker.Role.PRINCIPAL_SOCIAL_WORKER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return worker.user if worker else None


def _wave(instrument: Instrument, name: str, opens: datetime.date, weeks: int, who: str, owner):
    return Wave.objects.create(
        instrument=instrument,
        name=name,
        opens=opens,
        closes=opens + datetime.timedelta(weeks=weeks) - datetime.timedelta(days=1),
        who_is_asked=who,
        owner=owner,
    )


def _write(wave: Wave, columns: dict[Statement, list], *, mode, families=(), interviewer=None):
    """One response per row of the columns; an anonymous wave's rows get only their team."""
    n = len(next(iter(columns.values())))
    anonymous = wave.instrument.anonymous
    family_cycle = itertools.cycle(families) if families else itertools.repeat(None)
    responses = Response.objects.bulk_create(
        Response(
            wave=wave,
            mode=mode,
            family=None if anonymous else next(family_cycle),
            interviewer=None if anonymous else interviewer,
            given_on=None if anonymous else wave.opens + datetime.timedelta(days=row % 20),
        )
        for row in range(n)
    )
    answers = []
    for statement, column in columns.items():
        for response, value in zip(responses, column, strict=True):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                answers.append(
                    Answer(response=response, statement=statement, text=value, moderation="")
                )
            else:
                answers.append(Answer(response=response, statement=statement, value=value))
    Answer.objects.bulk_create(answers)
    return responses


def _statements(instrument: Instrument, kind=Statement.Kind.SCALE) -> list[Statement]:
    return list(instrument.statements.filter(kind=kind).order_by("order"))


def _parents(rng, today, owner, figures) -> int:
    instrument = Instrument.objects.get(slug="parents-telephone-interview")
    means = figures["parent_telephone_interview"]["published_means"]
    july, february = means["2016-07 (n=23)"], means["2017-02 (n=23)"]
    sums = table_one_sums(july, february, PARENTS_N)
    statements = _statements(instrument)
    on_a_plan = (
        Family.objects.filter(
            child_statuses__kind__in=[ChildStatus.Kind.CIN_PLAN, ChildStatus.Kind.CP_PLAN]
        )
        .distinct()
        .order_by("reference")[: 2 * PARENTS_N]
    )
    families = list(on_a_plan)
    first_opens = _month_start(today, months_back=28)
    second_opens = _month_start(today, months_back=21)
    who = "Parents and carers of children on a child in need or child protection plan"
    for index, (name, opens) in enumerate(
        (("July 2016", first_opens), ("February 2017", second_opens))
    ):
        wave = _wave(instrument, name, opens, 4, who, owner)
        columns = {
            s: values_summing_to(pair[index], PARENTS_N, rng)
            for s, pair in zip(statements, sums, strict=True)
        }
        _write(
            wave,
            columns,
            mode=Response.Mode.TELEPHONE,
            families=families[index * PARENTS_N : (index + 1) * PARENTS_N],
            interviewer=owner,
        )
    return 2 * PARENTS_N


def _children(rng, today, owner, figures) -> int:
    instrument = Instrument.objects.get(slug="children-young-people")
    means = figures["children_young_people_questionnaire"]["published_means"]["2016-05 (n=19)"]
    statements = _statements(instrument)
    wave = _wave(
        instrument,
        "May 2016",
        _month_start(today, months_back=30),
        3,
        "Children in Care Council",
        owner,
    )
    columns = {}
    for statement, mean in zip(statements, means, strict=True):
        total = min(
            (t for t in range(CHILDREN_N, 5 * CHILDREN_N + 1) if _rounds_to(t, CHILDREN_N, mean)),
            key=lambda t: abs(t / CHILDREN_N - mean),
        )
        columns[statement] = values_summing_to(total, CHILDREN_N, rng)
    _write(wave, columns, mode=Response.Mode.ONLINE)
    return CHILDREN_N


def _your_voice(rng, today, owner, figures, scale) -> int:
    instrument = Instrument.objects.get(slug="your-voice")
    rates = figures["staff_survey_your_voice"]["published_positive_rate_2017"]
    workload = figures["staff_survey_your_voice"]["published_figures"]["workload_reasonable_pct"]
    n = max(5, round(YOUR_VOICE_N * scale))
    wave = _wave(
        instrument,
        "2017",
        _month_start(today, months_back=14),
        3,
        "All practitioners and managers",
        owner,
    )
    columns: dict[Statement, list] = {}
    for statement in _statements(instrument):
        rate = rates.get(statement.theme, workload["2017"])
        columns[statement] = values_with_positive(round(rate * n / 100), n, rng)
    shares = _statements(instrument, Statement.Kind.TIME_SHARE)
    rows = [_time_shares(rng) for _ in range(n)]
    for index, statement in enumerate(shares):
        columns[statement] = [row[index] for row in rows]
    comment = instrument.statements.get(kind=Statement.Kind.COMMENT)
    columns[comment] = [COMMENTS[i] if i < len(COMMENTS) else "" for i in range(n)]
    rng.shuffle(columns[comment])
    responses = _write(wave, columns, mode=Response.Mode.ONLINE)
    _staff_teams_and_links(rng, wave, responses, today)
    # Two of the comments published by the owner; the rest wait for them.
    texts = Answer.objects.filter(response__wave=wave, statement=comment).order_by("text")
    for position, answer in enumerate(texts):
        answer.moderation = (
            Answer.Moderation.PUBLISHED if position < 2 else Answer.Moderation.PENDING
        )
        answer.save(update_fields=["moderation"])
    return n


def _time_shares(rng) -> list[int]:
    shares = [max(0, share + rng.randint(-5, 5)) for share in TIME_SHARES]
    shares[2] += 100 - sum(shares)  # reports and admin take up what is left
    return shares


def _staff_teams_and_links(rng, wave, responses, today) -> None:
    """Each response is given a pod (for per-pod results), and every worker employed then a
    link, the first of them used: nothing says which link gave which response."""
    pods = list(Team.objects.filter(kind=Team.Kind.POD).order_by("name"))
    for response in responses:
        response.team = rng.choice(pods) if pods else None
    Response.objects.bulk_update(responses, ["team"])
    workers = list(
        Worker.objects.employed_on(wave.opens)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__username")
    )
    used_on = datetime.datetime.combine(wave.opens, datetime.time(0), tzinfo=links.LONDON)
    SurveyLink.objects.bulk_create(
        SurveyLink(
            wave=wave,
            token_hash=links.unusable_hash(),
            email=worker.user.email,
            name=worker.name,
            worker=worker,
            sent=used_on,
            used=used_on if index < len(responses) else None,
            created_by=wave.owner,
        )
        for index, worker in enumerate(workers)
    )


def _month_start(today: datetime.date, *, months_back: int) -> datetime.date:
    months = today.year * 12 + today.month - 1 - months_back
    return datetime.date(months // 12, months % 12 + 1, 1)


def build(*, rng: random.Random, today: datetime.date, scale: float = 1.0) -> dict[str, int]:
    owner = _owner()
    if owner is None:
        return {"survey responses": 0}
    figures = published()
    counts = {
        "parents' interviews": _parents(rng, today, owner, figures),
        "children's answers": _children(rng, today, owner, figures),
        "Your Voice responses": _your_voice(rng, today, owner, figures, scale),
    }
    counts["waves sealed"] = sealing.seal_closed_waves(today=today)
    refresh_planner_statistics("feedback")
    return counts
