"""Compliments: recorded (bad input named, nothing saved), counted by pod and theme for a
year, "a compliment for you" on the worker's home page until seen or 30 days old (marking
seen is a POST by that worker only), and the words of one about a family kept to those who
can see the family."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from feedback.compliments import selectors, services
from feedback.models import Compliment, Theme
from tests.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def compliment_theme(db):
    theme, _ = Theme.objects.get_or_create(
        used_for=Theme.For.COMPLIMENTS, name="Knowing the family well"
    )
    return theme


def record(by, **fields):
    values = {
        "received": timezone.localdate(),
        "received_by": "letter",
        "from_kind": "parent",
        "words": "She listened to us and never gave up on our family.",
        "by": by.user,
        **fields,
    }
    return services.compliment_record(**values)


def test_a_compliment_needs_words_and_someone_it_is_for(complaints_officer):
    with pytest.raises(ValidationError) as error:
        record(complaints_officer, words=" ")
    assert error.value.message_dict == {
        "words": [services.WORDS_NEEDED],
        "worker": [services.ABOUT_NOBODY],
    }
    assert not Compliment.objects.exists()


def test_counts_by_pod_and_theme_in_a_financial_year(
    complaints_officer, social_worker, pod, compliment_theme
):
    record(complaints_officer, worker=social_worker, team=pod, themes=[compliment_theme])
    record(complaints_officer, team=pod, received=datetime.date(2025, 3, 31))  # 2024-25
    year = selectors.financial_year(timezone.localdate())
    counts = selectors.counts(Compliment.objects.all(), year)
    assert (counts.total, counts.by_pod, counts.by_theme) == (
        1,
        [("Oak Pod", 1)],
        [("Knowing the family well", 1)],
    )
    assert selectors.counts(Compliment.objects.all(), 2024).total == 1


def test_without_a_team_it_counts_for_the_workers_pod_or_the_familys_that_day(
    complaints_officer, social_worker, family, pod
):
    record(complaints_officer, worker=social_worker)  # in Oak Pod today
    record(complaints_officer, family=family)  # held by Oak Pod today
    year = selectors.financial_year(timezone.localdate())
    assert selectors.counts(Compliment.objects.all(), year).by_pod == [("Oak Pod", 2)]
    record(complaints_officer, family=family, received=datetime.date(2010, 5, 1))
    assert selectors.counts(Compliment.objects.all(), 2010).by_pod == [("No team", 1)], (
        "no pod held the family then"
    )


def test_a_pod_manager_sees_a_compliment_for_them_too(complaints_officer, pod_manager):
    record(complaints_officer, worker=pod_manager, words="She chaired the meeting so kindly.")
    home = client_for(pod_manager).get("/").content.decode()
    assert "A compliment for you" in home and "chaired the meeting so kindly" in home


def test_the_worker_sees_a_compliment_for_them_on_their_home_page_and_marks_it_seen(
    complaints_officer, social_worker, social_worker_client
):
    compliment = record(complaints_officer, worker=social_worker)
    home = social_worker_client.get("/").content.decode()
    assert "A compliment for you" in home
    assert "never gave up on our family" in home
    response = social_worker_client.post(f"/feedback/compliments/{compliment.pk}/seen/")
    assert response.status_code == 302
    compliment.refresh_from_db()
    assert compliment.seen_by_worker is not None


def test_an_old_seen_compliment_leaves_the_home_page(complaints_officer, social_worker):
    old = record(complaints_officer, worker=social_worker, received=datetime.date(2025, 1, 6))
    today = timezone.localdate()
    assert [c for c, _ in selectors.for_worker_home(social_worker.user, social_worker, today)] == [
        old
    ]
    services.compliment_mark_seen(compliment=old, by=social_worker.user)
    assert selectors.for_worker_home(social_worker.user, social_worker, today) == []


def test_only_the_worker_it_is_for_marks_it_seen(
    complaints_officer, social_worker, outsider_client
):
    compliment = record(complaints_officer, worker=social_worker)
    assert outsider_client.post(f"/feedback/compliments/{compliment.pk}/seen/").status_code == 404
    compliment.refresh_from_db()
    assert compliment.seen_by_worker is None


def test_the_words_about_a_family_are_kept_to_those_who_can_see_it(
    complaints_officer, family, social_worker, outsider, social_worker_client, outsider_client
):
    compliment = record(complaints_officer, family=family, worker=outsider)
    [(_, shown_to_outsider)] = selectors.with_words_shown(outsider.user, [compliment])
    [(_, shown_to_pod)] = selectors.with_words_shown(social_worker.user, [compliment])
    assert (shown_to_outsider, shown_to_pod) == (False, True)
    assert "never gave up" not in outsider_client.get("/").content.decode()
    url = f"/families/{family.pk}/compliments/"
    assert "never gave up" in social_worker_client.get(url).content.decode()
    assert outsider_client.get(url).status_code == 404


def test_business_support_record_a_compliment_through_the_form(
    business_support_client, social_worker, compliment_theme
):
    today = timezone.localdate()
    response = business_support_client.post(
        "/feedback/compliments/new/",
        {
            "received_day": today.day,
            "received_month": today.month,
            "received_year": today.year,
            "received_by": "phone",
            "from_kind": "carer",
            "worker": social_worker.pk,
            "words": "Thank you for the help with school.",
            "themes": [compliment_theme.pk],
        },
    )
    assert response.status_code == 302
    assert Compliment.objects.get().worker == social_worker


def test_an_outsider_gets_404_on_the_compliments_pages(outsider_client):
    assert outsider_client.get("/feedback/compliments/").status_code == 404
    assert outsider_client.get("/feedback/compliments/new/").status_code == 404
