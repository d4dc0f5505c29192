"""The demo's parents' telephone interviews reproduce Appendix 1, Table 1 of the evaluation
(004): the results page of February 2017, compared with July 2016, shows the published
statements in the published order with both columns of means and the change, as typed here
from the evaluation (not read from the data file the demo uses). Its Your Voice wave and its
children and young people's wave show the published figures too."""

import datetime
import random
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from feedback.demo import surveys as surveys_demo
from feedback.models import Answer, Response, Wave
from pods import demo as pods_demo
from pods.models import Worker
from tests.clients import client_for

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)

# Appendix 1, Table 1: statement, mean July 16 (n=23), mean Feb 17 (n=23), change from July 16.
TABLE_ONE = [
    ("My social worker explains their role and why they are involved in my life", "4.6", "4.5", "-0.1"),  # noqa: E501
    ("Overall, I think my contact with the social worker has been positive", "4.2", "4.4", "+0.2"),  # noqa: E501
    ("My social worker has built a good relationship with me and my family", "4.0", "4.3", "+0.3"),  # noqa: E501
    ("My social worker knows enough about my family situation", "3.6", "4.2", "+0.6"),  # noqa: E501
    ("My social worker explains clearly what they think about my situation and what they think needs to change", "4.3", "4.2", "-0.1"),  # noqa: E501
    ("My social worker understands what I am saying and how I am feeling even when we disagree", "4.2", "4.1", "-0.1"),  # noqa: E501
    ("My social worker involves me in decisions made about me and my family", "4.1", "4.1", "0.0"),  # noqa: E501
    ("My social worker always keeps me informed about what is happening", "3.9", "4.0", "+0.1"),  # noqa: E501
    ("Overall, I think the work I have done with my social worker has been successful", "4.0", "4.0", "0.0"),  # noqa: E501
    ("My social worker is easy to contact and if they are not available there is always someone I can speak to", "3.9", "3.9", "0.0"),  # noqa: E501
]  # fmt: skip
YOUR_VOICE_2017 = {
    "Continuity": 74,
    "Consistency": 73,
    "Collaboration": 70,
    "Agent of Change": 59,
    "Learning Culture": 64,
    "Organisational Culture": 43,
}
CHILDREN_2016 = [4.3, 3.5, 3.9, 4.3, 4.1, 4.0, 3.9, 3.8, 3.1, 4.1]


class TableParser(HTMLParser):
    """The rows of the table with the given id, each a list of its cells' text."""

    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table(content: bytes, table_id: str) -> list[list[str]]:
    parser = TableParser(table_id)
    parser.feed(content.decode())
    return parser.rows


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The organisation and the survey demo, built once for the module."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            rng = random.Random(5)
            pods_demo.build(rng=rng, today=TODAY, scale=0.1)
            counts = surveys_demo.build(rng=rng, today=TODAY, scale=1)
            yield counts
            transaction.set_rollback(True)


@pytest.fixture
def leader_client(demo):
    return client_for(Worker.objects.filter(role=Worker.Role.SENIOR_LEADER).first())


def test_the_results_page_is_appendix_1_table_1(leader_client):
    july = Wave.objects.get(name="July 2016")
    february = Wave.objects.get(name="February 2017")
    assert Response.objects.filter(wave=july).count() == 23
    assert Response.objects.filter(wave=february).count() == 23
    response = leader_client.get(f"/feedback/surveys/waves/{february.pk}/?compare={july.pk}")
    assert response.status_code == 200
    rows = table(response.content, "survey-results")
    header, body = rows[0], rows[1:]
    assert header[1:4] == [
        "Mean score July 2016 n=23",
        "Mean score February 2017 n=23",
        "Change from July 2016",
    ]
    shown = [(re.sub(r"^\d+\. ", "", row[0]), row[1], row[2], row[3]) for row in body]
    assert shown == TABLE_ONE


def test_the_change_is_the_difference_of_the_shown_means(leader_client):
    for _statement, before, after, change in TABLE_ONE:
        assert Decimal(after) - Decimal(before) == Decimal(change)


def test_your_voice_positive_rates_are_within_two_points_of_2017(leader_client):
    wave = Wave.objects.get(instrument__slug="your-voice")
    assert Response.objects.filter(wave=wave).count() == 104
    rows = table(
        leader_client.get(f"/feedback/surveys/waves/{wave.pk}/").content, "survey-principles"
    )
    shown = {row[0]: int(row[1].rstrip("%")) for row in rows[1:]}
    assert shown.keys() == YOUR_VOICE_2017.keys()
    for principle, rate in YOUR_VOICE_2017.items():
        assert abs(shown[principle] - rate) <= 2, principle


def test_the_children_and_young_peoples_wave_shows_the_published_means(leader_client):
    wave = Wave.objects.get(instrument__slug="children-young-people")
    assert Response.objects.filter(wave=wave).count() == 19
    rows = table(leader_client.get(f"/feedback/surveys/waves/{wave.pk}/").content, "survey-results")
    texts = list(wave.instrument.statements.filter(kind="scale").order_by("order"))
    by_text = {re.sub(r"^\d+\. ", "", row[0]): Decimal(row[1]) for row in rows[1:]}
    assert [by_text[s.text] for s in texts] == [Decimal(str(m)) for m in CHILDREN_2016]


def _fingerprint() -> list:
    """Every survey response as its wave and its answers in statement order (ids are random)."""
    answers = {}
    for wave, response, code, value, text in Answer.objects.values_list(
        "response__wave__name", "response_id", "statement__code", "value", "text"
    ):
        answers.setdefault((wave, response), []).append((code, value, text))
    return sorted((wave, sorted(given)) for (wave, _), given in answers.items())


def _rebuilt(seed: int) -> list:
    from django.db import transaction

    with transaction.atomic():
        Answer.objects.all().delete()
        Response.objects.all().delete()
        Wave.objects.all().delete()
        surveys_demo.build(rng=random.Random(seed), today=TODAY, scale=0.3)
        found = _fingerprint()
        transaction.set_rollback(True)
    return found


def test_the_same_seed_gives_the_same_answers(demo):
    first = _rebuilt(9)
    assert len(first) == 23 + 23 + 19 + 31
    assert _rebuilt(9) == first
    assert _rebuilt(10) != first
