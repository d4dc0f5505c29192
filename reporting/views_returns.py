"""The statutory returns' screens.

The performance officer's: the collection years with their returns, building a year's (a
Celery task), one year's counts and the validators' findings by child reference, and the zip
download. They never see a family's record: each finding names the child's reference, the
family's and the pod holding it, and the pod puts it right.

Each pod's data-quality page: the latest built return's findings about the families the pod
holds, with the child's name (the pod may see them, through the family's door, so the list is
in the access log) and a link to the form where the fact is put right."""

from __future__ import annotations

from collections import defaultdict

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.models import SecurityEvent
from accounts.security_log import security_event_record
from families.access import log_families_shown
from families.models import Family
from reporting import permissions
from reporting.models import ReturnIssue, StatutoryReturn
from reporting.returns.fixes import field_words, put_right
from reporting.returns.period import CollectionYear, year_of
from reporting.returns.services import return_request

YEARS_OFFERED = 3
SHOWN_PER_RULE = 50


def _performance_officer_only(request) -> None:
    if not permissions.can_user_build_returns(request.user):
        raise Http404


class BuildForm(forms.Form):
    year = forms.TypedChoiceField(label="Collection year", coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        latest = year_of(today).year - 1  # the last year that has ended
        self.fields["year"].choices = [
            (year, f"{CollectionYear(year).label} (1 April {year - 1} to 31 March {year})")
            for year in range(latest, latest - YEARS_OFFERED, -1)
        ]
        self.fields["year"].initial = latest


def returns_index(request):
    _performance_officer_only(request)
    today = timezone.localdate()
    form = BuildForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            built = return_request(year=form.cleaned_data["year"], by=request.user)
        except (ValidationError, ValueError) as exc:
            form.add_error("year", exc.messages if hasattr(exc, "messages") else str(exc))
        else:
            messages.success(request, f"The {built.label} returns are being built and checked.")
            return redirect("return_detail", year=built.year)
    return render(
        request,
        "reporting/returns/index.html",
        {"form": form, "returns": StatutoryReturn.objects.all()[:10]},
    )


def return_build(request, year: int):
    """Build a year's returns again (POST only): the findings then show the record as it is."""
    _performance_officer_only(request)
    if request.method != "POST":
        raise Http404
    get_object_or_404(StatutoryReturn, year=year)
    try:
        return_request(year=year, by=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The returns are being built again and checked.")
    return redirect("return_detail", year=year)


def _grouped(issues) -> list[dict]:
    by_rule: dict[tuple, list[ReturnIssue]] = defaultdict(list)
    for issue in issues:
        by_rule[(issue.of_return, issue.rule, issue.message)].append(issue)
    groups = []
    for (of_return, rule, message), rows in sorted(by_rule.items()):
        groups.append(
            {
                "return": ReturnIssue.Return(of_return).label,
                "rule": rule,
                "message": message,
                "fields": field_words(rows[0].columns),
                "count": len(rows),
                "rows": rows[:SHOWN_PER_RULE],
            }
        )
    return groups


def return_detail(request, year: int):
    _performance_officer_only(request)
    statutory_return = get_object_or_404(StatutoryReturn, year=year)
    issues = statutory_return.issues.select_related("family", "team")
    return render(
        request,
        "reporting/returns/detail.html",
        {
            "return": statutory_return,
            "errors": _grouped(issues.filter(kind=ReturnIssue.Kind.ERROR)),
            "queries": _grouped(issues.filter(kind=ReturnIssue.Kind.QUERY)),
            "shown_per_rule": SHOWN_PER_RULE,
        },
    )


def return_download(request, year: int):
    _performance_officer_only(request)
    statutory_return = get_object_or_404(
        StatutoryReturn, year=year, status=StatutoryReturn.Status.READY
    )
    if not statutory_return.files:
        raise Http404
    security_event_record(
        kind=SecurityEvent.Kind.RETURN_DOWNLOADED,
        request=request,
        target=statutory_return,
        detail=f"CIN census and SSDA903 {statutory_return.label}",
    )
    return FileResponse(
        statutory_return.files.open("rb"),
        as_attachment=True,
        filename=f"pods-statutory-returns-{year - 1}-{str(year)[2:]}.zip",
        content_type="application/zip",
    )


def data_quality(request):
    """A pod's findings in the latest built return, for the families it may see."""
    pods = list(permissions.data_quality_pods_of(request.user))
    if not pods:
        raise Http404
    latest = StatutoryReturn.objects.filter(status=StatutoryReturn.Status.READY).first()
    rows = []
    if latest is not None:
        visible = Family.objects.visible_to(request.user)
        issues = (
            latest.issues.filter(team__in=pods, family__in=visible)
            .select_related("family", "person", "team")
            .order_by("kind", "family__display_name", "rule")
        )
        for issue in issues:
            rows.append(
                {
                    "issue": issue,
                    "fields": field_words(issue.columns),
                    "put_right": put_right(issue),
                }
            )
        log_families_shown(request, list({row["issue"].family for row in rows}))
    return render(
        request,
        "reporting/returns/data_quality.html",
        {
            "pods": pods,
            "return": latest,
            "errors": [row for row in rows if row["issue"].kind == ReturnIssue.Kind.ERROR],
            "queries": [row for row in rows if row["issue"].kind == ReturnIssue.Kind.QUERY],
        },
    )
