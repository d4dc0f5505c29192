"""A worker's own figures on any day of the year."""

import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

LEAP_DAY = datetime.date(2028, 2, 29)


def test_it_shows_a_workers_figures_on_29_february(monkeypatch, social_worker_client):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: LEAP_DAY)
    page = social_worker_client.get("/reports/my-figures/")
    assert page.status_code == 200
    assert page.context["changes"] == 0
