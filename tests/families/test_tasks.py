"""The daily grant tidy-up, run by a real Celery worker against the real Redis broker."""

import datetime

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app
from families.models import FamilyGrant, FamilyUserObjectPermission
from families.tasks import clear_expired_grants


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_clears_guardian_rows_behind_expired_grants(family, outsider, pod_manager):
    from families import services

    grant = services.grant_give(
        family=family,
        user=outsider.user,
        kind=FamilyGrant.Kind.COVER,
        reason="Cover",
        expires=timezone.now() + datetime.timedelta(hours=1),
        granted_by=pod_manager.user,
    )
    # The grant has run out (as if two hours had passed): move it into the past.
    now = timezone.now()
    FamilyGrant.objects.filter(pk=grant.pk).update(
        starts=now - datetime.timedelta(hours=2), expires=now - datetime.timedelta(seconds=1)
    )
    assert FamilyUserObjectPermission.objects.filter(user=outsider.user).exists()

    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
        assert clear_expired_grants.delay().get(timeout=30) == 1

    assert not FamilyUserObjectPermission.objects.filter(user=outsider.user).exists()
