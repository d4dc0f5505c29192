"""Letters pages: a family's letters, writing one, a letter's page (download it, mark it sent)
and sending an appointment's invitations. Every page goes through the family door first
(404 outside visibility, whatever the method), then asks scheduling.permissions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from config.govuk_forms import add_service_errors, render_form
from families.access import get_family_for_user, get_family_for_user_to_change
from families.models import Family, FamilyMember
from scheduling import invitations, letters
from scheduling.models import Appointment, Invitation, Letter
from scheduling.permissions import can_user_send_letters

HOUSEHOLD = "household"


class LetterForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of letter is it?",
        choices=[(kind.value, kind.label) for kind in Letter.CASE_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of letter it is"},
    )
    to = forms.ChoiceField(
        label="Who is it to?",
        help_text="It goes to the family's address",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the letter is to"},
    )
    appointment = forms.TypedChoiceField(
        label="Which appointment is it about?",
        help_text="Needed for an invitation, a confirmation or a change",
        coerce=int,
        required=False,
        empty_value=None,
    )
    body = forms.CharField(
        label="What the letter says",
        help_text=(
            "In plain words, as you would say it. Paragraphs are kept. An invitation already "
            "says what the meeting is, when and where, who will be there and who to call."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=Letter._meta.get_field("body").max_length,
    )

    def __init__(self, family: Family, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {
            str(member.pk): member
            for member in family.members.select_related("person").exclude(
                relationship=FamilyMember.Relationship.CHILD
            )
        }
        self.fields["to"].choices = [(HOUSEHOLD, "The household")] + [
            (pk, f"{member.person.full_name} ({member.get_relationship_display().lower()})")
            for pk, member in self.members.items()
        ]
        upcoming = family.appointments.active().filter(start__gte=timezone.now())
        self.fields["appointment"].choices = [("", "Not about an appointment")] + [
            (appointment.pk, str(appointment)) for appointment in upcoming
        ]
        self.appointments = {appointment.pk: appointment for appointment in upcoming}

    def member(self):
        return self.members.get(self.cleaned_data["to"])

    def chosen_appointment(self):
        return self.appointments.get(self.cleaned_data.get("appointment"))


class SendForm(forms.Form):
    sent_by = forms.ChoiceField(
        label="How was it sent?",
        choices=Letter.SentBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the letter was sent"},
    )


def _letter(family: Family, letter_id: int) -> Letter:
    return get_object_or_404(
        Letter.objects.filter(kind__in=Letter.CASE_KINDS).select_related(
            "created_by", "appointment", "member__person", "entry"
        ),
        pk=letter_id,
        family=family,
    )


def _family_to_write(request, family_id: int) -> Family:
    return get_family_for_user_to_change(request, family_id, allowed=can_user_send_letters)


def letter_list(request, family_id: int):
    family = get_family_for_user(request, family_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    context = {
        "family": family,
        "letters": family.letters.filter(kind__in=Letter.CASE_KINDS).select_related(
            "created_by", "appointment"
        ),
        "can_send": can_user_send_letters(request.user, family),
    }
    return render(request, "scheduling/letters/list.html", context)


def letter_new(request, family_id: int):
    family = _family_to_write(request, family_id)
    form = LetterForm(family, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            letter = letters.letter_prepare(
                family=family,
                kind=form.cleaned_data["kind"],
                by=request.user,
                appointment=form.chosen_appointment(),
                member=form.member(),
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("letter_detail", family.pk, letter.pk)
    return render_form(
        request,
        form,
        title="Write a letter to the family",
        family=family,
        submit="Make the letter",
        intro=(
            "The letter is made as a PDF in a minute or so, with the council's heading, the "
            "family's address and who to call. It names the person it is for, never a child."
        ),
    )


def letter_detail(request, family_id: int, letter_id: int):
    family = get_family_for_user(request, family_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    letter = _letter(family, letter_id)
    return _detail_page(request, family, letter, SendForm())


def _detail_page(request, family, letter, form, status=200):
    context = {
        "family": family,
        "letter": letter,
        "form": form,
        "can_send": can_user_send_letters(request.user, family),
    }
    return render(request, "scheduling/letters/detail.html", context, status=status)


def letter_pdf(request, family_id: int, letter_id: int):
    family = get_family_for_user(request, family_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    letter = _letter(family, letter_id)
    if not letter.pdf or letter.status not in (Letter.Status.READY, Letter.Status.SENT):
        raise Http404("The letter is not ready")
    return FileResponse(
        letter.pdf.open("rb"),
        as_attachment=True,
        filename=f"letter-{family.reference}-{letter.pk}.pdf",
        content_type="application/pdf",
    )


def letter_send(request, family_id: int, letter_id: int):
    """Mark a letter posted, emailed or handed over: it goes into the chronology."""
    family = _family_to_write(request, family_id)
    letter = _letter(family, letter_id)
    form = SendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            letters.letter_send(
                letter=letter, sent_by=form.cleaned_data["sent_by"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "The letter is marked sent, and is in the family's chronology"
            )
            return redirect("letter_detail", family.pk, letter.pk)
    status = 400 if form.is_bound and form.errors else 200
    return _detail_page(request, family, letter, form, status=status)


def invitations_send(request, family_id: int, appointment_id: int):
    """Who gets what, and any problem, before anything is sent; then send them all."""
    family = _family_to_write(request, family_id)
    appointment = get_object_or_404(
        Appointment.objects.select_related("worker__user", "chair__user"),
        pk=appointment_id,
        family=family,
    )
    rows = list(
        appointment.invitations.select_related(
            "worker__user", "member__person", "professional", "letter"
        )
    )
    errors = []
    if request.method == "POST":
        try:
            invitations.invitations_send(appointment=appointment, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                "The invitations are on their way. Print and post the family's letters, then "
                "mark each one as sent.",
            )
            return redirect("invitations_send", family.pk, appointment.pk)
    to_send = [row for row in rows if row.state == Invitation.State.TO_SEND]
    context = {
        "family": family,
        "appointment": appointment,
        "rows": rows,
        "to_send": to_send,
        "errors": errors,
        "problems": [] if errors else invitations.invitations_problems(appointment, to_send),
        "letter_kind": Letter.Kind(letters.letter_kind_for(appointment)).label,
    }
    return render(
        request, "scheduling/letters/invitations.html", context, status=400 if errors else 200
    )
