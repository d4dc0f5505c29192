"""Authenticated pages and downloads are sent ``Cache-Control: no-store, private`` (ASVS 8.2.1:
council PCs are shared, so neither the browser nor a proxy may keep a copy); the sign-in page,
/healthz and static files are left to their own headers."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from families import services as family_services
from onestory.models import StoryExport
from pods.models import Team
from reporting.models import MonthlyReport
from tests.clients import client_for, signed_in_client
from tests.factories import make_team, make_worker
from tests.families.conftest import REFERRED, refer
from tests.test_sign_in import _all_paths

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Cache-Control", "").split(",")}


def assert_not_stored(response, what):
    assert {"no-store", "private"} <= _directives(response), (what, response.get("Cache-Control"))


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def administrator(db):
    worker = make_worker(username="admin")
    worker.user.is_staff = worker.user.is_superuser = True
    worker.user.save()
    return worker


def test_every_page_a_signed_in_person_asks_for_is_not_stored(administrator, senior_leader):
    paths = sorted(set(_all_paths()) - {"/healthz", "/sign-out/"})
    assert "/my-pod/" in paths and "/reports/dashboard/" in paths
    for worker in (administrator, senior_leader):
        client = client_for(worker)
        for path in paths:
            assert_not_stored(client.get(path), (worker.user.username, path))


def test_the_reports_downloads_are_not_stored(senior_leader):
    report = MonthlyReport.objects.create(
        period=datetime.date(2025, 1, 1),
        status=MonthlyReport.Status.READY,
        pdf_status=MonthlyReport.PdfStatus.READY,
        values={"caseload": {"name": "Caseload", "value": 3, "unit": "", "definition": ""}},
    )
    report.pdf.save("report.pdf", ContentFile(b"%PDF-1.4 a report"))
    client = client_for(senior_leader)
    for path in (
        f"/reports/{report.pk}/pdf/",
        f"/reports/{report.pk}/csv/",
        "/reports/export/authority.csv",
        "/reports/export/authority.xlsx",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_not_stored(response, path)


def test_the_story_pdf_is_not_stored(pod, social_worker):
    make_team(name="Front Door for Families", kind=Team.Kind.FRONT_DOOR)
    family = refer()
    family_services.family_allocate(family=family, team=pod, worker=social_worker, start=REFERRED)
    export = StoryExport.objects.create(
        family=family, requested_by=social_worker.user, status=StoryExport.Status.READY
    )
    export.file.save("story.pdf", ContentFile(b"%PDF-1.4 a story"))
    response = client_for(social_worker).get(f"/families/{family.pk}/share/{export.pk}/download/")
    assert response.status_code == 200
    assert_not_stored(response, "story PDF")


def test_static_files_and_healthz_keep_their_own_headers(social_worker):
    client = signed_in_client(social_worker.user)
    static = client.get("/static/pods.css")
    assert static.status_code == 200
    assert "no-store" not in _directives(static), "static files may be cached"
    health = client.get("/healthz")
    assert health["Cache-Control"] == Client().get("/healthz")["Cache-Control"]
