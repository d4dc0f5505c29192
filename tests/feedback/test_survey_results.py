"""Results of a wave: n, mean to one place, % positive, the change from an earlier wave, the
order of Appendix 1, Table 1; no figure for fewer than five (per statement, per team, per
principle, overall, and so in the CSV, the XLSX and the chart); comments held for moderation
before anyone but the wave's owner reads them."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from feedback.models import Answer, Response
from feedback.surveys import services
from feedback.surveys.results import results_for
from tests.clients import client_for
from tests.factories import make_worker
from tests.feedback.conftest import make_wave

pytestmark = pytest.mark.django_db


def give(wave, scores: dict[str, int], *, team=None, comment="", shares=None):
    """One response through the service, as a link or an interviewer writes it."""
    statements = {s.code: s for s in wave.instrument.statements.all()}
    given = [services.Given(statements[code], value=value) for code, value in scores.items()]
    if comment:
        given.append(services.Given(statements["comment"], text=comment))
    for code, value in (shares or {}).items():
        given.append(services.Given(statements[code], value=value))
    response = Response.objects.create(wave=wave, mode="online", team=team)
    services._write_answers(response=response, given=given)
    return response


@pytest.fixture
def earlier_wave(instruments, senior_leader):
    today = timezone.localdate()
    return make_wave(
        instruments["parents-telephone-interview"],
        senior_leader,
        name="Spring",
        opens=today - datetime.timedelta(days=200),
        closes=today - datetime.timedelta(days=170),
    )


def test_n_mean_positive_and_change_per_statement(parents_wave, earlier_wave):
    for score in (5, 5, 4, 2, 3):
        give(parents_wave, {"explains_role": score, "keeps_me_informed": 3})
    for score in (4, 4, 3, 3, 3):
        give(earlier_wave, {"explains_role": score, "keeps_me_informed": 4})
    results = results_for(wave=parents_wave, earlier=earlier_wave)
    rows = {row.statement.code: row for row in results.rows}
    role = rows["explains_role"]
    assert role.figures.n == 5 and role.figures.mean == Decimal("3.8")
    assert role.figures.positive_pct == 60  # 5, 5 and 4 of five are over 3
    assert role.earlier.mean == Decimal("3.4") and role.change == Decimal("0.4")
    assert rows["keeps_me_informed"].change == Decimal("-1.0")
    assert rows["keeps_me_informed"].figures.positive_pct == 0


def test_statements_are_ordered_by_mean_and_ties_by_the_unrounded_mean(parents_wave):
    # 4.2 (21/5) and 4.24 are both 4.2 shown: the higher unrounded mean comes first, whatever
    # the instrument's order; equal means keep the instrument's order.
    scores = [
        {"explains_role": 4, "knows_family_situation": 4, "good_relationship": 5},
        {"explains_role": 4, "knows_family_situation": 4, "good_relationship": 5},
        {"explains_role": 4, "knows_family_situation": 5, "good_relationship": 5},
        {"explains_role": 4, "knows_family_situation": 4, "good_relationship": 5},
        {"explains_role": 5, "knows_family_situation": 4, "good_relationship": 5},
    ]
    for row in scores * 5:  # 25 answers each: 4.2 and 4.2, then 5.0
        give(parents_wave, row)
    give(parents_wave, {"explains_role": 4, "knows_family_situation": 5, "good_relationship": 5})
    order = [row.statement.code for row in results_for(wave=parents_wave).rows][:3]
    assert order == ["good_relationship", "knows_family_situation", "explains_role"]


def test_fewer_than_five_show_no_figure_anywhere(parents_wave, senior_leader):
    for _ in range(4):
        give(parents_wave, {"explains_role": 5}, comment="Brilliant")
    results = results_for(wave=parents_wave, reader_is_owner=True)
    assert not results.shown and results.comments == []
    assert all(row.figures.mean is None for row in results.rows)
    client = client_for(senior_leader)
    page = client.get(f"/feedback/surveys/waves/{parents_wave.pk}/")
    assert b"No figures are shown for fewer than 5 people" in page.content
    assert b"<svg" not in page.content and b"Brilliant" not in page.content
    table = list(
        csv.reader(
            io.StringIO(
                client.get(
                    f"/feedback/surveys/waves/{parents_wave.pk}/results.csv"
                ).content.decode()
            )
        )
    )
    assert all(cells[1:] == ["", "", ""] for cells in table[1:] if cells)
    sheet = load_workbook(
        io.BytesIO(client.get(f"/feedback/surveys/waves/{parents_wave.pk}/results.xlsx").content)
    ).active
    assert all(
        value is None
        for row in sheet.iter_rows(min_row=3, min_col=2, values_only=True)
        for value in row
    )


def test_a_team_of_fewer_than_five_shows_no_figure_while_the_whole_wave_does(
    staff_wave, pod, other_pod, senior_leader
):
    for _ in range(4):
        give(staff_wave, {"familiar_people": 5}, team=pod)
    for _ in range(3):
        give(staff_wave, {"familiar_people": 1}, team=other_pod)
    whole = results_for(wave=staff_wave)
    assert whole.respondents == 7
    familiar = next(r for r in whole.rows if r.statement.code == "familiar_people")
    assert familiar.figures.mean == Decimal("3.3")
    continuity = next(p for p in whole.principles if p.name == "Continuity")
    assert continuity.positive_pct == 57
    slice_ = results_for(wave=staff_wave, team=pod)
    assert not slice_.shown and all(row.figures.mean is None for row in slice_.rows)
    assert all(p.positive_pct is None for p in slice_.principles)
    page = client_for(senior_leader).get(f"/feedback/surveys/waves/{staff_wave.pk}/?team={pod.pk}")
    assert b"No figures are shown for fewer than 5 people" in page.content


def test_a_pod_manager_reads_only_their_pods_slice(staff_wave, pod, other_pod, pod_manager):
    for _ in range(5):
        give(staff_wave, {"familiar_people": 5}, team=pod)
    staff_wave.team = None
    staff_wave.save()
    for _ in range(6):
        give(staff_wave, {"familiar_people": 1}, team=other_pod)
    client = client_for(pod_manager)
    page = client.get(f"/feedback/surveys/waves/{staff_wave.pk}/?team={other_pod.pk}")
    assert page.status_code == 200
    assert page.context["results"].team == pod and page.context["results"].respondents == 5
    assert b"Ash Pod" not in page.content


def test_time_use_averages(staff_wave):
    for children in (10, 20, 30, 40, 50):
        give(
            staff_wave, {}, shares={"time_children": children, "time_reports_admin": 100 - children}
        )
    averages = {s.code: a for s, a in results_for(wave=staff_wave).time_use}
    assert averages["time_children"] == Decimal("30.0")
    assert averages["time_reports_admin"] == Decimal("70.0")
    assert averages["time_cpd"] is None


def test_comments_wait_for_the_owner_before_anyone_else_reads_them(parents_wave, senior_leader):
    other_leader = make_worker(role="senior_leader", team=senior_leader.memberships.first().team)
    for n in range(5):
        give(parents_wave, {"explains_role": 4}, comment=f"Comment number {n}")
    path = f"/feedback/surveys/waves/{parents_wave.pk}/"
    owner, other = client_for(senior_leader), client_for(other_leader)
    assert b"Comment number 0" in owner.get(path).content
    assert b"Comment number 0" not in other.get(path).content
    first, second = Answer.objects.filter(
        text__in=["Comment number 0", "Comment number 1"]
    ).order_by("text")
    moderate = "/feedback/surveys/comments/{}/moderate/"
    assert owner.post(moderate.format(first.pk), {"decision": "publish"}).status_code == 302
    assert owner.post(moderate.format(second.pk), {"decision": "withhold"}).status_code == 302
    page = other.get(path).content
    assert b"Comment number 0" in page and b"Comment number 1" not in page
    assert b"Comment number 2" not in page
    # Only the owner moderates: another leader's attempt is a 404 and changes nothing.
    assert other.post(moderate.format(second.pk), {"decision": "publish"}).status_code == 404
    second.refresh_from_db()
    assert second.moderation == Answer.Moderation.WITHHELD


def test_the_csv_and_xlsx_hold_the_pages_figures(parents_wave, earlier_wave, senior_leader):
    for score in (5, 4, 4, 4, 3):
        give(parents_wave, {"explains_role": score})
    for score in (4, 4, 4, 3, 3):
        give(earlier_wave, {"explains_role": score})
    client = client_for(senior_leader)
    base = f"/feedback/surveys/waves/{parents_wave.pk}/results"
    response = client.get(f"{base}.csv?compare={earlier_wave.pk}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Statement", "n Spring", "Mean Spring", "% positive Spring",
        "n Autumn", "Mean Autumn", "% positive Autumn", "Change from Spring",
    ]  # fmt: skip
    role = parents_wave.instrument.statements.get(code="explains_role").text
    assert rows[1] == [role, "5", "3.6", "60", "5", "4.0", "80", "0.4"]
    sheet = load_workbook(
        io.BytesIO(client.get(f"{base}.xlsx?compare={earlier_wave.pk}").content)
    ).active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0][0] == "Parents' telephone interview: Autumn"
    assert cells[2] == [role, 5, 3.6, 60, 5, 4.0, 80, 0.4]


def test_a_cell_that_looks_like_a_formula_is_text_in_the_export():
    from feedback.surveys.exports import as_csv

    assert as_csv([["=HYPERLINK(1)"]]).startswith("'=HYPERLINK")


def test_the_chart_has_a_bar_for_each_shown_mean_and_none_for_a_hidden_one(
    parents_wave, senior_leader
):
    for _ in range(5):
        give(parents_wave, {"explains_role": 4})
    page = (
        client_for(senior_leader)
        .get(f"/feedback/surveys/waves/{parents_wave.pk}/")
        .content.decode()
    )
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.count("<rect") == 1
    assert "<title" in svg and "<script" not in svg


def test_the_results_page_reads_a_fixed_number_of_queries(
    parents_wave, earlier_wave, senior_leader, django_assert_max_num_queries
):
    for _ in range(6):
        give(parents_wave, {"explains_role": 4, "good_relationship": 5}, comment="Kind")
        give(earlier_wave, {"explains_role": 3})
    client = client_for(senior_leader)
    path = f"/feedback/surveys/waves/{parents_wave.pk}/?compare={earlier_wave.pk}"
    client.get(path)  # the session and sign-in caches warmed
    # The sign-in's (session, user, second factor, worker, navigation, the session saved) and
    # the page's: the wave, the earlier waves, the teams answered, the statements, each wave's
    # respondents and figures, and the comments (no shares of time in this instrument). The
    # same for six answers or six thousand.
    with django_assert_max_num_queries(16):
        assert client.get(path).status_code == 200
