"""The security log page for administrators: newest first, filters with clear errors, pages
that keep the filters, CSV export of the filtered rows with formula cells made text, and a
404 for everyone who is not an administrator."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import SecurityEvent
from accounts.security_log import Kind, Outcome
from accounts.views_security_log import EVENTS_PER_PAGE
from tests.clients import signed_in_client

pytestmark = pytest.mark.django_db

URL = "/account/security-log/"
EXPORT_URL = "/account/security-log/export/"


@pytest.fixture
def administrator(db):
    return get_user_model().objects.create_superuser(username="root", email="root@example.org")


@pytest.fixture
def administrator_client(administrator):
    return signed_in_client(administrator)


def _event(*, kind=Kind.SIGN_IN, outcome=Outcome.SUCCESS, username="sam", days_ago=0, **fields):
    return SecurityEvent.objects.create(
        kind=kind,
        outcome=outcome,
        username=username,
        occurred=timezone.now() - datetime.timedelta(days=days_ago),
        **fields,
    )


def _date(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _shown(response):
    return list(response.context["page"])


class TestWhoMayReadIt:
    @pytest.mark.parametrize("url", [URL, EXPORT_URL])
    def test_a_worker_gets_404(self, url, social_worker_client, senior_leader_client):
        assert social_worker_client.get(url).status_code == 404
        assert senior_leader_client.get(url).status_code == 404

    @pytest.mark.parametrize("url", [URL, EXPORT_URL])
    def test_staff_who_are_not_administrators_get_404(self, url, db):
        staff = get_user_model().objects.create_user(username="helpdesk", is_staff=True)
        assert signed_in_client(staff).get(url).status_code == 404

    def test_an_administrator_finds_it_in_the_navigation(self, administrator_client):
        response = administrator_client.get("/")
        assert {"text": "Security log", "href": URL, "active": False} in response.context[
            "navigation"
        ]


class TestTheList:
    def test_events_are_shown_newest_first(self, administrator_client):
        older = _event(days_ago=2)
        newer = _event(days_ago=1)
        newest = _event()
        assert _shown(administrator_client.get(URL)) == [newest, newer, older]

    def test_it_filters_by_kind_outcome_and_username(self, administrator_client):
        wanted = _event(kind=Kind.SIGN_IN_FAILED, outcome=Outcome.FAILURE, username="Sam")
        _event(kind=Kind.SIGN_IN_FAILED, outcome=Outcome.FAILURE, username="alex")
        _event(kind=Kind.SIGN_IN, username="sam")
        _event(kind=Kind.SIGN_IN_FAILED, outcome=Outcome.REFUSED, username="sam")
        response = administrator_client.get(
            URL, {"kind": Kind.SIGN_IN_FAILED, "outcome": Outcome.FAILURE, "username": "sam"}
        )
        assert _shown(response) == [wanted]

    def test_it_filters_by_dates_from_and_to_inclusive(self, administrator_client):
        today = timezone.localdate()
        _event(days_ago=10)
        from_day = _event(days_ago=5)
        to_day = _event(days_ago=3)
        _event(days_ago=1)
        response = administrator_client.get(
            URL,
            {
                **_date("date_from", today - datetime.timedelta(days=5)),
                **_date("date_to", today - datetime.timedelta(days=3)),
            },
        )
        assert _shown(response) == [to_day, from_day]

    def test_a_date_that_is_not_real_gets_a_clear_error(self, administrator_client):
        response = administrator_client.get(
            URL, {"date_from_day": "31", "date_from_month": "2", "date_from_year": "2026"}
        )
        content = response.content.decode()
        assert response.status_code == 400
        assert "There is a problem" in content and "Date from must be a real date" in content
        assert "page" not in response.context

    def test_half_a_date_says_what_is_missing(self, administrator_client):
        response = administrator_client.get(URL, {"date_to_day": "3", "date_to_year": "2026"})
        assert response.status_code == 400
        assert "Date to must include a month" in response.content.decode()

    def test_dates_the_wrong_way_round_get_a_clear_error(self, administrator_client):
        response = administrator_client.get(
            URL,
            {
                **_date("date_from", datetime.date(2026, 5, 2)),
                **_date("date_to", datetime.date(2026, 5, 1)),
            },
        )
        assert response.status_code == 400
        assert "The date to must be the same as or after the date from" in response.content.decode()

    def test_pages_keep_the_filters(self, administrator_client):
        for _ in range(EVENTS_PER_PAGE + 1):
            _event(kind=Kind.LOCKOUT, outcome=Outcome.REFUSED)
        _event(kind=Kind.SIGN_IN)
        first = administrator_client.get(URL, {"kind": Kind.LOCKOUT})
        assert len(_shown(first)) == EVENTS_PER_PAGE
        assert "?kind=lockout&amp;page=2" in first.content.decode()
        second = administrator_client.get(URL, {"kind": Kind.LOCKOUT, "page": "2"})
        assert [event.kind for event in _shown(second)] == [Kind.LOCKOUT]

    def test_the_number_of_queries_does_not_grow_with_the_events(
        self, administrator_client, django_assert_max_num_queries
    ):
        for _ in range(EVENTS_PER_PAGE):
            _event(kind=Kind.BREAK_GLASS, target_label="F000123", detail="until 16:00")
        # session, user, OTP device, count, the navigation's worker lookup, one page of
        # events, and the session's save (savepoint, update, release); nothing per row.
        with django_assert_max_num_queries(9):
            response = administrator_client.get(URL)
        assert len(_shown(response)) == EVENTS_PER_PAGE


class TestTheExport:
    def _rows(self, response):
        return list(csv.reader(io.StringIO(response.content.decode())))

    def test_it_is_an_attachment_of_the_filtered_rows_newest_first(self, administrator_client):
        _event(kind=Kind.SIGN_IN, username="alex")
        older = _event(kind=Kind.BREAK_GLASS, username="leader", days_ago=1, address="10.0.0.1")
        newer = _event(kind=Kind.BREAK_GLASS, username="leader", target_label="F000123")
        response = administrator_client.get(EXPORT_URL, {"kind": Kind.BREAK_GLASS})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"].startswith('attachment; filename="security-log-')
        assert "no-store" in response["Cache-Control"]
        header, *rows = self._rows(response)
        assert header[:5] == ["When", "Username", "Address", "Event", "Outcome"]
        assert [row[1] for row in rows] == ["leader", "leader"]
        assert rows[0][7] == newer.target_label and rows[1][2] == older.address

    def test_cells_that_a_spreadsheet_would_run_are_written_as_text(self, administrator_client):
        _event(username='=HYPERLINK("http://evil")', detail="\t=1+1")
        (_, row) = self._rows(administrator_client.get(EXPORT_URL))
        assert row[1] == '\'=HYPERLINK("http://evil")'
        assert row[8] == "'\t=1+1"

    def test_a_bad_filter_exports_nothing_and_says_why(self, administrator_client):
        response = administrator_client.get(
            EXPORT_URL, {"date_from_day": "40", "date_from_month": "1", "date_from_year": "2026"}
        )
        assert response.status_code == 400
        assert "Date from must be a real date" in response.content.decode()
