"""One Story screens: the summary, recording (one form to open, one to save), the chronology,
an entry with its versions, countersigning and corrections, and challenges to an entry (the
right to rectification)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_http_methods

from config.govuk_forms import add_service_errors, render_form
from families.access import get_family_for_user, get_family_for_user_to_change
from onestory import permissions, selectors, services
from onestory.forms import (
    ChallengeAnswerForm,
    ChallengeForm,
    ChronologyFilterForm,
    EntryCorrectionForm,
    EntryForm,
    SummaryForm,
)
from onestory.models import CaseSummary, Challenge, Entry


@require_http_methods(["GET", "POST"])
def summary_edit(request, family_id: int):
    family = get_family_for_user_to_change(request, family_id)
    summary = services.summary_for(family)
    initial = {name: getattr(summary, name) for name in CaseSummary.SECTIONS}
    form = SummaryForm(request.POST or None, initial={**initial, "version": summary.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.summary_save(
                family=family,
                sections=form.sections(),
                based_on_version=form.cleaned_data["version"],
                user=request.user,
            )
        except services.SummaryConflict as error:
            conflict = _conflict(form, error.current)
            # The next save is made against the version now on screen: nothing is lost.
            form = SummaryForm(initial={**form.cleaned_data, "version": error.current.version})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The One Story summary is saved")
            return redirect("family_detail", family_id=family.pk)
    status = 409 if conflict else 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "onestory/summary_edit.html",
        {"family": family, "form": form, "summary": summary, "conflict": conflict},
        status=status,
    )


def _conflict(form: SummaryForm, current: CaseSummary) -> dict:
    """The sections where the saved text and this person's text differ, side by side."""
    sections = [
        {
            "name": name,
            "label": form.fields[name].label,
            "theirs": getattr(current, name),
            "yours": form.cleaned_data[name],
        }
        for name in CaseSummary.SECTIONS
        if getattr(current, name) != form.cleaned_data[name]
    ]
    return {"by": current.updated_by, "at": current.updated, "sections": sections}


