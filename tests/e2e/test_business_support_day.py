"""The business support officer's day, in a real browser: they open their day, schedule an
ICPC inside its window for a chair who is free, send the invitations (the professional's .ics
arrives in the mail folder through a real Celery worker and SMTP server), assign the
suggested cover for an absent worker, and log an urgent call that the duty worker then sees
on their home page. axe-core checks every page on the way."""

import datetime

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app
from config.mail import MailServer
from families import services as family_services
from onestory import services as story_services
from onestory.models import Entry
from pods import services as pod_services
from pods.models import Absence, Team, Worker
from pods.working_days import working_days_from
from scheduling import availability
from scheduling.models import Appointment
from tests.e2e.conftest import serious_accessibility_violations, sign_in
from tests.factories import make_team, make_worker

pytestmark = pytest.mark.e2e


def at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def bso_morning(wojcik_family):
    """A strategy discussion three days ago decided on a conference (the ICPC clock runs); a
    school nurse is in the team around the family; Priya is off sick tomorrow with a visit to
    the family booked, which Sam (who visited last week) can cover; the pod manager is on
    duty today."""
    sam = Worker.objects.get(user__username="social-worker")
    priya = Worker.objects.get(user__username="senior-social-worker")
    bso = Worker.objects.get(user__username="business-support")
    pod = Team.objects.get(name="Ash Pod")
    today = timezone.localdate()
    safeguarding = make_team(name="Safeguarding and Review", kind=Team.Kind.SPECIALIST)
    make_worker(role=Worker.Role.REVIEWING_OFFICER, team=safeguarding, username="chair-e2e")
    discussed = working_days_from(today - datetime.timedelta(days=6), 1)[0]
    Appointment.objects.create(
        family=wojcik_family,
        team=pod,
        kind=Appointment.Kind.STRATEGY_DISCUSSION,
        start=at(discussed, 9),
        end=at(discussed, 10),
        worker=sam,
        status=Appointment.Status.HELD,
        outcome=Appointment.Outcome.CONFERENCE,
        booked_by=bso.user,
    )
    wojcik_family.address = "14 Canal Street\nBrightwater"
    wojcik_family.postcode = "BW1 4CS"
    wojcik_family.save()
    family_services.professional_add(
        family=wojcik_family,
        added_by=bso.user,
        name="Kim Rowe",
        agency="Brightwater Primary School",
        role="School nurse",
        email="kim.rowe@school.example",
    )
    story_services.entry_record(
        family=wojcik_family,
        author=sam.user,
        kind=Entry.Kind.HOME_VISIT,
        occurred=timezone.now() - datetime.timedelta(days=7),
        children=[],
        final=True,
        what_happened="Zofia showed me her drawings",
    )
    tomorrow = working_days_from(today, 2)[1]
    Appointment.objects.create(
        family=wojcik_family,
        team=pod,
        kind=Appointment.Kind.HOME_VISIT,
        start=at(tomorrow, 15),
        end=at(tomorrow, 16),
        worker=priya,
        booked_by=bso.user,
    )
    Absence.objects.create(worker=priya, start=today, end=tomorrow, kind=Absence.Kind.SICKNESS)
    morgan = Worker.objects.get(user__username="pod-manager")
    pod_services.duty_assign(team=pod, date=today, worker=morgan)
    return {"sam": sam, "priya": priya, "tomorrow": tomorrow}


def test_the_bso_arranges_the_day(
    page, live_server, wojcik_family, bso_morning, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    sign_in(page, live_server.url, "business-support")
    assert "Ash Pod: business support" in page.get_by_role("heading", level=1).inner_text()
    assert serious_accessibility_violations(page) == []

    # The ICPC is the nearest deadline: book it, with the time and chair suggested.
    meetings = page.get_by_test_id("meetings-due")
    assert "Initial conference after the strategy discussion" in meetings.inner_text()
    meetings.locator(f"a[href='/families/{wojcik_family.pk}/appointments/new/?kind=icpc']").click()
    assert page.get_by_test_id("suggestion").is_visible()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Kim Rowe, Brightwater Primary School").check()
    page.get_by_role("button", name="Book it").click()
    assert "booked" in page.locator(".govuk-notification-banner").inner_text()
    assert serious_accessibility_violations(page) == []
    icpc = Appointment.objects.get(family=wojcik_family, kind=Appointment.Kind.ICPC)
    assert icpc.chair is not None and not icpc.is_late
    assert icpc.day <= icpc.due
    assert (
        availability.clashes(
            workers=[icpc.chair, icpc.worker], start=icpc.start, end=icpc.end, exclude=icpc
        )
        == []
    )

    # Send the invitations: the school nurse's email, with the .ics, is delivered.
    page.get_by_role("link", name="Send the invitations").click()
    assert serious_accessibility_violations(page) == []
    with MailServer(tmp_path / "mail") as mail_server:
        # pytest-django keeps mail in memory; this test sends it through real SMTP.
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_PORT = mail_server.port
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
            page.get_by_role("button", name="Send").click()
            for _ in range(60):
                to_nurse = [m for m in mail_server.messages() if "kim.rowe" in m["To"]]
                if to_nurse:
                    break
                page.wait_for_timeout(500)
    assert to_nurse, "the professional's invitation arrived"
    attachments = [part.get_filename() for part in to_nurse[0].iter_attachments()]
    assert any(name.endswith(".ics") for name in attachments)
    assert "Zofia" not in to_nurse[0].as_string()

    # Cover for Priya, who is off sick tomorrow: Sam met the family most recently.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Home").click()
    visit = Appointment.objects.get(family=wojcik_family, kind=Appointment.Kind.HOME_VISIT)
    card = page.get_by_test_id(f"cover-{visit.pk}")
    first = card.get_by_test_id(f"suggestion-{visit.pk}-{bso_morning['sam'].pk}")
    assert first.is_visible()
    first.get_by_role("button", name="Assign").click()
    assert "will cover" in page.locator(".govuk-notification-banner").inner_text()
    visit.refresh_from_db()
    assert visit.worker == bso_morning["sam"]
    assert serious_accessibility_violations(page) == []

    # An urgent call for Sam, logged from the family's page.
    page.goto(f"{live_server.url}/families/{wojcik_family.pk}/")
    page.get_by_role("link", name="Log a call for the family's worker").click()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Who called").fill("Marta Wojcik, Zofia's mother")
    page.get_by_label("Message").fill("Please ring back today about the school meeting")
    page.get_by_label("Yes: the family needs to speak to a social worker today").check()
    page.get_by_role("button", name="Log the call").click()
    assert serious_accessibility_violations(page) == []

    # The duty worker sees it on their home page.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "pod-manager")
    urgent = page.get_by_role("table", name="Urgent calls for the pod: you are on duty")
    assert "Marta Wojcik, Zofia's mother" in urgent.inner_text()
    assert serious_accessibility_violations(page) == []
