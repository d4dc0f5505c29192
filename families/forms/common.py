"""Small pieces the families forms share."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone


def not_in_future(day: datetime.date | None, message: str) -> None:
    if day and day > timezone.localdate():
        raise forms.ValidationError(message)


def with_blank(choices, label: str = "Not known yet") -> list:
    return [("", label), *choices]
