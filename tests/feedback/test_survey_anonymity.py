"""Anonymity by design (feedback/models/surveys.py): a staff response keeps no person, time,
link or family; nothing in the tables can join it to who gave it; there is no history of
them; the link is used in its own transaction before the answers are written; and once the
wave closes, sealing leaves no row order in PostgreSQL's ``xmin`` to match them up with."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from feedback.models import Response, SurveyLink
from feedback.surveys import sealing
from tests.feedback.conftest import make_link, scale_answers

STAFF_TOKENS = [f"staff-token-{n}-for-the-anonymity-tests-00000000" for n in range(6)]


def _columns(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s",
            [table],
        )
        return dict(cursor.fetchall())


def _foreign_keys(table: str) -> dict[str, str]:
    """Each foreign key column of the table and the table it points at."""
    with connection.cursor() as cursor:
        relations = connection.introspection.get_relations(cursor, table)
    return {column: target for column, (_field, target) in relations.items()}


def _answer_as_staff(staff_wave, workers):
    for token, worker in zip(STAFF_TOKENS, workers, strict=False):
        make_link(staff_wave, token=token, worker=worker, email=f"{worker.user.username}@x.example")
    for token in STAFF_TOKENS[: len(workers)]:
        data = scale_answers(staff_wave.instrument, comment="More time with families, please")
        assert Client().post(f"/survey/{token}/", data).status_code == 302


@pytest.mark.django_db
def test_answers_and_responses_point_only_at_the_wave_statement_team_and_an_interviewer():
    """A response's only foreign keys: its wave and team, and for the parents' surveys the
    family and the interviewer (empty for a staff survey, next test). Never a link or a worker."""
    assert _foreign_keys("feedback_response") == {
        "wave_id": "feedback_wave",
        "team_id": "pods_team",
        "family_id": "families_family",
        "interviewer_id": "auth_user",
    }
    assert _foreign_keys("feedback_answer") == {
        "response_id": "feedback_response",
        "statement_id": "feedback_statement",
    }
    for table in ("feedback_response", "feedback_answer"):
        kinds = set(_columns(table).values())
        assert not any("timestamp" in kind or kind == "time" for kind in kinds), table
    assert _columns("feedback_response")["id"] == "uuid"
    assert _columns("feedback_answer")["id"] == "uuid"


@pytest.mark.django_db
def test_there_is_no_history_of_responses_answers_or_links():
    tables = set(connection.introspection.table_names())
    for name in ("response", "answer", "surveylink"):
        assert f"feedback_historical{name}" not in tables
    assert "feedback_historicalwave" in tables  # the history that is kept, so the check bites


@pytest.mark.django_db
def test_a_staff_response_keeps_no_person_time_link_or_family(staff_wave, social_worker, pod):
    _answer_as_staff(staff_wave, [social_worker])
    response = Response.objects.get()
    assert response.family_id is None and response.interviewer_id is None
    assert response.given_on is None and response.team == pod
    assert response.id.version == 4  # random: no order of arrival in the key
    link = SurveyLink.objects.get()
    # The link says they answered, and only the day: not the moment beside the name.
    local = timezone.localtime(link.used)
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    assert local.date() == timezone.localdate()


@pytest.mark.django_db(transaction=True)
def test_the_link_is_used_in_its_own_transaction_and_sealing_leaves_one_xmin(
    instruments, senior_leader, pod
):
    from tests.factories import make_worker
    from tests.feedback.conftest import make_wave

    workers = [make_worker(team=pod) for _ in STAFF_TOKENS]
    for worker in workers:
        worker.user.email = f"{worker.user.username}@x.example"
        worker.user.save()
    wave = make_wave(instruments["your-voice"], senior_leader, team=pod)
    _answer_as_staff(wave, workers)

    def xmins(table, where="wave_id = %s"):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT xmin::text FROM {table} WHERE {where}", [wave.pk])  # noqa: S608
            return [row[0] for row in cursor.fetchall()]

    used_links, responses = set(xmins("feedback_surveylink")), set(xmins("feedback_response"))
    assert len(responses) == len(STAFF_TOKENS)  # one transaction per response, in order
    assert not used_links & responses  # no link was used in the transaction of its answers
    # Still open: not sealed (its answers are still coming).
    assert not sealing.wave_seal(wave=wave, today=timezone.localdate())
    assert not sealing.is_sealed(wave)

    after_closing = wave.closes + datetime.timedelta(days=1)
    assert sealing.seal_closed_waves(today=after_closing) == 1
    answers = "response_id IN (SELECT id FROM feedback_response WHERE wave_id = %s)"
    assert len(set(xmins("feedback_response"))) == 1
    assert len(set(xmins("feedback_answer", answers))) == 1
    assert len(set(xmins("feedback_surveylink"))) == 1
    assert sealing.is_sealed(wave)
    assert sealing.seal_closed_waves(today=after_closing) == 0  # once is enough
