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
