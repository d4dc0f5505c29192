"""Small helpers the family views share."""

from django.core.exceptions import ValidationError
from django.shortcuts import render


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
    template: str = "families/form.html",
    **extra,
):
    """The one template for simple family forms; 400 when the form came back with errors."""
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
