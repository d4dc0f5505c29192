"""Every kind of security event has a test that makes it happen and looks for it."""

import re
from pathlib import Path

from accounts.models import SecurityEvent

TESTS = Path(__file__).resolve().parents[1]


def test_every_kind_of_security_event_is_asserted_by_some_test():
    sources = "\n".join(
        path.read_text() for path in TESTS.rglob("test_*.py") if path.name != Path(__file__).name
    )
    untested = [
        kind.value
        for kind in SecurityEvent.Kind
        if not re.search(rf"""(kind=["']{kind.value}["']|Kind\.{kind.name}\b)""", sources)
    ]
    assert untested == []
