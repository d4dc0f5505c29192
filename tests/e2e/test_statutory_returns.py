"""The statutory returns in a real browser, on the small authority of
tests/reporting/returns/conftest.py (its 2025/26 returns have no errors) with one error planted:
Finn Fox's period of care has no legal status (Pods' own check PODS-LS, as the DfE's rules let
a blank through). The performance officer builds the 2025/26 returns, a real Celery worker
builds and checks them, and the page shows that one error by Finn's child reference and his
family's reference, never a name, with the zip to download. The Oak Pod manager opens the pod's
data-quality page, follows the finding's link to Finn's care record and puts his legal status
right through the real forms; built again, the returns have no errors and neither has the pod.
axe-core checks every page on the way."""

import re
import zipfile

import pytest
from celery.contrib.testing.worker import start_worker
from playwright.sync_api import expect

from accounts.second_factor import demo_device_enrol
from config.celery import app
from families.models import ChildStatus
from pods import demo
from pods.models import Team, Worker
from reporting.models import StatutoryReturn
from tests.e2e.conftest import serious_accessibility_violations, sign_in
from tests.factories import make_team, make_worker
from tests.reporting.returns.conftest import build_small_authority

pytestmark = pytest.mark.e2e

YEAR = 2026
BUILT_WITHIN_MS = 120_000  # the build and both validators take about 20 s on this machine
DONE = re.compile("Ready|Could not be built")


def able_to_sign_in(worker: Worker) -> Worker:
    """The demo password and the demo authenticator app, as the demo's named sign-ins have."""
    worker.user.set_password(demo.DEMO_PASSWORD)
    worker.user.save(update_fields=["password"])
    demo_device_enrol(user=worker.user)
    return worker


@pytest.fixture
def authority(transactional_db, settings, tmp_path):
    """The small authority, committed so the live server and the worker can read it, with
    Finn's legal status blanked (as an imported record might hold it)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    authority = build_small_authority()
    ChildStatus.objects.filter(person=authority.finn, kind=ChildStatus.Kind.LOOKED_AFTER).update(
        legal_status=""
    )
    able_to_sign_in(authority.recorder.manager)
    return authority


@pytest.fixture
def performance_officer(transactional_db):
    performance = make_team(name="Performance and Intelligence", kind=Team.Kind.LEADERSHIP)
    return able_to_sign_in(
        make_worker(role=Worker.Role.PERFORMANCE_OFFICER, team=performance, username="po")
    )


@pytest.fixture
def second_page(browser):
    """A second browser, so the pod manager and the performance officer are signed in at once."""
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


def still_page_violations(page) -> list[str]:
    """axe on a page that reloads itself while the return is built: its reload timer is
    cleared first, or the reload would destroy the page axe is reading."""
    page.evaluate("() => { for (let id = 0; id < 1000; id++) window.clearTimeout(id); }")
    return serious_accessibility_violations(page)


def open_from_menu(page, name: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=name).click()
    assert serious_accessibility_violations(page) == []


def wait_until_ready(page) -> None:
    """The detail page refreshes itself until the worker has built and checked the return
    (reloaded once, as the still page's timer was cleared)."""
    page.reload()
    expect(page.get_by_test_id("status")).to_have_text(DONE, timeout=BUILT_WITHIN_MS)
    returned = StatutoryReturn.objects.get(year=YEAR)
    assert returned.status == StatutoryReturn.Status.READY, returned.error


def test_one_planted_error_is_seen_put_right_by_the_pod_and_the_rebuilt_returns_are_clean(
    page, second_page, live_server, authority, performance_officer
):
    finn, fox = authority.finn, authority.families["Fox"]
    officer, manager = page, second_page
    sign_in(officer, live_server.url, "po")
    assert serious_accessibility_violations(officer) == []
    sign_in(manager, live_server.url, authority.recorder.manager.user.username)
    assert serious_accessibility_violations(manager) == []

    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
        # 1. The performance officer builds 2025/26 and sees the one error, by reference.
        open_from_menu(officer, "Statutory returns")
        officer.get_by_label("2025/26 (1 April 2025 to 31 March 2026)").check()
        officer.get_by_role("button", name="Build and check the returns").click()
        expect(officer.get_by_role("heading", level=1)).to_have_text("Statutory returns 2025/26")
        assert still_page_violations(officer) == []
        wait_until_ready(officer)
        assert officer.get_by_test_id("errors").inner_text() == "1"
        finding = officer.get_by_test_id("findings-PODS-LS")
        expect(finding).to_contain_text(finn.child_id)
        expect(finding).to_contain_text(fox.reference)
        expect(finding).to_contain_text("Oak Pod")
        content = officer.content()
        assert "Finn" not in content and "Fox family" not in content  # references, never names
        assert serious_accessibility_violations(officer) == []
        with officer.expect_download() as download_info:
            officer.get_by_test_id("download").click()
        download = download_info.value
        assert download.suggested_filename == "pods-statutory-returns-2025-26.zip"
        with zipfile.ZipFile(download.path()) as archive:
            names = archive.namelist()
        assert f"CIN_census_{YEAR}.xml" in names
        assert len([name for name in names if name.startswith(f"SSDA903_{YEAR}/")]) == 11

        # 2. The pod manager finds Finn on the pod's data-quality page and puts it right.
        open_from_menu(manager, "Data quality")
        expect(manager.get_by_test_id("error-count")).to_have_text("1")
        finn_row = manager.get_by_test_id("finding").filter(has_text="Finn Fox")
        expect(finn_row).to_contain_text(f"Fox family ({fox.reference})")
        finn_row.get_by_role("link", name="Change the care record").click()
        expect(manager.get_by_role("heading", level=1)).to_have_text("Finn Fox's care record")
        assert serious_accessibility_violations(manager) == []
        manager.get_by_role("link", name="Change the legal status from 20 August 2025").click()
        expect(manager.get_by_role("heading", level=1)).to_contain_text("Finn")
        assert serious_accessibility_violations(manager) == []
        manager.get_by_label("Legal status").select_option("V2")
        manager.get_by_role("button", name="Save").click()
        expect(manager.locator(".govuk-notification-banner")).to_contain_text(
            "Finn's looked after (child in care) is saved"
        )
        assert serious_accessibility_violations(manager) == []
        care = ChildStatus.objects.get(person=finn, kind=ChildStatus.Kind.LOOKED_AFTER)
        assert care.legal_status == "V2"

        # 3. Built again, the returns have no errors, and neither has the pod.
        built_first = StatutoryReturn.objects.get(year=YEAR).built
        officer.reload()
        officer.get_by_role("button", name="Build and check again").click()
        assert still_page_violations(officer) == []
        wait_until_ready(officer)
        assert StatutoryReturn.objects.get(year=YEAR).built > built_first
        assert officer.get_by_test_id("errors").inner_text() == "0"
        expect(officer.get_by_test_id("no-errors")).to_contain_text("No errors")
        assert serious_accessibility_violations(officer) == []

    open_from_menu(manager, "Data quality")
    expect(manager.get_by_test_id("error-count")).to_have_text("0")
    expect(manager.get_by_text("No errors for your pod's families.")).to_be_visible()
    assert serious_accessibility_violations(manager) == []
