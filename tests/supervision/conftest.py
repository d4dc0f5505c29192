import datetime

import pytest

from tests.families.conftest import child, family, front_door, lead_practitioner  # noqa: F401


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def session(request, pod, pod_manager, today):
    """This week's session of the pod, opened with the family on its agenda."""
    from supervision import services

    request.getfixturevalue("family")
    return services.group_session_open(pod=pod, day=today, by=pod_manager)


@pytest.fixture
def restricted_family(request, pod, social_worker):
    """A family of the pod restricted to its social worker: the pod manager is not named."""
    request.getfixturevalue("front_door")
    from django.utils import timezone

    from families import services as family_services
    from tests.families.conftest import REFERRED, refer

    hidden = refer(
        name="The Lindqvist family", child=("Maja", "Lindqvist", datetime.date(2016, 1, 2))
    )
    family_services.family_allocate(family=hidden, team=pod, worker=social_worker, start=REFERRED)
    return family_services.family_restrict(
        family=hidden,
        reason="A member of staff's own family",
        review_date=timezone.localdate() + datetime.timedelta(days=90),
        named_users=[],
        by=social_worker.user,
    )
