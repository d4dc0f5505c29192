"""The daily digest: each worker's overdue visits, meetings due, supervision actions and calls
waiting, and their pod's for a pod manager; sent through a real Celery worker and the real
SMTP path with no child's name in it (nor the family's); none for who turned it off, none at
weekends or on bank holidays, and never twice in a day."""

import datetime

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.utils import timezone

from config.celery import app
from config.mail import read_messages, wait_for_messages
from families import services as family_services
from families.models import ChildStatus
from home import digest
from home.tasks import send_daily_digests, sent_key
from pods.models import Worker
from pods.working_days import is_working_day
from scheduling import calls
from scheduling.models import DigestChoice
from scheduling.selectors import meetings_due_within
from supervision import services as supervision_services
from tests.clients import client_for
from tests.factories import make_worker
from tests.families.conftest import REFERRED, refer
from tests.scheduling import conftest_letters

pytestmark = pytest.mark.django_db
mail_server = conftest_letters.mail_server  # the real SMTP server, as a fixture here

# Every name in the fixture families: none may be in an email.
NAMES = ("Ada", "Okafor", "Grace", "Ben", "Brown", "Okafor family", "Brown family")


def first_working_day_from(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def today():
    return first_working_day_from(timezone.localdate())


def with_email(worker: Worker) -> Worker:
    worker.user.email = f"{worker.user.username}@brightwater.example"
    worker.user.save()
    return worker


@pytest.fixture
def colleague(pod):
    """A second social worker in Oak Pod, holding the Brown family."""
    return with_email(make_worker(role=Worker.Role.SOCIAL_WORKER, team=pod, username="sw2"))


@pytest.fixture
def world(family, child, pod, social_worker, pod_manager, business_support, colleague, today):
    """The Okafor family's child on a child protection plan for four months with no visit, a
    supervision action and a call waiting for their worker; the Brown family, held by a
    colleague, with a child in need plan and no visit."""
    for worker in (social_worker, pod_manager, business_support):
        with_email(worker)
    family_services.child_status_start(
        family=family,
        person=child,
        kind=ChildStatus.Kind.CP_PLAN,
        start=today - datetime.timedelta(days=120),
        cp_category=ChildStatus.CPCategory.NEGLECT,
    )
    session = supervision_services.group_session_open(pod=pod, day=today, by=pod_manager)
    discussion = supervision_services.agenda_add(session=session, family=family, by=pod_manager)
    supervision_services.discussion_save(
        discussion=discussion,
        by=pod_manager,
        decisions=[
            supervision_services.DecisionDetails(
                text="Ada Okafor to see the school nurse",
                owner=social_worker,
                due=today + datetime.timedelta(days=1),
            )
        ],
    )
    calls.call_log(
        family=family,
        caller="Grace Okafor, Ada's mother",
        received=timezone.now() - datetime.timedelta(hours=1),
        message="Ada is unwell and Grace wants to talk",
        urgent=True,
        for_worker=social_worker,
        by=business_support.user,
    )
    brown = refer(name="The Brown family", child=("Ben", "Brown", datetime.date(2016, 1, 1)))
    family_services.family_allocate(family=brown, team=pod, worker=colleague, start=REFERRED)
    ben = brown.members.get(relationship="child").person
    family_services.child_status_start(
        family=brown, person=ben, kind=ChildStatus.Kind.CIN_PLAN, start=REFERRED
    )
    return {"okafor": family, "brown": brown}


def everything_in(digest_or_message) -> str:
    """The digest's subject, text and HTML bodies together."""
    message = digest_or_message.message() if hasattr(digest_or_message, "message") else None
    message = message or digest_or_message
    return "\n".join(
        [message.subject, message.body, *(content for content, _ in message.alternatives)]
    )


def assert_no_names(text: str):
    for name in NAMES:
        assert name not in text, f"{name!r} is in the email"


class TestWhatItSays:
    def test_a_worker_hears_of_their_overdue_visits_actions_and_calls_by_reference_only(
        self, world, social_worker, today
    ):
        found = digest.digest_for(social_worker, today)
        (part,) = found.parts
        titles = [section.title for section in part.sections]
        assert "Statutory visits overdue" in titles
        assert "Supervision actions due" in titles
        assert "Calls waiting to be picked up" in titles
        okafor = world["okafor"]
        references = {item.reference for s in part.sections for item in s.items}
        assert references == {okafor.reference}  # not the colleague's family
        link = f"http://127.0.0.1:8000/families/{okafor.pk}/"
        assert all(item.link == link for s in part.sections for item in s.items)
        text = everything_in(found)
        assert "1 child's visit overdue since" in text
        assert f"Urgent call for {social_worker.name}" in text
        assert_no_names(text)
        assert "school nurse" not in text and "unwell" not in text

    def test_meetings_due_in_the_next_five_working_days_are_in_it(
        self, world, social_worker, today
    ):
        meetings = meetings_due_within(social_worker.user, social_worker, today, 5)
        assert meetings, "the child protection plan's review conference is due"
        found = digest.digest_for(social_worker, today)
        section = next(s for s in found.parts[0].sections if s.title.startswith("Meetings due"))
        assert len(section.items) == len(meetings)
        assert_no_names(everything_in(found))

    def test_a_pod_manager_hears_of_the_whole_pod(self, world, pod_manager, today):
        found = digest.digest_for(pod_manager, today)
        pod_part = next(part for part in found.parts if part.heading == "For Oak Pod")
        visits = next(s for s in pod_part.sections if s.title == "Statutory visits overdue")
        assert {item.reference for item in visits.items} == {
            world["okafor"].reference,
            world["brown"].reference,
        }
        calls_section = next(s for s in pod_part.sections if s.title.startswith("Calls"))
        assert [item.reference for item in calls_section.items] == [world["okafor"].reference]
        assert_no_names(everything_in(found))

    def test_someone_with_nothing_due_gets_none(self, world, business_support, today):
        assert digest.digest_for(business_support, today) is None

    def test_someone_who_turned_it_off_gets_none(self, world, social_worker, today):
        digest.digest_choice_save(user=social_worker.user, wants=False)
        assert digest.digest_for(social_worker, today) is None

    def test_building_every_digest_counts_those_with_something_to_say(self, world, today):
        # The social worker, the colleague and the pod manager; not business support.
        assert digest.build_all_digests(today) == 3


class TestWhenItIsSent:
    @pytest.mark.parametrize(
        "day",
        [
            datetime.date(2026, 12, 5),  # a Saturday
            datetime.date(2026, 12, 25),  # Christmas Day
            datetime.date(2026, 12, 28),  # Boxing Day's substitute bank holiday
            datetime.date(2027, 5, 3),  # Early May bank holiday
        ],
    )
    def test_none_at_weekends_or_on_bank_holidays(self, world, day, mail_server):
        assert send_daily_digests(day.isoformat()) == 0
        assert read_messages(mail_server.folder) == []


@pytest.mark.django_db(transaction=True)
class TestThroughTheWorkerAndSmtp:
    def test_each_worker_gets_one_email_with_no_childs_name_and_never_twice(
        self, world, social_worker, pod_manager, colleague, business_support, today, mail_server
    ):
        workers = (social_worker, pod_manager, colleague, business_support)
        for worker in workers:  # the test instance's Redis outlives its databases
            cache.delete(sent_key(worker.pk, today))

        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            assert send_daily_digests.delay(today.isoformat()).get(timeout=60) == 4
            messages = wait_for_messages(mail_server.folder, 3)
            # Asked again (a retry, a second beat): nothing more is sent.
            assert send_daily_digests.delay(today.isoformat()).get(timeout=60) == 4
            again = wait_for_messages(mail_server.folder, 4, timeout=5)

        assert len(again) == len(messages) == 3
        recipients = {message["To"] for message in messages}
        assert recipients == {
            f"{w.name} <{w.user.email}>" for w in (social_worker, pod_manager, colleague)
        }
        for message in messages:
            text = message.get_body(("plain",)).get_content()
            html = message.get_body(("html",)).get_content()
            assert_no_names("\n".join([message["Subject"], text, html]))
            assert_no_names(message.as_string())
            assert "http://127.0.0.1:8000/account/digest/" in text
        to_worker = next(m for m in messages if social_worker.user.email in m["To"])
        body = to_worker.get_body(("plain",)).get_content()
        assert world["okafor"].reference in body
        assert f"http://127.0.0.1:8000/families/{world['okafor'].pk}/" in body

    def test_a_turned_off_user_gets_none(self, world, social_worker, today, mail_server):
        for worker in Worker.objects.all():
            cache.delete(sent_key(worker.pk, today))
        DigestChoice.objects.create(user=social_worker.user, wants_digest=False)
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            send_daily_digests.delay(today.isoformat()).get(timeout=60)
            messages = wait_for_messages(mail_server.folder, 2)
        assert len(messages) == 2
        assert all(social_worker.user.email not in message["To"] for message in messages)


class TestTheChoicePage:
    def test_everyone_can_turn_it_off_and_on_for_themselves(self, social_worker):
        client = client_for(social_worker)
        page = client.get("/account/digest/")
        assert page.status_code == 200
        assert b'value="yes" checked' in page.content
        response = client.post("/account/digest/", {"wants_digest": "no"})
        assert response.status_code == 302 and response.url == "/account/"
        assert not DigestChoice.objects.get(user=social_worker.user).wants_digest
        assert b'value="no" checked' in client.get("/account/digest/").content
        client.post("/account/digest/", {"wants_digest": "yes"})
        assert DigestChoice.objects.get(user=social_worker.user).wants_digest

    def test_the_account_page_links_to_it(self, social_worker):
        page = client_for(social_worker).get("/account/")
        assert b'href="/account/digest/"' in page.content

    def test_no_choice_is_refused_with_a_message(self, social_worker):
        response = client_for(social_worker).post("/account/digest/", {})
        assert response.status_code == 400
        assert b"Choose whether you want the daily email" in response.content
