from tests.families.conftest import child, family, front_door  # noqa: F401