@require_http_methods(["GET", "POST"])
def record(request, family_id: int, entry_id: int | None = None):
    """Record a visit or other entry: one page to open, one post to save. A draft comes back
    to this same form."""
    family = get_family_for_user_to_change(request, family_id)
    entry = None
    if entry_id is not None:
        entry = get_object_or_404(
            Entry, pk=entry_id, family=family, author=request.user, status=Entry.Status.DRAFT
        )
    children = selectors.children_of(family)
    form = EntryForm(
        request.POST or None, children=children, initial=_initial(entry, children, request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.entry_record(
                family=family,
                author=request.user,
                kind=form.cleaned_data["kind"],
                occurred=form.occurred(),
                final="save_draft" not in request.POST,
                entry=entry,
                children=form.children_seen(),
                significant=form.cleaned_data["significant"],
                **form.texts(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _saved_message(saved))
            return redirect("chronology", family_id=family.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "onestory/record.html",
        {"family": family, "form": form, "entry": entry},
        status=status,
    )


def _initial(entry: Entry | None, children, request) -> dict:
    if entry is None:
        kind = request.GET.get("kind", Entry.Kind.HOME_VISIT)
        seen = request.GET.getlist("child")
        return {
            "kind": kind,
            "date": timezone.localdate(),
            **{f"child_{pk}_seen": True for pk in seen},
        }
    local = timezone.localtime(entry.occurred)
    initial = {
        "kind": entry.kind,
        "date": local.date(),
        "time": local.strftime("%H:%M"),  # as typed: the template shows the value as it is
        "significant": entry.significant,
        "what_happened": entry.what_happened,
        "childs_voice": entry.childs_voice,
        "analysis": entry.analysis,
        "next_steps": entry.next_steps,
    }
    for seen in entry.children_seen.all():
        initial[f"child_{seen.person_id}_seen"] = True
        initial[f"child_{seen.person_id}_alone"] = seen.seen_alone
        initial[f"child_{seen.person_id}_bedroom"] = seen.bedroom_seen
    return initial


def _saved_message(entry: Entry) -> str:
    if entry.status == Entry.Status.DRAFT:
        return "Saved as a draft: only you can see it until you save it as final"
    if entry.status == Entry.Status.AWAITING_COUNTERSIGNATURE:
        return "Saved: a qualified social worker will countersign it"
    return f"{entry.get_kind_display()} recorded"


def chronology(request, family_id: int):
    family = get_family_for_user(request, family_id)
    children = selectors.children_of(family)
    form = ChronologyFilterForm(request.GET or None, children=children)
    filters = form.cleaned_data if form.is_valid() else {}
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    story = selectors.chronology(
        family,
        request.user,
        kind=filters.get("kind") or "",
        child_id=filters.get("child"),
        significant_only=bool(filters.get("significant")),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        page=page,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "onestory/chronology.html",
        {"family": family, "story": story, "form": form, "query": query.urlencode()},
    )


def entry_detail(request, family_id: int, entry_id: int):
    family = get_family_for_user(request, family_id)
    entry = get_object_or_404(selectors.entries_for_reading(family, request.user), pk=entry_id)
    return render(
        request,
        "onestory/entry.html",
        {
            "family": family,
            "entry": entry,
            "versions": _versions(entry),
            "can_correct": permissions.can_user_correct_entry(request.user, entry),
            "challenges": entry.challenges.select_related("recorded_by", "answered_by"),
            "can_challenge": permissions.can_user_challenge(request.user, entry),
            "can_answer": permissions.can_user_answer_challenge(request.user, family),
        },
    )


VERSION_FIELDS = ["kind", "occurred", "significant", *Entry.TEXTS]


def _versions(entry: Entry) -> list[dict]:
    """The entry's versions, newest first, each with what it changed from the one before."""
    history = list(entry.history.select_related("history_user").order_by("history_date"))
    versions = []
    for previous, version in zip([None, *history], history, strict=False):
        changes = []
        if previous is not None:
            delta = version.diff_against(previous, included_fields=VERSION_FIELDS)
            changes = [
                {
                    "label": capfirst(Entry._meta.get_field(change.field).verbose_name),
                    "old": _shown(previous, change.field),
                    "new": _shown(version, change.field),
                }
                for change in delta.changes
            ]
        versions.append({"record": version, "changes": changes})
    return versions[::-1]


def _shown(version, name: str) -> str:
    if name == "kind":
        return version.get_kind_display()
    if name == "occurred":
        return timezone.localtime(version.occurred).strftime("%-d %B %Y %H:%M")
    if name == "significant":
        return "significant" if version.significant else "not significant"
    return getattr(version, name)


@require_http_methods(["GET", "POST"])
def entry_correct(request, family_id: int, entry_id: int):
    """Correct a final entry: its form again with what it says now, and a reason. The earlier
    version stays in the entry's history."""
    family = get_family_for_user_to_change(request, family_id)
    entry = get_object_or_404(Entry, pk=entry_id, family=family, status=Entry.Status.FINAL)
    if not permissions.can_user_correct_entry(request.user, entry):
        raise PermissionDenied(services.NOT_YOURS_TO_CORRECT)
    children = selectors.children_of(family)
    form = EntryCorrectionForm(
        request.POST or None, children=children, initial=_initial(entry, children, request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            corrected = services.entry_correct(
                entry=entry,
                by=request.user,
                reason=form.cleaned_data["reason"],
                kind=form.cleaned_data["kind"],
                occurred=_moved(entry, form.occurred()),
                children=form.children_seen(),
                significant=form.cleaned_data["significant"],
                **form.texts(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = "Correction saved: the earlier version is kept in the entry's history"
            if corrected.status == Entry.Status.AWAITING_COUNTERSIGNATURE:
                message += "; a qualified social worker will countersign it"
            messages.success(request, message)
            return redirect("entry_detail", family_id=family.pk, entry_id=entry.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "onestory/record.html",
        {"family": family, "form": form, "entry": entry, "correcting": True},
        status=status,
    )


def _moved(entry: Entry, occurred):
    """The new time of the entry, or None when the form shows the same minute: the form
    has no seconds, and an unchanged time is not a correction."""
    same = timezone.localtime(entry.occurred).replace(second=0, microsecond=0)
    return (
        None if timezone.localtime(occurred).replace(second=0, microsecond=0) == same else occurred
    )


def entry_countersign(request, family_id: int, entry_id: int):
    # The family first, then the method: outside visibility every request is the same 404.
    family = get_family_for_user_to_change(request, family_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    entry = get_object_or_404(Entry, pk=entry_id, family=family)
    try:
        services.entry_countersign(entry=entry, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Countersigned: the entry is final")
    return redirect("entry_detail", family_id=family.pk, entry_id=entry.pk)


@require_http_methods(["GET", "POST"])
def challenge_new(request, family_id: int, entry_id: int):
    """Log a person's challenge to a fact in a final entry (the right to rectification)."""
    family = get_family_for_user_to_change(request, family_id)
    entry = get_object_or_404(Entry, pk=entry_id, family=family, status=Entry.Status.FINAL)
    if not permissions.can_user_challenge(request.user, entry):
        raise PermissionDenied(services.CHALLENGE_NOT_FINAL)
    form = ChallengeForm(request.POST or None, initial={"received": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_log(entry=entry, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "The challenge is logged against the entry: the pod manager answers it"
            )
            return redirect("entry_detail", family_id=family.pk, entry_id=entry.pk)
    return render_form(
        request, form, family=family, title=f"Challenge to an entry: {entry}", submit="Log it",
        intro="Someone says a fact in this entry is wrong. What they say is kept beside the "
        "entry, which is not changed: the record of what was believed at the time stays.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def challenge_answer(request, family_id: int, entry_id: int, challenge_id: int):
    family = get_family_for_user_to_change(request, family_id)
    challenge = get_object_or_404(
        Challenge.objects.select_related("entry"),
        pk=challenge_id, entry_id=entry_id, entry__family=family,
    )  # fmt: skip
    if not permissions.can_user_answer_challenge(request.user, family):
        raise PermissionDenied(services.NOT_YOURS_TO_ANSWER)
    form = ChallengeAnswerForm(request.POST or None, initial={"answered": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_answer(challenge=challenge, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The challenge is answered")
            return redirect("entry_detail", family_id=family.pk, entry_id=entry_id)
    return render_form(
        request, form, family=family, title=f"Answer the challenge: {challenge.entry}",
        submit="Answer", intro=f"{challenge.raised_by} said: “{challenge.what_is_wrong}”",
    )  # fmt: skip
