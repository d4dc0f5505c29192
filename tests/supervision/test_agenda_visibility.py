"""Group supervision goes through the door: a restricted family is neither offered, nor
accepted, nor proposed for the agenda when the pod manager is not named on it."""

import pytest
from django.core.exceptions import ValidationError

from supervision import agenda, services
from supervision.models import CaseDiscussion, DiscussionRequest
from tests.clients import client_for

pytestmark = pytest.mark.django_db


def test_the_add_a_family_list_leaves_out_a_restricted_family_the_manager_is_not_named_on(
    pod_manager, session, restricted_family
):
    page = client_for(pod_manager).get(f"/supervision/group/{session.pk}/")
    assert page.status_code == 200
    offered = list(page.context["add_form"].fields["family"].queryset)
    assert restricted_family not in offered
    text = page.content.decode()
    assert restricted_family.display_name not in text and restricted_family.reference not in text


def test_adding_a_restricted_family_by_its_id_is_refused(pod_manager, session, restricted_family):
    response = client_for(pod_manager).post(
        f"/supervision/group/{session.pk}/add/", {"family": restricted_family.pk}, follow=True
    )
    assert not CaseDiscussion.objects.filter(family=restricted_family).exists()
    assert restricted_family.display_name not in response.content.decode()


def test_the_service_refuses_a_family_the_manager_may_not_see(
    pod_manager, session, restricted_family
):
    with pytest.raises(ValidationError) as refused:
        services.agenda_add(session=session, family=restricted_family, by=pod_manager)
    assert refused.value.message_dict["family"] == [services.FAMILY_NOT_VISIBLE]
    assert not CaseDiscussion.objects.filter(family=restricted_family).exists()


def test_the_manager_named_on_a_restricted_family_may_still_add_it(
    pod_manager, social_worker, session, restricted_family
):
    restricted_family.restricted_access.create(user=pod_manager.user, added_by=social_worker.user)
    added = services.agenda_add(session=session, family=restricted_family, by=pod_manager)
    assert added.family == restricted_family


def test_the_proposed_agenda_leaves_out_a_restricted_family(
    pod, pod_manager, social_worker, family, restricted_family, today
):
    DiscussionRequest.objects.create(family=restricted_family, requested_by=social_worker)
    proposed = {p.family for p in agenda.propose(pod, today, user=pod_manager.user)}
    assert family in proposed and restricted_family not in proposed
    session = services.group_session_open(pod=pod, day=today, by=pod_manager)
    assert list(session.discussions.values_list("family", flat=True)) == [family.pk]
