"""The pod's actions: exactly the decisions of families the reader may see, a page at a time,
in the same number of queries however many decisions the pod has."""

import datetime

import pytest
from django.utils import timezone

from supervision.models import CaseDiscussion, Decision
from supervision.selectors import ACTIONS_PAGE
from tests.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted_item(session, restricted_family):
    """The restricted family on this week's agenda (put there before it was restricted)."""
    return CaseDiscussion.objects.create(
        group_session=session, family=restricted_family, position=9
    )


def _decide(item, owner, number, text="Ring school"):
    due = timezone.localdate() + datetime.timedelta(days=7)
    return [
        Decision.objects.create(discussion=item, text=f"{text} {n}", owner=owner, due=due)
        for n in range(number)
    ]


def _shown(response) -> set[int]:
    return {action.pk for action in response.context["actions"]}


def test_it_shows_the_decisions_of_families_the_reader_may_see_and_no_others(
    pod_manager, social_worker, session, restricted_item
):
    seen = _decide(session.discussions.exclude(pk=restricted_item.pk).get(), social_worker, 2)
    hidden = _decide(restricted_item, social_worker, 2, text="Hidden")
    response = client_for(pod_manager).get("/supervision/actions/")
    assert response.status_code == 200
    assert _shown(response) == {d.pk for d in seen}
    page = response.content.decode()
    assert "Hidden" not in page and restricted_item.family.display_name not in page
    # Their social worker is named on it, and sees them.
    assert {d.pk for d in hidden} <= _shown(client_for(social_worker).get("/supervision/actions/"))


def test_it_pages_through_every_action_once(pod_manager, social_worker, session):
    made = _decide(session.discussions.get(), social_worker, ACTIONS_PAGE + 3)
    client = client_for(pod_manager)
    first = client.get("/supervision/actions/")
    second = client.get("/supervision/actions/?page=2")
    assert len(_shown(first)) == ACTIONS_PAGE and 'rel="next"' in first.content.decode()
    assert len(_shown(second)) == 3 and 'rel="prev"' in second.content.decode()
    assert _shown(first) | _shown(second) == {d.pk for d in made}
    assert client.get("/supervision/actions/?page=x").status_code == 200


def test_its_queries_do_not_grow_with_the_decisions(
    pod_manager, social_worker, session, django_assert_max_num_queries
):
    item = session.discussions.get()
    client = client_for(pod_manager)
    _decide(item, social_worker, 3)
    # session, user, device, worker, home team (two), the page of actions, and the session's
    # save (in a savepoint, as the test runs in a transaction: three)
    with django_assert_max_num_queries(10) as few:
        assert client.get("/supervision/actions/").status_code == 200
    _decide(item, social_worker, 2 * ACTIONS_PAGE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_shown(client.get("/supervision/actions/"))) == ACTIONS_PAGE


def test_open_actions_come_first_then_those_done_lately(pod_manager, social_worker, session):
    done, *still_open = _decide(session.discussions.get(), social_worker, 3)
    done.done = timezone.now()
    done.save()
    shown = list(client_for(pod_manager).get("/supervision/actions/").context["actions"])
    assert [action.pk for action in shown] == [*(d.pk for d in still_open), done.pk]
