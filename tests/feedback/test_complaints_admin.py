"""Administrators keep the themes in the admin; complaints themselves are not in admin."""

import pytest
from django.contrib.auth import get_user_model

from feedback.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "x" * 20)
    client.force_login(user)
    return client


def test_an_administrator_edits_a_theme_and_cannot_delete_one(admin_client, settings):
    settings.PODS_SECOND_FACTOR = False
    theme = Theme.objects.create(used_for=Theme.For.COMPLAINTS, name="Parking at the office")
    page = admin_client.get(f"/admin/feedback/theme/{theme.pk}/change/")
    assert page.status_code == 200
    assert b"Delete" not in page.content
    assert admin_client.get("/admin/feedback/complaint/").status_code == 404
