"""Marking a child in care review held asks how each child it is about took part (SSDA903
REVIEW_CODE): PN0 exactly for a child under 4 on the day, saved with the held status in one
transaction; a wrong answer is an error on that child's question and nothing is saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from families import services as family_services
from families.models import FamilyMember
from scheduling import services
from scheduling.models import Appointment, ReviewParticipation

pytestmark = pytest.mark.django_db


@pytest.fixture
def toddler(family):
    born = timezone.localdate() - datetime.timedelta(days=2 * 365)
    return family_services.person_add(
        family=family,
        details=family_services.PersonDetails(
            first_name="Tobi",
            last_name="Okafor",
            date_of_birth=born,
            relationship=FamilyMember.Relationship.CHILD,
        ),
    ).person


@pytest.fixture
def review(family, child, toddler, social_worker, business_support, reviewing_officer):
    start = timezone.now() - datetime.timedelta(hours=3)
    return services.appointment_book(
        family=family,
        kind=Appointment.Kind.CIC_REVIEW,
        start=start,
        end=start + datetime.timedelta(hours=1),
        worker=social_worker,
        chair=reviewing_officer,
        children=[child, toddler],
        by=business_support.user,
        allow_clashes=True,
    )


def test_held_with_how_each_child_took_part(review, child, toddler, business_support):
    services.appointment_held(
        appointment=review,
        by=business_support.user,
        participation={child.pk: "PN1", toddler.pk: "PN0"},
    )
    review.refresh_from_db()
    assert review.status == Appointment.Status.HELD
    codes = dict(review.participation.values_list("person__first_name", "code"))
    assert codes == {"Ada": "PN1", "Tobi": "PN0"}


@pytest.mark.parametrize(
    ("answers", "who", "message"),
    [
        ({"child": "PN0", "toddler": "PN0"}, "child", "Ada was 4 or over on"),
        ({"child": "PN1", "toddler": "PN2"}, "toddler", "Tobi was under 4 on"),
        ({"child": "PN1"}, "toddler", "Choose how Tobi took part in the review"),
        ({"child": "PN9", "toddler": "PN0"}, "child", "Choose how Ada took part from the list"),
    ],
)
def test_a_wrong_answer_is_refused_and_the_review_stays_planned(
    request, review, business_support, answers, who, message
):
    people = {name: request.getfixturevalue(name) for name in ("child", "toddler")}
    participation = {people[name].pk: code for name, code in answers.items()}
    with pytest.raises(ValidationError) as raised:
        services.appointment_held(
            appointment=review, by=business_support.user, participation=participation
        )
    errors = raised.value.message_dict
    assert list(errors) == [f"participation_{people[who].pk}"]
    assert message in errors[f"participation_{people[who].pk}"][0]
    review.refresh_from_db()
    assert review.status == Appointment.Status.PLANNED
    assert not ReviewParticipation.objects.exists()


def test_the_held_form_asks_for_each_child(business_support_client, family, review, child, toddler):
    url = f"/families/{family.pk}/appointments/{review.pk}/held/"
    page = business_support_client.get(url).content.decode()
    assert "How did Ada take part?" in page and "How did Tobi take part?" in page
    refused = business_support_client.post(
        url, {f"participation_{child.pk}": "PN1", f"participation_{toddler.pk}": "PN1"}
    )
    assert refused.status_code == 400
    assert "Tobi was under 4 on" in refused.content.decode()
    assert not ReviewParticipation.objects.exists()
    held = business_support_client.post(
        url, {f"participation_{child.pk}": "PN6", f"participation_{toddler.pk}": "PN0"}
    )
    assert held.status_code == 302
    assert set(ReviewParticipation.objects.values_list("code", flat=True)) == {"PN6", "PN0"}
    detail = business_support_client.get(f"/families/{family.pk}/appointments/{review.pk}/")
    assert "How Tobi took part" in detail.content.decode()


def test_writing_the_review_up_asks_too(social_worker_client, family, review, child, toddler):
    url = f"/families/{family.pk}/appointments/{review.pk}/record/"
    page = social_worker_client.get(url).content.decode()
    assert "How did Ada take part?" in page
    local = timezone.localtime(review.start)
    post = {
        "kind": "meeting",
        "date_day": local.day,
        "date_month": local.month,
        "date_year": local.year,
        "time": local.strftime("%H:%M"),
        "what_happened": "Ada's review",
        f"held-participation_{child.pk}": "PN0",
        f"held-participation_{toddler.pk}": "PN0",
    }
    refused = social_worker_client.post(url, post)
    assert refused.status_code == 400
    assert "Ada was 4 or over on" in refused.content.decode()
    review.refresh_from_db()
    assert review.status == Appointment.Status.PLANNED and review.entry_id is None
