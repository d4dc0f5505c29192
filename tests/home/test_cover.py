"""Cover for an absent worker: who is suggested and in what order, the appointments that need
cover, assigning it (the service, recorded), and the one-click page action."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from families import services as family_services
from home.cover import (
    PRESENTED_AT_SUPERVISION,
    RECORDED_AN_ENTRY,
    SAW_THE_CHILDREN,
    cover_needed,
    cover_suggestions,
)
from onestory import services as story_services
from onestory.models import Entry
from pods import services as pod_services
from pods.models import Absence, Worker
from pods.working_days import add_working_days, working_days_from
from scheduling import cover as cover_services
from scheduling.models import Appointment, CoverAssignment
from supervision.models import CaseDiscussion, GroupSupervision
from tests.factories import make_worker
from tests.families.conftest import *  # noqa: F403 (the family fixtures)

pytestmark = pytest.mark.django_db


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def book(family, worker, start, *, team, by, kind=Appointment.Kind.HOME_VISIT, **extra):
    return Appointment.objects.create(
        family=family,
        team=team,
        kind=kind,
        start=start,
        end=start + datetime.timedelta(hours=1),
        worker=worker,
        booked_by=by.user,
        **extra,
    )


def away(worker, day, kind=Absence.Kind.ANNUAL_LEAVE):
    return pod_services.absence_record(worker=worker, start=day, end=day, kind=kind)


def entry(family, author, day, *, children=(), kind=Entry.Kind.HOME_VISIT, final=True):
    return story_services.entry_record(
        family=family,
        author=author.user,
        kind=kind,
        occurred=at(day, 11),
        children=[story_services.ChildSeenDetails(person=c, seen=True) for c in children],
        final=final,
        what_happened="Visited",
    )


def presented_at_group_supervision(family, worker, day, *, pod, facilitator):
    session = GroupSupervision.objects.create(pod=pod, date=day, facilitator=facilitator)
    return CaseDiscussion.objects.create(
        group_session=session, family=family, presenting_worker=worker, discussed=at(day, 10)
    )


@pytest.fixture
def visit_day():
    """The next working day: a day ahead on which the family's worker is away."""
    return add_working_days(timezone.localdate(), 1)


@pytest.fixture
def colleagues(pod):
    """Oak Pod's other members who could go, by what they have done with the family."""
    role = Worker.Role.SOCIAL_WORKER
    return {
        "saw": make_worker(role=role, team=pod, username="saw"),
        "wrote": make_worker(role=role, team=pod, username="wrote"),
        "presented": make_worker(
            role=Worker.Role.SENIOR_SOCIAL_WORKER, team=pod, username="presented"
        ),
        "stranger": make_worker(role=role, team=pod, username="stranger"),
        "busy_stranger": make_worker(role=role, team=pod, username="busy"),
        "away": make_worker(role=role, team=pod, username="away"),
    }


@pytest.fixture
def visit(family, child, pod, social_worker, pod_manager, business_support, outsider,
          colleagues, visit_day):  # fmt: skip
    """A home visit by the family's worker, who is away that day; colleagues who met the
    family at different times, and some who did not."""
    today = timezone.localdate()
    c = colleagues
    appointment = book(family, social_worker, at(visit_day, 10), team=pod, by=business_support)
    away(social_worker, visit_day)
    # Met the family: saw the children most recently, recorded an entry before that, and
    # presented the family at group supervision before that.
    entry(family, c["saw"], today - datetime.timedelta(days=3), children=[child])
    entry(family, c["saw"], today - datetime.timedelta(days=40))  # an older entry, too
    entry(family, c["wrote"], today - datetime.timedelta(days=10), kind=Entry.Kind.CONTACT)
    presented_at_group_supervision(
        family,
        c["presented"],
        today - datetime.timedelta(days=20),
        pod=pod,
        facilitator=pod_manager,
    )
    # Not contact with the family: the stranger's draft, the pod manager's oversight entry, an
    # agenda item not yet discussed; and the away colleague saw the children yesterday.
    entry(family, c["stranger"], today - datetime.timedelta(days=1), final=False)
    entry(family, pod_manager, today - datetime.timedelta(days=2),
          kind=Entry.Kind.SUPERVISION_DECISION)  # fmt: skip
    session = GroupSupervision.objects.create(pod=pod, date=today, facilitator=pod_manager)
    CaseDiscussion.objects.create(
        group_session=session, family=family, presenting_worker=c["busy_stranger"]
    )
    entry(family, c["away"], today - datetime.timedelta(days=1), children=[child])
    away(c["away"], visit_day)
    # How busy each is that day: cancelled appointments do not count, another day does not.
    for worker, count in [(c["saw"], 1), (c["presented"], 2), (c["busy_stranger"], 2),
                          (pod_manager, 1)]:  # fmt: skip
        for n in range(count):
            book(family, worker, at(visit_day, 13 + n), team=pod, by=business_support)
    book(family, c["stranger"], at(visit_day, 15), team=pod, by=business_support,
         status=Appointment.Status.CANCELLED)  # fmt: skip
    book(family, c["stranger"], at(visit_day + datetime.timedelta(days=1), 9), team=pod,
         by=business_support)  # fmt: skip
    return appointment


