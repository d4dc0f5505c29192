"""The public page a single-use link opens: it asks the questions without showing anything
about the family or a worker, saves the answers once, and for a used, expired or forged link
shows the same plain page and saves nothing. It is never cached, sends no Referer, and the
token is never written to the log."""

import datetime
import logging
import re

import pytest
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone

from feedback.models import Answer, Response, SurveyLink
from feedback.surveys import links, services
from tests.feedback.conftest import SURVEY_TOKEN, make_link, make_wave, scale_answers

pytestmark = pytest.mark.django_db
PATH = f"/survey/{SURVEY_TOKEN}/"


def _without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def test_it_asks_every_statement_and_shows_nothing_about_the_family(
    parent_link, family, social_worker
):
    response = Client().get(PATH)
    assert response.status_code == 200
    page = response.content.decode()
    for statement in parent_link.wave.instrument.statements.all():
        assert statement.text.replace("'", "&#x27;") in page
    assert 'type="radio"' in page and "<script>" not in page
    for private in (family.display_name, family.reference, "Okafor", "Ada", social_worker.name):
        assert private not in page


def test_it_is_not_cached_and_sends_no_referer(parent_link):
    for response in (Client().get(PATH), Client().get("/survey/forged/")):
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"


def test_answers_are_saved_once_with_the_family_and_the_link_is_used(parent_link, family):
    client = Client()
    data = scale_answers(parent_link.wave.instrument, comment="Thank you for listening")
    response = client.post(PATH, data)
    assert response.status_code == 302 and response.url == "/survey/thanks/"
    saved = Response.objects.get()
    assert saved.family == family and saved.mode == Response.Mode.ONLINE
    assert saved.given_on == timezone.localdate()
    assert saved.answers.filter(value=4).count() == 10
    assert saved.answers.get(statement__code="comment").moderation == Answer.Moderation.PENDING
    parent_link.refresh_from_db()
    assert parent_link.used is not None
    assert b"Thank you" in client.get("/survey/thanks/").content


def test_a_link_used_twice_shows_the_plain_page_and_saves_nothing_more(parent_link):
    data = scale_answers(parent_link.wave.instrument)
    Client().post(PATH, data)
    again = Client().post(PATH, scale_answers(parent_link.wave.instrument, value=1))
    assert again.status_code == 200
    assert b"This link cannot be used" in again.content
    assert Response.objects.count() == 1 and not Answer.objects.filter(value=1).exists()
    assert b"This link cannot be used" in Client().get(PATH).content


def test_forged_used_expired_and_another_persons_links_get_the_same_page(
    parent_link, parents_wave, instruments, senior_leader
):
    Client().post(PATH, scale_answers(parents_wave.instrument))
    used = Client().get(PATH).content
    forged = Client().get("/survey/not-a-real-token-at-all/").content
    closed = make_wave(
        instruments["parents-telephone-interview"],
        senior_leader,
        name="Last spring",
        opens=timezone.localdate() - datetime.timedelta(days=60),
        closes=timezone.localdate() - datetime.timedelta(days=1),
    )
    make_link(closed, token="an-expired-token-for-the-tests-000000000000")
    expired = Client().get("/survey/an-expired-token-for-the-tests-000000000000/").content
    assert _without_csrf(used) == _without_csrf(forged) == _without_csrf(expired)


def test_an_expired_link_saves_nothing(instruments, senior_leader):
    closed = make_wave(
        instruments["parents-telephone-interview"],
        senior_leader,
        opens=timezone.localdate() - datetime.timedelta(days=30),
        closes=timezone.localdate() - datetime.timedelta(days=1),
    )
    make_link(closed, token="an-expired-token-for-the-tests-000000000000")
    response = Client().post(
        "/survey/an-expired-token-for-the-tests-000000000000/", scale_answers(closed.instrument)
    )
    assert b"This link cannot be used" in response.content
    assert not Response.objects.exists()
    assert SurveyLink.objects.get().used is None


def test_a_link_works_until_midnight_at_the_end_of_the_closing_day_in_london(parent_link):
    closes = datetime.date(2026, 7, 10)  # British Summer Time: midnight is 23:00 UTC
    parent_link.wave.closes = closes
    last_minute = datetime.datetime(2026, 7, 10, 22, 59, tzinfo=datetime.UTC)
    midnight = datetime.datetime(2026, 7, 10, 23, 0, tzinfo=datetime.UTC)
    assert links.is_open(parent_link, last_minute)
    assert not links.is_open(parent_link, midnight)
    parent_link.wave.closes = datetime.date(2026, 12, 10)  # GMT: midnight is midnight UTC
    assert links.is_open(parent_link, datetime.datetime(2026, 12, 10, 23, 59, tzinfo=datetime.UTC))
    assert not links.is_open(
        parent_link, datetime.datetime(2026, 12, 11, 0, 0, tzinfo=datetime.UTC)
    )


def test_an_answer_outside_the_scale_is_a_form_error_and_nothing_is_saved(parent_link):
    instrument = parent_link.wave.instrument
    first = instrument.statements.get(order=1).code
    response = Client().post(PATH, scale_answers(instrument, **{first: 6}))
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Statement 1: choose a number from 1 to 5" in response.content
    assert not Response.objects.exists()
    parent_link.refresh_from_db()
    assert parent_link.used is None


def test_a_statement_left_unanswered_is_named_in_the_error(parent_link):
    data = scale_answers(parent_link.wave.instrument)
    data.pop(parent_link.wave.instrument.statements.get(order=3).code)
    response = Client().post(PATH, data)
    assert b"Choose how much you agree with statement 3" in response.content
    assert not Response.objects.exists()


def test_shares_of_time_must_add_up_to_100(staff_wave, social_worker):
    make_link(staff_wave, token="a-staff-token-for-the-tests-00000000000000", worker=social_worker)
    data = scale_answers(staff_wave.instrument)
    data.update(time_children="50", time_adults="60")
    response = Client().post("/survey/a-staff-token-for-the-tests-00000000000000/", data)
    assert b"The percentages of your time must add up to 100" in response.content
    assert not Response.objects.exists()


def test_when_the_answers_cannot_be_written_the_link_is_given_back(parent_link):
    statement = parent_link.wave.instrument.statements.get(order=1)
    with pytest.raises(IntegrityError):
        # 101 breaks the database's range check on answers: the write fails after the use.
        services.response_give(link=parent_link, given=[services.Given(statement, value=101)])
    parent_link.refresh_from_db()
    assert parent_link.used is None
    assert not Response.objects.exists()


def test_the_token_is_never_logged(parent_link, caplog):
    instrument = parent_link.wave.instrument
    with caplog.at_level(logging.DEBUG):
        Client().get(PATH)
        Client().post(PATH, scale_answers(instrument, **{instrument.statements.first().code: 9}))
        Client().post(PATH, scale_answers(instrument))
        Client().post(PATH, scale_answers(instrument))
        Client().get("/survey/forged-token-that-is-not-there/")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert SURVEY_TOKEN not in logged and "forged-token-that-is-not-there" not in logged


def test_a_browser_that_sends_no_referer_can_post_the_answers(parent_link):
    """With no-referrer a browser posts with ``Origin: null`` and no CSRF cookie: the token in
    the address is the proof, and the form is saved."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(PATH, scale_answers(parent_link.wave.instrument), HTTP_ORIGIN="null")
    assert response.status_code == 302 and Response.objects.count() == 1
