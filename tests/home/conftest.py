"""Home-page fixtures: the Oak Pod family of tests/families and scheduling's reviewing officer
and dates."""

from tests.families.conftest import child, family, front_door  # noqa: F401
from tests.scheduling.conftest import next_week, reviewing_officer  # noqa: F401