# --- who is suggested -----------------------------------------------------------------------


def test_those_who_met_the_family_come_first_most_recent_contact_first(
    visit, visit_day, colleagues, pod_manager
):
    today = timezone.localdate()
    c = colleagues
    suggestions = cover_suggestions(visit, visit_day)
    assert [(s.worker, s.appointments_that_day) for s in suggestions] == [
        (c["saw"], 1),
        (c["wrote"], 0),
        (c["presented"], 2),
        # Never met the family: fewest appointments that day first.
        (c["stranger"], 0),
        (pod_manager, 1),
        (c["busy_stranger"], 2),
    ]
    contacts = [(s.last_contact.kind, s.last_contact.day) for s in suggestions[:3]]
    assert contacts == [
        (SAW_THE_CHILDREN, today - datetime.timedelta(days=3)),
        (RECORDED_AN_ENTRY, today - datetime.timedelta(days=10)),
        (PRESENTED_AT_SUPERVISION, today - datetime.timedelta(days=20)),
    ]
    assert not any(s.has_met_family for s in suggestions[3:])


def test_the_away_worker_away_colleagues_business_support_and_other_pods_are_not_suggested(
    visit, visit_day, social_worker, business_support, outsider, colleagues
):
    suggested = {s.worker for s in cover_suggestions(visit, visit_day)}
    assert social_worker not in suggested
    assert colleagues["away"] not in suggested
    assert business_support not in suggested
    assert outsider not in suggested


def test_a_colleague_who_left_the_pod_before_that_day_is_not_suggested(
    visit, visit_day, colleagues
):
    membership = colleagues["saw"].memberships.get()
    pod_services.membership_end(membership=membership, end=visit_day - datetime.timedelta(days=1))
    suggested = {s.worker for s in cover_suggestions(visit, visit_day)}
    assert colleagues["saw"] not in suggested


