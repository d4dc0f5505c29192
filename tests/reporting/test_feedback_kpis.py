"""The feedback KPIs on a small hand-made dataset with known answers: two families in two pods
(the Okafors move from Oak Pod to Ash Pod on 1 March 2026, so each complaint and compliment
counts for whoever held the family on the day it was received), complaints answered in time,
after an extension, late or not yet, compliments about a worker who changed pods, audits
moderated over five months (one just after midnight on 1 April, British Summer Time), and
survey waves for the whole service and for one pod, a wave of four suppressed. Each series
equals the same query narrowed to one month and one scope; a past month does not move when
later records come; and the figures are in the report, its PDF, the dashboard and the export,
without a list behind them."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from families import services as family_services
from feedback.models import Answer, Grade, Statement
from reporting import reports
from reporting.kpis import AUTHORITY, REGISTRY, TEAM, WORKER, Period, Scope
from reporting.kpis.behind import DRILLABLE
from reporting.kpis.feedback import SURVEYS
from tests.clients import client_for
from tests.factories import (
    make_audit,
    make_complaint,
    make_complaint_stage,
    make_compliment,
    make_membership,
    make_response,
    make_wave,
    make_worker,
)
from tests.families.conftest import REFERRED, refer
from tests.onestory.test_pdf import text_of
from tests.scheduling.conftest_clocks import at

pytestmark = pytest.mark.django_db
D = datetime.date
DECEMBER = Period(2025, 12)
JANUARY, FEBRUARY, MARCH, APRIL, MAY, JUNE, JULY = (Period(2026, month) for month in range(1, 8))
COMPLAINT_KEYS = ("stage_1_complaints", "stage_1_responses_in_time", "stage_2_responses_in_time",
                  "compliments", "audits_good_or_better")  # fmt: skip
PARENTS = "parents-telephone-interview"
KEYS = COMPLAINT_KEYS + tuple(key for key, _name in SURVEYS.values())


@pytest.fixture
def dataset(family, pod, other_pod, social_worker, outsider, senior_leader):
    """The Okafors in Oak Pod with the social worker, to Ash Pod with the outsider on 1 March
    2026; the Does in Ash Pod with the outsider throughout; a worker in Oak Pod until 31
    January, in Ash Pod from 1 February."""
    does = refer(name="The Doe family", child=("Sam", "Doe", D(2014, 2, 2)))
    family_services.family_allocate(family=does, team=other_pod, worker=outsider, start=REFERRED)
    okafors, by = family, senior_leader.user
    mover = make_worker()
    make_membership(worker=mover, team=pod, end=D(2026, 1, 31))
    make_membership(worker=mover, team=other_pod, start=D(2026, 2, 1))
    # Stage 1: received in December, answered late in January (due 8 January: Christmas and
    # New Year's Day are skipped); January's three: answered in time, in time after an
    # extension, late; February's not answered yet; March's in time, after the move.
    make_complaint(
        received=D(2025, 12, 22), family=okafors, responded=D(2026, 1, 12), recorded_by=by
    )
    make_complaint(received=D(2026, 1, 5), family=okafors, responded=D(2026, 1, 16), recorded_by=by)
    make_complaint(received=D(2026, 1, 12), worker=outsider, extended_to=D(2026, 2, 9),
                   responded=D(2026, 2, 5), recorded_by=by)  # fmt: skip
    late = make_complaint(received=D(2026, 1, 20), team=pod, family=does, responded=D(2026, 2, 10),
                          recorded_by=by)  # fmt: skip
    make_complaint_stage(complaint=late, number=2, opened=D(2026, 2, 20), responded=D(2026, 3, 20))
    unanswered = make_complaint(received=D(2026, 2, 2), family=okafors, recorded_by=by)
    family_services.family_transfer(family=okafors, team=other_pod, worker=outsider,
                                    start=D(2026, 3, 1), reason="Moved to Ash Pod")  # fmt: skip
    make_complaint(received=D(2026, 3, 2), family=okafors, worker=social_worker,
                   responded=D(2026, 3, 10), recorded_by=by)  # fmt: skip
    # Compliments: two about the worker who moved, one about a pod and its worker (once each).
    make_compliment(received=D(2026, 1, 8), worker=social_worker, recorded_by=by)
    make_compliment(received=D(2026, 1, 15), family=does, recorded_by=by)
    make_compliment(received=D(2026, 1, 31), team=other_pod, worker=outsider, recorded_by=by)
    make_compliment(received=D(2026, 1, 20), worker=mover, recorded_by=by)
    make_compliment(received=D(2026, 2, 10), worker=mover, recorded_by=by)
    make_compliment(received=D(2026, 2, 1), family=okafors, recorded_by=by)
    # Audits: good (January), requires improvement (February), outstanding at 00:30 on 1 April
    # (23:30 on 31 March in UTC); an inadequate one not moderated yet.
    make_audit(family=okafors, team=pod, worker=social_worker, overall=Grade.GOOD,
               moderated=at(D(2026, 1, 20)))  # fmt: skip
    make_audit(family=does, team=other_pod, worker=outsider, overall=Grade.REQUIRES_IMPROVEMENT,
               moderated=at(D(2026, 2, 10)))  # fmt: skip
    make_audit(family=okafors, team=pod, worker=social_worker, overall=Grade.OUTSTANDING,
               moderated=at(D(2026, 4, 1), 0, 30))  # fmt: skip
    make_audit(family=does, team=other_pod, overall=Grade.INADEQUATE, moderated=None)
    # The parents' interview: a January wave of five (three for Oak Pod, two for Ash Pod);
    # a wave closing on 30 April of six, all Oak Pod's; an Ash Pod wave closing in May.
    january = make_wave(instrument=PARENTS, opens=D(2026, 1, 5), closes=D(2026, 1, 30), owner=by)
    for scores in ([5, 4], [4, 2], [3, 1]):
        make_response(wave=january, scores=scores, team=pod)
    make_response(wave=january, scores=[5, 5], team=other_pod)
    skipped = make_response(wave=january, scores=[2, None], team=other_pod, comment="Good")
    time_share = Statement.objects.create(instrument=january.instrument, order=998, code="t",
                                          text="Time with families", kind="time_share")  # fmt: skip
    Answer.objects.create(response=skipped, statement=time_share, value=60)  # not a score
    spring = make_wave(instrument=PARENTS, opens=D(2026, 3, 2), closes=D(2026, 4, 30), owner=by)
    for scores in [[4, 4]] * 5 + [[2, 3]]:
        make_response(wave=spring, scores=scores, team=pod)
    ash = make_wave(instrument=PARENTS, opens=D(2026, 5, 1), closes=D(2026, 5, 29), owner=by,
                    team=other_pod)  # fmt: skip
    for _ in range(5):
        make_response(wave=ash, scores=[5], team=other_pod)
    return {"does": does, "mover": mover, "unanswered": unanswered, "by": by}


def value(key, period, scope=None):
    return REGISTRY[key].value(period, scope or Scope.authority())


def test_stage_1_complaints_received_for_whoever_they_were_about_on_the_day(
    dataset, pod, other_pod, social_worker, outsider
):
    assert value("stage_1_complaints", DECEMBER) == 1
    assert value("stage_1_complaints", JANUARY) == 3
    # The Okafors' (held by Oak Pod); Oak Pod's own, about the Does too, counted once.
    assert value("stage_1_complaints", JANUARY, Scope.of_team(pod)) == 2
    # About the outsider, an Ash Pod worker; the one about the Does, whom Ash Pod held.
    assert value("stage_1_complaints", JANUARY, Scope.of_team(other_pod)) == 2
    assert value("stage_1_complaints", JANUARY, Scope.of_worker(social_worker)) == 1
    assert value("stage_1_complaints", JANUARY, Scope.of_worker(outsider)) == 2
    assert value("stage_1_complaints", FEBRUARY, Scope.of_team(pod)) == 1
    assert value("stage_1_complaints", FEBRUARY, Scope.of_team(other_pod)) == 0
    # In March the Okafors were Ash Pod's; the complaint was also about Oak Pod's worker.
    for scope in (pod, other_pod):
        assert value("stage_1_complaints", MARCH, Scope.of_team(scope)) == 1
    assert value("stage_1_complaints", MARCH, Scope.of_worker(outsider)) == 1
    assert value("stage_1_complaints", APRIL) == 0


def test_stage_1_responses_in_time_after_an_extension_late_and_not_yet_sent(
    dataset, pod, other_pod, social_worker, outsider
):
    # January: one in time, one late (received in December): counted when sent.
    assert value("stage_1_responses_in_time", JANUARY) == Decimal("50.0")
    assert value("stage_1_responses_in_time", JANUARY, Scope.of_team(pod)) == Decimal("50.0")
    assert value("stage_1_responses_in_time", JANUARY, Scope.of_team(other_pod)) is None
    assert value("stage_1_responses_in_time", JANUARY, Scope.of_worker(social_worker)) == Decimal(
        "50.0"
    )
    # February: after the first deadline but before the extended one is in time; the other
    # late; the complaint received in February and not answered is not counted.
    assert value("stage_1_responses_in_time", FEBRUARY) == Decimal("50.0")
    assert value("stage_1_responses_in_time", FEBRUARY, Scope.of_team(pod)) == Decimal("0.0")
    assert value("stage_1_responses_in_time", FEBRUARY, Scope.of_team(other_pod)) == Decimal("50.0")
    assert value("stage_1_responses_in_time", FEBRUARY, Scope.of_worker(outsider)) == Decimal(
        "50.0"
    )
    assert value("stage_1_responses_in_time", MARCH) == Decimal("100.0")
    assert value("stage_1_responses_in_time", APRIL) is None


def test_stage_2_investigations_in_time(dataset, pod, other_pod):
    assert value("stage_2_responses_in_time", FEBRUARY) is None
    assert value("stage_2_responses_in_time", MARCH) == Decimal("100.0")
    for team in (pod, other_pod):  # the complaint was about Oak Pod and Ash Pod's family
        assert value("stage_2_responses_in_time", MARCH, Scope.of_team(team)) == Decimal("100.0")


def test_compliments_for_the_pod_a_worker_was_in_that_day(dataset, pod, other_pod, outsider):
    mover = Scope.of_worker(dataset["mover"])
    assert value("compliments", JANUARY) == 4
    assert value("compliments", JANUARY, Scope.of_team(pod)) == 2  # the social worker, the mover
    assert value("compliments", JANUARY, Scope.of_team(other_pod)) == 2  # the Does, Ash Pod
    assert value("compliments", JANUARY, Scope.of_worker(outsider)) == 2
    assert value("compliments", FEBRUARY, Scope.of_team(pod)) == 1  # the Okafors
    assert value("compliments", FEBRUARY, Scope.of_team(other_pod)) == 1  # the mover
    assert (value("compliments", JANUARY, mover), value("compliments", FEBRUARY, mover)) == (1, 1)


def test_audits_good_or_better_over_the_three_months_to_the_month_end(
    dataset, pod, other_pod, social_worker
):
    expected = {JANUARY: "100.0", FEBRUARY: "50.0", MARCH: "50.0", APRIL: "50.0", MAY: "100.0",
                JUNE: "100.0", JULY: None}  # fmt: skip
    for period, figure in expected.items():
        assert value("audits_good_or_better", period) == (figure and Decimal(figure)), period
    assert value("audits_good_or_better", FEBRUARY, Scope.of_team(other_pod)) == Decimal("0.0")
    # Moderated at 00:30 on 1 April, London time: April's, not March's (so still June's).
    assert value("audits_good_or_better", MARCH, Scope.of_team(pod)) == Decimal("100.0")
    assert value("audits_good_or_better", JUNE, Scope.of_team(pod)) == Decimal("100.0")
    assert value("audits_good_or_better", JULY, Scope.of_team(pod)) is None
    assert value("audits_good_or_better", MARCH, Scope.of_worker(social_worker)) == Decimal("100.0")


def test_survey_positive_is_the_latest_closed_waves_own_figure(dataset, pod, other_pod):
    key = SURVEYS[PARENTS][0]
    # Of nine scores in the January wave (a skipped statement, a comment and a share of time
    # are not scores), five over 3; until the next wave closes.
    assert value(key, DECEMBER) is None
    for period in (JANUARY, FEBRUARY, MARCH):
        assert value(key, period) == Decimal("55.6")
    assert value(key, APRIL) == Decimal("83.3")
    # Oak Pod's three and Ash Pod's two in January are too few to show.
    assert value(key, JANUARY, Scope.of_team(pod)) is None
    assert value(key, JANUARY, Scope.of_team(other_pod)) is None
    assert value(key, APRIL, Scope.of_team(pod)) == Decimal("83.3")
    assert value(key, APRIL, Scope.of_team(other_pod)) is None  # no Ash Pod response
    # Ash Pod's own wave closes in May: its figure, not the authority's.
    assert value(key, MAY, Scope.of_team(other_pod)) == Decimal("100.0")
    assert value(key, MAY) == Decimal("83.3")
    assert value(key, MAY, Scope.of_team(pod)) == Decimal("83.3")


def test_a_wave_answered_by_four_has_no_figure_and_by_five_has_one(pod, senior_leader):
    key = SURVEYS["your-voice"][0]
    wave = make_wave(instrument="your-voice", opens=D(2026, 6, 1), closes=D(2026, 6, 19),
                     owner=senior_leader.user)  # fmt: skip
    for _ in range(4):
        make_response(wave=wave, scores=[5, 4, 4], team=pod)
    assert value(key, JUNE) is None and value(key, JUNE, Scope.of_team(pod)) is None
    make_response(wave=wave, scores=[1, 1, 1], team=pod)
    assert value(key, JUNE) == Decimal("80.0")
    assert value(key, JUNE, Scope.of_team(pod)) == Decimal("80.0")
    assert value(SURVEYS[PARENTS][0], JUNE) is None, "each instrument its own figure"


def test_a_past_months_figures_do_not_move_when_later_records_come(
    dataset, family, pod, social_worker
):
    scopes = [Scope.authority(), Scope.of_team(pod), Scope.of_worker(social_worker)]
    cells = [(key, period, scope) for key in KEYS for period in (JANUARY, FEBRUARY, MARCH)
             for scope in scopes if scope.kind in REGISTRY[key].scopes]  # fmt: skip
    before = [value(*cell) for cell in cells]
    # The unanswered February complaint answered late in April; the family moves back to Oak
    # Pod; a complaint, a compliment and an audit in April, a wave in July.
    stage = dataset["unanswered"].stages.get(number=1)
    stage.responded, stage.outcome = D(2026, 4, 7), "upheld"
    stage.save()
    family_services.family_transfer(family=family, team=pod, worker=social_worker,
                                    start=D(2026, 4, 1), reason="Back to Oak Pod")  # fmt: skip
    by = dataset["by"]
    make_complaint(received=D(2026, 4, 2), family=family, responded=D(2026, 4, 30), recorded_by=by)
    make_compliment(received=D(2026, 4, 2), family=family, recorded_by=by)
    make_audit(family=family, team=pod, overall=Grade.INADEQUATE, moderated=at(D(2026, 4, 2)))
    wave = make_wave(instrument=PARENTS, opens=D(2026, 7, 1), closes=D(2026, 7, 3), owner=by)
    for _ in range(5):
        make_response(wave=wave, scores=[1], team=pod)
    assert [value(*cell) for cell in cells] == before
    # The later months did move.
    assert value("stage_1_responses_in_time", APRIL) == Decimal("0.0")
    assert value("compliments", APRIL, Scope.of_team(pod)) == 1
    assert value("audits_good_or_better", APRIL) == Decimal("33.3")
    assert value(SURVEYS[PARENTS][0], JULY) == Decimal("0.0")


def test_each_series_equals_its_single_month_and_scope_calls(
    dataset, pod, other_pod, social_worker, outsider
):
    scopes = {
        AUTHORITY: [Scope.authority()],
        TEAM: [Scope.of_team(pod), Scope.of_team(other_pod)],
        WORKER: [Scope.of_worker(social_worker), Scope.of_worker(outsider),
                 Scope.of_worker(dataset["mover"])],
    }  # fmt: skip
    compared, answered = 0, set()
    for key in KEYS:
        kpi = REGISTRY[key]
        for kind in kpi.scopes:
            series = kpi.series(DECEMBER, JULY, kind)
            for scope in scopes[kind]:
                for period in Period.span(DECEMBER, JULY):
                    expected = series.get((period, scope.key), kpi.empty)
                    assert kpi.value(period, scope) == expected, (key, period, scope.key)
                    compared += 1
                    if expected:
                        answered.add((key, kind))
    assert compared == 8 * (5 * 6 + 4 * 3)
    expected = {(key, kind) for key in KEYS for kind in REGISTRY[key].scopes}
    no_data = {(key, kind) for key in KEYS[-3:] for kind in (AUTHORITY, TEAM)}
    assert answered == expected - no_data  # only the parents' interview has waves here


def test_the_figures_are_in_the_report_its_pdf_the_dashboard_and_the_export(
    family, pod, social_worker, senior_leader, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    last = Period.of(timezone.localdate()).previous()
    make_complaint(received=last.start, family=family, recorded_by=senior_leader.user)
    make_compliment(received=last.end, worker=social_worker, recorded_by=senior_leader.user)
    report = reports.report_build(reports.report_request(period=last, queue=False).pk)
    assert report.values["stage_1_complaints"]["value"] == 1
    assert report.values["compliments"]["value"] == 1
    assert set(KEYS) <= set(report.values)
    reports.pdf_request(report)
    text = " ".join(text_of(reports.pdf_render(report.pk).pdf.read()).split())
    assert "Stage 1 complaints received" in text and "Audits graded good or better" in text
    assert REGISTRY["stage_1_responses_in_time"].definition[:60] in text
    client = client_for(senior_leader)
    cards = {card["key"]: card for card in client.get("/reports/dashboard/").context["cards"]}
    assert cards["stage_1_complaints"]["value"] == 1 and cards["compliments"]["value"] == 1
    # Behind the complaint, compliment and audit figures, the list of them; not behind surveys.
    assert {key for key in KEYS if cards[key]["drill"]} == set(COMPLAINT_KEYS)
    assert cards["stage_1_complaints"]["drill"] == "kpi_feedback"
    export = client.get("/reports/export/authority.csv").content.decode()
    assert "Stage 1 complaints received" in export and "Your Voice (staff survey)" in export


def test_no_list_behind_the_feedback_figures(senior_leader):
    # The list behind a number lists children; complaints, compliments, audits and survey
    # answers are read on their own pages, under their own rules.
    assert not DRILLABLE & set(KEYS)  # children: the feedback lists are feedback_behind.py's
    client = client_for(senior_leader)
    for key in KEYS:
        assert client.get(f"/reports/children/{key}/{JANUARY}/authority/").status_code == 404
