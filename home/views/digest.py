"""Everyone's own choice of the daily digest email: on by default, off in one click."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect

from config.govuk_forms import render_form
from home.digest import digest_choice_save, wants_digest


class DigestChoiceForm(forms.Form):
    wants_digest = forms.TypedChoiceField(
        label="Do you want the daily email?",
        help_text=(
            "Each working morning: your overdue visits, meetings due in the next 5 working "
            "days, supervision actions due and calls waiting (and your pod's, for a pod "
            "manager). It names families by their reference only."
        ),
        choices=[("yes", "Yes, send it to me"), ("no", "No, do not send it")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you want the daily email"},
    )


def digest_choice(request):
    current = "yes" if wants_digest(request.user) else "no"
    form = DigestChoiceForm(
        request.POST if request.method == "POST" else None, initial={"wants_digest": current}
    )
    if request.method == "POST" and form.is_valid():
        wants = form.cleaned_data["wants_digest"]
        digest_choice_save(user=request.user, wants=wants)
        messages.success(
            request,
            "You will get the daily email" if wants else "You will not get the daily email",
        )
        return redirect("account")
    return render_form(request, form, title="The daily email", submit="Save")