def test_suggestions_take_the_same_few_queries_however_big_the_pod(
    visit, visit_day, pod, child, family
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            cover_suggestions(visit, visit_day)
        return len(captured)

    before = queries()
    for n in range(5):
        worker = make_worker(team=pod)
        entry(
            family, worker, timezone.localdate() - datetime.timedelta(days=n + 1), children=[child]
        )
    assert queries() == before <= 6


# --- cover needed ---------------------------------------------------------------------------


def test_cover_needed_lists_planned_appointments_whose_worker_is_away_that_day(
    visit, visit_day, family, pod, social_worker, colleagues, business_support
):
    today = timezone.localdate()
    c = colleagues
    # Not needing cover: the worker is in that day; cancelled; after the next five working
    # days; a day the worker is back.
    book(family, c["stranger"], at(visit_day, 9), team=pod, by=business_support)
    book(family, social_worker, at(visit_day, 16), team=pod, by=business_support,
         status=Appointment.Status.CANCELLED)  # fmt: skip
    later = add_working_days(working_days_from(today, 5)[-1], 1)
    away(social_worker, later)
    book(family, social_worker, at(later, 10), team=pod, by=business_support)
    back = add_working_days(visit_day, 1)
    back_visit = book(family, social_worker, at(back, 10), team=pod, by=business_support)

    needed = cover_needed(business_support.user, pod, today)
    assert [item.appointment for item in needed] == [visit]
    assert needed[0].away_worker == social_worker
    assert needed[0].suggestions[0].worker == c["saw"]
    assert back_visit not in [item.appointment for item in needed]


def test_cover_needed_shows_only_families_the_reader_may_see(
    visit, pod, business_support, social_worker, outsider
):
    today = timezone.localdate()
    assert cover_needed(outsider.user, pod, today) == []
    family_services.family_restrict(
        family=visit.family,
        reason="A member of staff's own family",
        review_date=today + datetime.timedelta(days=90),
        named_users=[],
        by=social_worker.user,
    )
    assert cover_needed(business_support.user, pod, today) == []


def test_cover_needed_reads_the_same_few_queries_for_more_appointments(
    visit, visit_day, family, pod, social_worker, business_support
):
    today = timezone.localdate()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            needed = cover_needed(business_support.user, pod, today)
        return len(captured), len(needed)

    before, count = queries()
    for hour in (11, 12, 14):
        book(family, social_worker, at(visit_day, hour), team=pod, by=business_support)
    after, more = queries()
    assert (count, more) == (1, 4)
    assert after == before <= 7


# --- assigning cover (the service) ----------------------------------------------------------


def test_assigning_cover_moves_the_appointment_and_records_who_for_whom(
    visit, colleagues, social_worker, business_support
):
    cover = colleagues["saw"]
    assignment = cover_services.cover_assign(
        appointment=visit, cover_worker=cover, by=business_support.user
    )
    visit.refresh_from_db()
    assert visit.worker == cover
    assert (assignment.away_worker, assignment.cover_worker, assignment.assigned_by) == (
        social_worker,
        cover,
        business_support.user,
    )
    history = visit.history.first()
    assert history.worker_id == cover.pk
    assert history.history_user == business_support.user
    # Covered, it no longer needs cover.
    assert cover_needed(business_support.user, visit.team, timezone.localdate()) == []


@pytest.mark.parametrize("who", ["away", "outsider", "business_support", "social_worker"])
def test_cover_by_someone_away_outside_the_pod_not_visiting_or_the_same_worker_is_refused(
    request, visit, colleagues, business_support, who
):
    worker = colleagues["away"] if who == "away" else request.getfixturevalue(who)
    with pytest.raises(ValidationError):
        cover_services.cover_assign(
            appointment=visit, cover_worker=worker, by=business_support.user
        )
    visit.refresh_from_db()
    assert visit.worker == request.getfixturevalue("social_worker")
    assert not CoverAssignment.objects.exists()


def test_an_appointment_that_is_not_planned_is_not_covered(visit, colleagues, business_support):
    visit.status = Appointment.Status.CANCELLED
    visit.save()
    with pytest.raises(ValidationError) as raised:
        cover_services.cover_assign(
            appointment=visit, cover_worker=colleagues["saw"], by=business_support.user
        )
    assert raised.value.messages == [cover_services.NOT_PLANNED.format(status="cancelled")]
    assert not CoverAssignment.objects.exists()


def test_the_refusal_says_who_is_away_and_when(visit, visit_day, colleagues, business_support):
    with pytest.raises(ValidationError) as raised:
        cover_services.cover_assign(
            appointment=visit, cover_worker=colleagues["away"], by=business_support.user
        )
    assert raised.value.messages == [
        cover_services.AWAY.format(name=colleagues["away"].name, day=visit_day)
    ]


# --- the pages ------------------------------------------------------------------------------


def test_business_support_assign_cover_in_one_click(
    visit, visit_day, colleagues, business_support_client
):
    cover = colleagues["saw"]
    url = reverse("cover_assign", args=[visit.pk])
    response = business_support_client.post(url, {"worker": cover.pk, "next": "/cover/"})
    assert response.status_code == 302
    assert response.url == "/cover/"
    visit.refresh_from_db()
    assert visit.worker == cover
    page = business_support_client.get(response.url).content.decode()
    assert f"{cover.name} will cover the home visit on {visit_day:%A %-d %B} at 10:00" in page


def test_the_pod_manager_may_assign_cover_and_goes_home_without_a_safe_next(
    visit, colleagues, pod_manager_client
):
    url = reverse("cover_assign", args=[visit.pk])
    response = pod_manager_client.post(
        url, {"worker": colleagues["wrote"].pk, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert CoverAssignment.objects.get().cover_worker == colleagues["wrote"]


def test_a_refused_cover_says_why_and_changes_nothing(
    visit, colleagues, business_support_client, social_worker
):
    url = reverse("cover_assign", args=[visit.pk])
    response = business_support_client.post(url, {"worker": colleagues["away"].pk}, follow=True)
    assert f"{colleagues['away'].name} is away on" in response.content.decode()
    visit.refresh_from_db()
    assert visit.worker == social_worker
    response = business_support_client.post(url, {"worker": "999999"}, follow=True)
    assert "Choose who will cover" in response.content.decode()


def test_assigning_cover_is_404_outside_the_familys_visibility(outsider_client, visit, colleagues):
    url = reverse("cover_assign", args=[visit.pk])
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, {"worker": colleagues["saw"].pk}).status_code == 404
    assert not CoverAssignment.objects.exists()


def test_a_social_worker_may_not_assign_cover(social_worker_client, visit, colleagues):
    url = reverse("cover_assign", args=[visit.pk])
    assert social_worker_client.post(url, {"worker": colleagues["saw"].pk}).status_code == 403
    assert social_worker_client.get(reverse("cover_needed")).status_code == 403
    assert not CoverAssignment.objects.exists()


def test_assigning_takes_a_post(business_support_client, visit):
    assert business_support_client.get(reverse("cover_assign", args=[visit.pk])).status_code == 405


def test_the_cover_page_shows_each_suggestion_with_an_assign_button(
    visit, colleagues, business_support_client
):
    response = business_support_client.get(reverse("cover_needed"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(colleagues["saw"].name) < page.index(colleagues["stranger"].name)
    assert "Has not met the family" in page
    assert f"{SAW_THE_CHILDREN}," in page
    assert page.count(f'action="{reverse("cover_assign", args=[visit.pk])}"') == 6
    assert f'name="worker" value="{colleagues["saw"].pk}"' in page
