"""Who may see a family: the pod, exceptions that expire, restricted records, and no one else."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from families import services
from families.models import Family, FamilyGrant, FamilyGroupObjectPermission

pytestmark = pytest.mark.django_db


def sees(user, family, at=None) -> bool:
    return Family.objects.visible_to(user, at=at).filter(pk=family.pk).exists()


def test_everyone_in_the_familys_pod_sees_it(family, social_worker, pod_manager, business_support):
    assert sees(social_worker.user, family)
    assert sees(pod_manager.user, family), "colleagues cover each other's families"
    assert sees(business_support.user, family)


def test_nobody_outside_the_pod_sees_it(
    family, outsider, other_pod_business_support, senior_leader, lead_practitioner
):
    for worker in (outsider, other_pod_business_support, senior_leader, lead_practitioner):
        assert not sees(worker.user, family), worker


def test_superusers_have_no_shortcut(family):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    assert not sees(root, family)


def test_a_switched_off_sign_in_sees_nothing(family, social_worker):
    social_worker.user.is_active = False
    social_worker.user.save()
    assert not sees(social_worker.user, family)


def test_a_family_has_exactly_one_group_grant_to_its_pod(family, pod):
    grants = FamilyGroupObjectPermission.objects.filter(content_object=family)
    assert [grant.group_id for grant in grants] == [pod.group_id]


def test_moving_pods_rewrites_the_grant_so_the_old_pod_no_longer_sees_it(
    family, pod, other_pod, social_worker, outsider
):
    services.family_transfer(
        family=family,
        team=other_pod,
        worker=outsider,
        start=datetime.date(2025, 6, 1),
        reason="The family moved across the city",
    )
    assert sees(outsider.user, family)
    assert not sees(social_worker.user, family)
    grants = FamilyGroupObjectPermission.objects.filter(content_object=family)
    assert [grant.group_id for grant in grants] == [other_pod.group_id]


def test_a_cover_grant_works_until_it_expires_checked_at_query_time(family, outsider, pod_manager):
    expires = timezone.now() + datetime.timedelta(days=2)
    services.grant_give(
        family=family,
        user=outsider.user,
        kind=FamilyGrant.Kind.COVER,
        reason="Covering Sam's leave",
        expires=expires,
        granted_by=pod_manager.user,
    )
    assert sees(outsider.user, family)
    assert not sees(outsider.user, family, at=expires + datetime.timedelta(seconds=1)), (
        "no clean-up job has run, yet the grant no longer works"
    )


def test_a_withdrawn_grant_stops_working_at_once(family, outsider, pod_manager):
    grant = services.grant_give(
        family=family,
        user=outsider.user,
        kind=FamilyGrant.Kind.DUTY,
        reason="Duty call",
        expires=timezone.now() + datetime.timedelta(days=1),
        granted_by=pod_manager.user,
    )
    services.grant_revoke(grant=grant)
    assert not sees(outsider.user, family)


def test_the_clean_up_removes_guardian_rows_only_behind_expired_grants(
    family, outsider, lead_practitioner, pod_manager
):
    from families.models import FamilyUserObjectPermission

    for worker in (outsider, lead_practitioner):
        services.grant_give(
            family=family,
            user=worker.user,
            kind=FamilyGrant.Kind.COVER,
            reason="Cover",
            expires=timezone.now() + datetime.timedelta(days=1 if worker == outsider else 10),
            granted_by=pod_manager.user,
        )
    removed = services.grants_expired_clear(at=timezone.now() + datetime.timedelta(days=2))
    assert removed == 1
    assert list(FamilyUserObjectPermission.objects.values_list("user__username", flat=True)) == [
        "lp"
    ]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"reason": ""}, "Enter the reason"),
        ({"reason": "   "}, "Enter the reason"),
        ({"expires": None}, "Enter when this access ends"),
        ({"expires": "past"}, "The access must end in the future"),
    ],
)
def test_a_grant_needs_a_reason_and_an_expiry_in_the_future(
    family, outsider, pod_manager, changes, message
):
    arguments = {
        "family": family,
        "user": outsider.user,
        "kind": FamilyGrant.Kind.COVER,
        "reason": "Cover",
        "expires": timezone.now() + datetime.timedelta(days=1),
        "granted_by": pod_manager.user,
    }
    arguments.update(changes)
    if arguments["expires"] == "past":
        arguments["expires"] = timezone.now() - datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        services.grant_give(**arguments)
    assert message in str(error.value.messages)
    assert not FamilyGrant.objects.exists()
    assert not sees(outsider.user, family)


def test_a_restricted_family_is_seen_only_by_named_workers(
    family, pod_manager, social_worker, business_support
):
    services.family_restrict(
        family=family,
        reason="A member of staff's own family",
        by=pod_manager.user,
        review_date=timezone.localdate() + datetime.timedelta(days=90),
        named_users=[social_worker.user],
    )
    assert sees(social_worker.user, family)
    assert sees(pod_manager.user, family), "the person restricting is always named"
    assert not sees(business_support.user, family), "in the pod, but not named"


def test_restriction_overrides_grants(family, pod_manager, outsider):
    services.grant_give(
        family=family,
        user=outsider.user,
        kind=FamilyGrant.Kind.COVER,
        reason="Cover",
        expires=timezone.now() + datetime.timedelta(days=1),
        granted_by=pod_manager.user,
    )
    services.family_restrict(
        family=family,
        reason="High profile",
        review_date=timezone.localdate() + datetime.timedelta(days=30),
        named_users=[],
        by=pod_manager.user,
    )
    assert not sees(outsider.user, family)


def test_a_senior_leader_breaks_glass_with_a_reason_for_a_few_hours(family, senior_leader):
    grant = services.break_glass(
        family=family, user=senior_leader.user, reason="Complaint to the director"
    )
    assert sees(senior_leader.user, family)
    assert grant.kind == FamilyGrant.Kind.BREAK_GLASS
    assert not sees(senior_leader.user, family, at=grant.expires + datetime.timedelta(minutes=1))


def test_visible_to_is_one_query(family, social_worker, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert list(Family.objects.visible_to(social_worker.user)) == [family]
