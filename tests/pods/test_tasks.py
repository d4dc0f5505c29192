"""The daily group sync, run by a real Celery worker against the real Redis broker."""

import datetime

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app
from pods import services
from pods.tasks import sync_team_groups
from tests.factories import make_team, make_worker


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_brings_team_groups_into_step():
    team = make_team()
    worker = make_worker()
    today = timezone.localdate()
    # A membership that started "yesterday" but whose group was never granted (as when a
    # future-dated membership comes due overnight).
    services.membership_start(
        worker=worker,
        team=team,
        start=today - datetime.timedelta(days=1),
        today=today - datetime.timedelta(days=2),
    )
    assert not worker.user.groups.filter(pk=team.group_id).exists()

    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
        result = sync_team_groups.delay()
        assert result.get(timeout=30) >= 1

    assert worker.user.groups.filter(pk=team.group_id).exists()
