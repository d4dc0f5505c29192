"""What the CIN census needs from an assessment, asked when it happens: completing it asks the
child's primary need (kept on the episode's referral), and the manager's sign-off asks the
factors identified (grouped, No factors identified alone, physical and sexual abuse as by a
child or an adult), saved with the sign-off in one transaction."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from onestory import assessments
from onestory.models import Assessment
from tests.clients import client_for

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def assessment(family, social_worker):
    item = assessments.assessment_start(family=family, started=TODAY, author=social_worker.user)
    assessments.assessment_save(assessment=item, sections={"analysis": "Ada is often hungry"})
    return item


@pytest.fixture
def completed(assessment):
    return assessments.assessment_complete(
        assessment=assessment, outcome="cin_plan", completed=TODAY, primary_need="N1"
    )


def url(assessment) -> str:
    return f"/families/{assessment.family_id}/assessments/{assessment.pk}/"


def test_completing_keeps_the_primary_need_on_the_referral(family, completed):
    assert family.episodes.get(end__isnull=True).referral.primary_need == "N1"


def test_a_primary_need_outside_the_list_is_refused_and_nothing_is_saved(family, assessment):
    with pytest.raises(ValidationError) as raised:
        assessments.assessment_complete(
            assessment=assessment, outcome="cin_plan", completed=TODAY, primary_need="N12"
        )
    assert raised.value.message_dict == {"primary_need": [assessments.PRIMARY_NEED_NOT_OFFERED]}
    assessment.refresh_from_db()
    assert assessment.completed is None
    assert family.referrals.get().primary_need == ""


def test_sign_off_saves_the_factors_in_the_code_list_order(completed, pod_manager):
    signed = assessments.assessment_sign_off(
        assessment=completed, by=pod_manager.user, factors=["16A", "3B", "18C"]
    )
    assert signed.factors == ["3B", "16A", "18C"]
    assert signed.is_signed_off


@pytest.mark.parametrize(
    ("factors", "message"),
    [
        ([], assessments.FACTORS_NEEDED),
        (["21", "3B"], assessments.NO_FACTORS_ALONE),
        (["18A"], assessments.FACTOR_NOT_OFFERED),
        (["19A"], assessments.FACTOR_NOT_OFFERED),
        (["99Z"], assessments.FACTOR_NOT_OFFERED),
    ],
)
def test_bad_factors_are_refused_and_the_assessment_is_not_signed_off(
    completed, pod_manager, factors, message
):
    with pytest.raises(ValidationError) as raised:
        assessments.assessment_sign_off(assessment=completed, by=pod_manager.user, factors=factors)
    assert raised.value.message_dict == {"factors": [message]}
    completed.refresh_from_db()
    assert completed.signed_off is None and completed.factors == []


def test_the_completion_form_asks_the_primary_need(family, assessment, social_worker):
    client = client_for(social_worker)
    page = client.get(url(assessment)).content.decode()
    assert "The child&#x27;s primary need" in page or "The child's primary need" in page
    missing = client.post(
        url(assessment),
        {"complete": "1", "outcome": "cin_plan", "completed_day": TODAY.day,
         "completed_month": TODAY.month, "completed_year": TODAY.year},
    )  # fmt: skip
    assert missing.status_code == 400
    assert "Choose the child&#x27;s primary need" in missing.content.decode()
    done = client.post(
        url(assessment),
        {"complete": "1", "outcome": "cin_plan", "primary_need": "N4", "completed_day": TODAY.day,
         "completed_month": TODAY.month, "completed_year": TODAY.year},
    )  # fmt: skip
    assert done.status_code == 302
    assert family.referrals.get().primary_need == "N4"


def test_the_sign_off_form_offers_grouped_factors_by_whom_not_the_queried_codes(
    completed, pod_manager
):
    page = client_for(pod_manager).get(url(completed)).content.decode()
    assert "Abuse and neglect" in page and "Physical abuse by an adult" in page
    assert 'value="18B"' in page and 'value="19C"' in page
    assert 'value="18A"' not in page and 'value="19A"' not in page


def test_signing_off_with_no_factors_and_another_is_a_form_error(completed, pod_manager):
    client = client_for(pod_manager)
    refused = client.post(url(completed), {"sign_off": "1", "factors": ["21", "1B"]})
    assert refused.status_code == 400
    assert assessments.NO_FACTORS_ALONE in refused.content.decode()
    none_chosen = client.post(url(completed), {"sign_off": "1"})
    assert none_chosen.status_code == 400
    assert assessments.FACTORS_NEEDED in none_chosen.content.decode()
    assert Assessment.objects.get(pk=completed.pk).signed_off is None
    signed = client.post(url(completed), {"sign_off": "1", "factors": ["1B", "17A"]})
    assert signed.status_code == 302
    completed.refresh_from_db()
    assert completed.factors == ["1B", "17A"] and completed.signed_off_by == pod_manager.user
    assert "Emotional abuse" in client.get(url(completed)).content.decode()


def test_the_completion_form_starts_from_the_primary_need_already_recorded(
    family, assessment, social_worker
):
    referral = family.referrals.get()
    referral.primary_need = "N5"
    referral.save()
    page = client_for(social_worker).get(url(assessment)).content.decode()
    assert 'value="N5" checked' in page
