"""Form pieces that follow the GOV.UK Design System, shared by every app's forms and views.

No business logic lives here and nothing here knows an app: it is the neutral module
(DESIGN §3) that every layer may import.

``GovukDateField`` is the GOV.UK date input: day, month and year boxes, with the error
messages the design system recommends ("Date of birth must include a month")."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render


class GovukDateWidget(forms.MultiWidget):
    template_name = "includes/widgets/govuk_date.html"

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
            "month": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}
            ),
            "year": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}
            ),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget

    def __init__(self, *, label: str = "", required: bool = True, **kwargs):
        self.label_text = label
        # The parts are optional one by one: compress() names the part that is missing.
        fields = tuple(forms.CharField(required=False) for _ in range(3))
        super().__init__(fields, label=label, required=required, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter the {label.lower() or 'date'}"

    def compress(self, values):
        if not values or not any(values):
            return None
        name = self.label_text or "The date"
        day, month, year = (str(v or "").strip() for v in values)
        missing = [
            part for part, value in (("day", day), ("month", month), ("year", year)) if not value
        ]
        if missing:
            raise forms.ValidationError(f"{name} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(f"{name} must be a real date, in numbers")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{name} must be a real date") from None


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has
    that field, otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def render_form(
    request,
    form,
    *,
    title: str,
    family=None,
    submit: str = "Save",
    intro: str = "",
    template: str = "includes/form_page.html",
    **extra,
):
    """The one template for simple forms; 400 when the form came back with errors."""
    status = 400 if form.is_bound and form.errors else 200
    context = {
        "form": form,
        "title": title,
        "family": family,
        "submit": submit,
        "intro": intro,
        **extra,
    }
    return render(request, template, context, status=status)
