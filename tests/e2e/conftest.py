"""Browser tests: Debian's Chromium, headless, driven by Playwright, against a live server
on a database holding a small demo authority; axe-core checks every page visited."""

import datetime
import os
import random
import time
from pathlib import Path

import pytest

from accounts.demo_secret import DEMO_SECRET, current_code
from families import services as family_services
from families.models import ChildStatus, FamilyMember
from pods import demo, demo_sign_in
from pods.models import Team, Worker
from tests.factories import make_team

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told that this thread is only ever used synchronously, which it is.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PODS_CHROMIUM", "/usr/bin/chromium")
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_authority(transactional_db):
    """A small demo authority (two pods and the specialist teams), committed so the live
    server thread can read it."""
    demo.build(rng=random.Random(3), today=datetime.date.today(), scale=0.1)
    demo_sign_in.build(rng=random.Random(3), today=datetime.date.today())


@pytest.fixture
def page(browser):
    # bypass_csp lets the test inject axe-core; the app's own pages never need inline script.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def serious_accessibility_violations(page) -> list[str]:
    """Run axe-core (WCAG 2.2 AA rules) on the page; return serious and critical violations."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {[node['target'] for node in violation['nodes']][:3]}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


# The period of the last code each demo sign-in used: a code works once, so a second sign-in
# in the same 30 seconds uses the next period's code, which django-otp accepts too.
_last_period_used: dict[str, int] = {}


def demo_code_for(username: str) -> str:
    period = int(time.time() // 30)
    last = _last_period_used.get(username, -1)
    while last > period:  # the next period's code is used already: wait for it to come
        time.sleep(1)
        period = int(time.time() // 30)
    ahead = 0 if last < period else 1
    _last_period_used[username] = period + ahead
    return current_code(DEMO_SECRET, steps_ahead=ahead)


def sign_in(page, live_server_url, username, password=demo.DEMO_PASSWORD, *, code=True):
    """Through the real pages: the password, then the code from the demo authenticator app
    (``code=False`` stops after the password)."""
    page.goto(f"{live_server_url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if not code:
        return
    page.get_by_label("Code from your authenticator app").fill(demo_code_for(username))
    page.get_by_role("button", name="Continue").click()


@pytest.fixture
def wojcik_family(demo_authority):
    """The Wójcik family, held by the demo social worker Sam Okafor in Ash Pod."""
    if not Team.objects.filter(kind=Team.Kind.FRONT_DOOR).exists():
        make_team(name="Front Door", kind=Team.Kind.FRONT_DOOR)
    sam = Worker.objects.get(user__username="social-worker")
    pod = Team.objects.get(name="Ash Pod")
    received = datetime.date.today() - datetime.timedelta(days=40)
    family = family_services.family_refer(
        display_name="The Wojcik family",
        received=received,
        source="health",
        reason="The health visitor is worried about the baby's weight",
        people=[
            family_services.PersonDetails(
                first_name="Zofia",
                last_name="Wojcik",
                date_of_birth=datetime.date(2019, 2, 11),
                relationship=FamilyMember.Relationship.CHILD,
            ),
            family_services.PersonDetails(
                first_name="Marta",
                last_name="Wojcik",
                relationship=FamilyMember.Relationship.MOTHER,
            ),
        ],
        recorded_by=None,
    ).family
    family_services.family_allocate(family=family, team=pod, worker=sam, start=received)
    zofia = family.members.get(relationship="child").person
    family_services.child_status_start(
        family=family, person=zofia, kind=ChildStatus.Kind.CIN_PLAN, start=received
    )
    return family
