"""The security log for administrators: newest first, filtered, a page at a time, and the
filtered rows as CSV. Anyone else gets a 404 (``can_user_read_security_log``)."""

from __future__ import annotations

import csv
import datetime

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import SecurityEvent
from accounts.permissions import can_user_read_security_log
from config.govuk_forms import GovukDateField
from config.spreadsheets import spreadsheet_safe

EVENTS_PER_PAGE = 50
DATES_THE_WRONG_WAY_ROUND = "The date to must be the same as or after the date from"
CSV_HEADER = [
    "When",
    "Username",
    "Address",
    "Event",
    "Outcome",
    "Object type",
    "Object id",
    "Object",
    "Detail",
]


class SecurityLogFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Event", required=False, choices=[("", "All events"), *SecurityEvent.Kind.choices]
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        required=False,
        choices=[("", "All outcomes"), *SecurityEvent.Outcome.choices],
    )
    username = forms.CharField(label="Username", required=False, max_length=150)
    date_from = GovukDateField(label="Date from", required=False)
    date_to = GovukDateField(label="Date to", required=False)

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", DATES_THE_WRONG_WAY_ROUND)
        return cleaned


def security_events_filtered(filters: dict):
    """The events that match the filters, newest first (the model's ordering)."""
    events = SecurityEvent.objects.all()
    if filters.get("kind"):
        events = events.filter(kind=filters["kind"])
    if filters.get("outcome"):
        events = events.filter(outcome=filters["outcome"])
    if filters.get("username"):
        events = events.filter(username__iexact=filters["username"].strip())
    if filters.get("date_from"):
        events = events.filter(occurred__gte=_start_of(filters["date_from"]))
    if filters.get("date_to"):
        events = events.filter(occurred__lt=_start_of(filters["date_to"] + datetime.timedelta(1)))
    return events


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _filter_form(request) -> SecurityLogFilterForm:
    if not can_user_read_security_log(request.user):
        raise Http404
    return SecurityLogFilterForm(request.GET or None)


@never_cache
@require_GET
def security_log(request):
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        return render(request, "accounts/security_log.html", {"form": form}, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    page = Paginator(security_events_filtered(filters), EVENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/security_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@never_cache
@require_GET
def security_log_export(request):
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        return render(request, "accounts/security_log.html", {"form": form}, status=400)
    events = security_events_filtered(form.cleaned_data if form.is_bound else {})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="security-log-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for event in events.iterator(chunk_size=2000):
        writer.writerow([spreadsheet_safe(cell) for cell in _csv_row(event)])
    return response


def _csv_row(event: SecurityEvent) -> list[str]:
    return [
        timezone.localtime(event.occurred).isoformat(timespec="seconds"),
        event.username,
        event.address or "",
        event.get_kind_display(),
        event.get_outcome_display(),
        event.target_type,
        event.target_id,
        event.target_label,
        event.detail,
    ]
