from tests.families.conftest import child, family, front_door, lead_practitioner  # noqa: F401
