"""Reporting screens: the monthly reports (list, one report with its build's progress, a
leader's rebuild, PDF and CSV), the dashboards (senior leaders: the authority over 36 months
and the pods side by side; pod managers: their pod; everyone: their own figures), the list of
children behind a number, and every dashboard table as CSV or XLSX.

Who sees what: senior leaders every report; a pod manager their pod's; everyone their own
figures. Counts never name a child: the list behind a number shows only the children the
viewer may see (a senior leader still opens a family through break glass)."""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from config.spreadsheets import spreadsheet_safe
from families.access import log_families_shown
from families.models import Family, FamilyMember
from families.selectors import changes_of_worker
from onestory.models import Entry
from onestory.timeliness import visits_due
from pods.models import Team, Worker
from pods.selectors import home_team, worker_for
from reporting import permissions, reports
from reporting.charts import bar_chart, line_chart
from reporting.kpis import REGISTRY, Period, Scope, children_behind
from reporting.kpis.behind import DRILLABLE
from reporting.kpis.feedback_behind import DRILLABLE as FEEDBACK_DRILLABLE
from reporting.models import MonthlyReport
from reporting.trends import figure, history, movements, number, series_movement
from supervision.models import OneToOneSupervision

DASHBOARD_MONTHS = 36


def _worker(request) -> Worker | None:
    return worker_for(request.user)


def _chart_src(svg: str) -> str:
    # A data: URI (the CSP allows data: images): the same SVG as in the PDF, as an image.
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# --- the monthly reports ---------------------------------------------------------------------


def report_list(request):
    visible = permissions.reports_visible_to(request.user)
    managed = permissions.managed_pods_of(request.user)
    if not permissions.can_user_see_every_report(request.user) and not managed.exists():
        raise Http404
    return render(
        request,
        "reporting/report_list.html",
        {
            "reports": visible.order_by("-period", "scope_key")[:200],
            "building": visible.filter(
                status__in=[MonthlyReport.Status.QUEUED, MonthlyReport.Status.BUILDING]
            ).count(),
            "is_leader": permissions.can_user_see_every_report(request.user),
            "managed": managed,
        },
    )


def _report_for(request, report_id: int) -> MonthlyReport:
    report = get_object_or_404(MonthlyReport.objects.select_related("team"), pk=report_id)
    if not permissions.can_user_see_team_figures(request.user, report.team):
        raise Http404
    return report


def report_detail(request, report_id: int):
    report = _report_for(request, report_id)
    period = reports.period_of(report)
    values = report.values or {}
    changes = movements(report.scope_key, period, values)
    rows = [{**item, "key": key, "movement": changes[key]} for key, item in values.items()]
    return render(
        request,
        "reporting/report.html",
        {
            "report": report,
            "period": period,
            "rows": rows,
            "is_leader": permissions.can_user_see_every_report(request.user),
        },
    )


def report_rebuild(request, report_id: int):
    report = _report_for(request, report_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not permissions.can_user_see_every_report(request.user):
        raise Http404
    if report.is_running:
        messages.success(request, "This report is already being built: its progress is below")
    else:
        try:
            reports.report_request(
                period=reports.period_of(report), team=report.team, by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The report is being rebuilt: its progress is below")
    return redirect("report_detail", report_id=report.pk)


def report_pdf_request(request, report_id: int):
    """Ask for the report's PDF: drawn in the worker from the stored figures."""
    report = _report_for(request, report_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        report = reports.pdf_request(report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if report.pdf_status != MonthlyReport.PdfStatus.READY:
            messages.success(request, "The PDF is being made: its progress is below")
    return redirect("report_detail", report_id=report.pk)


def report_pdf(request, report_id: int):
    report = _report_for(request, report_id)
    if report.pdf_status != MonthlyReport.PdfStatus.READY or not report.pdf:
        raise Http404
    name = f"monthly-report-{reports.period_of(report)}-{report.scope_key.replace(':', '-')}.pdf"
    return FileResponse(report.pdf.open("rb"), as_attachment=True, filename=name)


def report_csv(request, report_id: int):
    report = _report_for(request, report_id)
    if report.status != MonthlyReport.Status.READY:
        raise Http404
    rows = [["measure", "value", "unit", "definition"]] + [
        [
            item["name"],
            "" if item["value"] is None else item["value"],
            item["unit"],
            item["definition"],
        ]
        for item in report.values.values()
    ]
    name = f"monthly-report-{reports.period_of(report)}-{report.scope_key.replace(':', '-')}.csv"
    return _csv_response(rows, name)


# --- dashboards ------------------------------------------------------------------------------


def _latest_period() -> Period:
    return Period.of(timezone.localdate()).previous()


def _figures_version() -> str:
    """Changes whenever any report's figures are saved: the key under which what the
    dashboards read from the reports is kept in the cache."""
    latest = MonthlyReport.objects.aggregate(latest=Max("built"), count=Count("pk"))
    built = latest["latest"].timestamp() if latest["latest"] else 0
    return f"{built:.6f}-{latest['count']}"


def _remembered(key: str, compute):
    """``compute()``, kept in the cache under ``key`` and the figures' version."""
    key = f"reporting:{key}:{_figures_version()}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout=24 * 60 * 60)
    return found


def _scope_table(scope_key: str, last: Period, months: int):
    """(periods, [(kpi key, name, unit, [values])]) from the built reports."""
    return _remembered(f"table:{scope_key}:{last}:{months}",
                       lambda: _read_scope_table(scope_key, last, months))  # fmt: skip


def _read_scope_table(scope_key: str, last: Period, months: int):
    past = history(scope_key, last, months)
    periods = [last.minus(months - 1 - offset) for offset in range(months)]
    rows = [
        (
            key,
            kpi.name,
            kpi.unit,
            [value for _period, value in past.get(key, [])] or [None] * months,
        )
        for key, kpi in REGISTRY.items()
        if key in past
    ]
    return periods, rows


def _drill_url(key: str) -> str | None:
    """The name of the URL of the list behind the figure, if it has one."""
    if key in DRILLABLE:
        return "kpi_children"
    if key in FEEDBACK_DRILLABLE:
        return "kpi_feedback"
    return None


def _dashboard_cards(scope_key: str, last: Period, kind: str):
    periods, rows = _scope_table(scope_key, last, DASHBOARD_MONTHS)
    labels = [p.start.strftime("%b %y") for p in periods]
    cards = []
    for key, name, unit, values in rows:
        kpi = REGISTRY[key]
        if kind not in kpi.scopes:
            continue
        current = values[-1]
        cards.append(
            {
                "key": key,
                "name": name,
                "unit": unit,
                "value": current,
                "up_is_good": kpi.up_is_good,
                "definition": kpi.definition,
                "movement": series_movement(values),
                "chart": (name, labels, values, unit, line_chart),
                "months": list(zip(periods, values, strict=True)),
                "month_rows": _month_rows(periods, values),
                "drill": _drill_url(key),
            }
        )
    for card, chart in zip(cards, _cached_charts([card["chart"] for card in cards]), strict=True):
        card["chart"] = chart
    return periods, cards


# The dashboard's tables have hundreds of cells: drawn here, escaped, rather than cell by cell
# in the template language (or format_html), which costs several times as much.
MONTH_ROW = (
    '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{}</th>'
    '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td></tr>'
)
POD_ROW = (
    '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
    '<a class="govuk-link" href="{}">{}</a></th>{}</tr>'
)
CELL = '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'


def _shown(value) -> str:
    return "–" if value is None else html.escape(str(value))


def _month_rows(periods: list[Period], values: list) -> str:
    return mark_safe(  # nosec B308 B703  # every part is escaped above
        "".join(
            MONTH_ROW.format(html.escape(period.label), _shown(value))
            for period, value in zip(periods, values, strict=True)
        )
    )


def _pod_rows(pod_rows) -> str:
    link = reverse("pod_dashboard", args=[0])[: -len("0/")]
    return mark_safe(  # nosec B308 B703  # every part is escaped above
        "\n".join(
            POD_ROW.format(
                f"{link}{pod.pk}/",
                html.escape(pod.name),
                "".join(CELL.format(_shown(v)) for v in values),
            )
            for pod, values in pod_rows
        )
    )


def _cached_charts(charts: list[tuple]) -> list[str]:
    """Each chart's SVG as a data: URI, for ``(name, labels, values, unit, draw)``: drawn once
    for the same figures (the cache is Redis, shared by every web node, read in one round
    trip) rather than on every request."""
    keys = [
        "reporting:chart:"
        + hashlib.sha256(repr((draw.__name__, name, unit, labels, values)).encode()).hexdigest()
        for name, labels, values, unit, draw in charts
    ]
    found = cache.get_many(keys)
    drawn = {}
    for key, (name, labels, values, unit, draw) in zip(keys, charts, strict=True):
        if key not in found:
            drawn[key] = _chart_src(draw(name, labels, values, unit))
    if drawn:
        cache.set_many(drawn, timeout=24 * 60 * 60)
    return [found.get(key) or drawn[key] for key in keys]


def dashboard(request):
    """Senior leaders: the authority over 36 months, and the pods side by side."""
    if not permissions.can_user_see_every_report(request.user):
        raise Http404
    last = Period.parse(request.GET["month"]) if _valid_month(request) else _latest_period()
    periods, cards = _dashboard_cards("authority", last, "authority")
    pods = list(Team.objects.active_on(last.end).filter(kind=Team.Kind.POD).order_by("name"))
    compare_keys = ["open_children", "cp_children", "children_in_care", "caseload",
                    "visits_in_timescale", "one_to_ones_in_timescale"]  # fmt: skip
    side = (
        MonthlyReport.objects.filter(
            period=last.start, team__in=pods, status=MonthlyReport.Status.READY
        )
        .annotate(**{key: figure(key) for key in compare_keys})
        .values_list("team_id", *compare_keys)
    )
    by_pod = _remembered(f"pods:{last}", lambda: {team_id: values for team_id, *values in side})
    pod_rows = [(pod, by_pod.get(pod.pk, [None] * len(compare_keys))) for pod in pods]
    pod_charts = _cached_charts([
        (REGISTRY[key].name, [pod.name for pod, _ in pod_rows],
         [_float(values[index]) for _, values in pod_rows], REGISTRY[key].unit, bar_chart)
        for index, key in enumerate(compare_keys[:2])
    ])  # fmt: skip
    return render(
        request,
        "reporting/dashboard.html",
        {
            "title": "The service's figures",
            "scope_label": Scope.authority().label,
            "last": last,
            "cards": cards,
            "pod_columns": [REGISTRY[key] for key in compare_keys],
            "pod_rows": pod_rows,
            "pod_table_rows": _pod_rows(pod_rows),
            "pod_charts": pod_charts,
            "built": bool(cards and any(card["value"] is not None for card in cards)),
            "export_scope": "authority",
            "drill_scope": "authority",
        },
    )


def _float(text) -> float | None:
    value = number(text)
    return None if value is None else float(value)


def _valid_month(request) -> bool:
    text = request.GET.get("month")
    if not text:
        return False
    try:
        period = Period.parse(text)
    except ValueError:
        raise Http404 from None
    if period >= Period.of(timezone.localdate()):
        raise Http404
    return True


def pod_dashboard(request, team_id: int):
    team = get_object_or_404(Team, pk=team_id, kind=Team.Kind.POD)
    if not permissions.can_user_see_team_figures(request.user, team):
        raise Http404
    last = _latest_period()
    periods, cards = _dashboard_cards(f"team:{team.pk}", last, "team")
    return render(
        request,
        "reporting/dashboard.html",
        {
            "title": f"{team.name}: the pod's figures",
            "scope_label": team.name,
            "last": last,
            "cards": cards,
            "built": bool(cards),
            "export_scope": f"team-{team.pk}",
            "drill_scope": f"team-{team.pk}",
        },
    )


def my_figures(request):
    """Every worker's own figures: caseload, visits due and done, supervision, changes of
    worker on the families they hold."""
    worker = _worker(request)
    if worker is None:
        raise Http404
    today = timezone.localdate()
    last = _latest_period()
    me = Scope.of_worker(worker)
    held = Family.objects.filter(allocations__worker=worker, allocations__end__isnull=True)
    due = visits_due(held, today)
    changes = changes_of_worker(today, held)
    seen_last_month = REGISTRY["visits_in_timescale"].value(last, me)
    last_one_to_one = (
        OneToOneSupervision.objects.filter(supervisee=worker).order_by("-date").first()
    )
    visits_done = Entry.objects.filter(
        author=request.user,
        kind=Entry.Kind.HOME_VISIT,
        status=Entry.Status.FINAL,
        occurred__date__range=(last.start, last.end),
    ).count()
    return render(
        request,
        "reporting/my_figures.html",
        {
            "worker": worker,
            "last": last,
            "children": FamilyMember.objects.filter(family__in=held, relationship="child").count(),
            "families": held.distinct().count(),
            "caseload": REGISTRY["caseload"].value(last, me),
            "due": due,
            "overdue": sum(visit.is_overdue for visit in due),
            "seen_last_month": seen_last_month,
            "visits_done": visits_done,
            "changes": changes,
            "last_one_to_one": last_one_to_one,
            "team": home_team(worker, today),
        },
    )


# --- the children behind a number ---------------------------------------------------------------


def scope_from(request, text: str) -> Scope:
    if text == "authority":
        if not permissions.can_user_see_every_report(request.user):
            raise Http404
        return Scope.authority()
    if text.startswith("team-") and text[5:].isdigit():
        team = get_object_or_404(Team, pk=int(text[5:]))
        if not permissions.can_user_see_team_figures(request.user, team):
            raise Http404
        return Scope.of_team(team)
    raise Http404


def children(request, key: str, month: str, scope: str):
    """The children a number counts, as far as the viewer may see them: the count is the
    report's, the names are only those of families the viewer may open."""
    if key not in REGISTRY:
        raise Http404
    try:
        period = Period.parse(month)
    except ValueError:
        raise Http404 from None
    if period >= Period.of(timezone.localdate()):
        raise Http404
    chosen = scope_from(request, scope)
    behind = children_behind(key, period, chosen)
    if behind is None:
        raise Http404
    total = behind.count()
    visible = list(
        behind.filter(family__in=Family.objects.visible_to(request.user))
        .select_related("person", "family")
        .order_by("person__last_name", "person__first_name")[:500]
    )
    log_families_shown(request, [member.family for member in visible])
    return render(
        request,
        "reporting/children.html",
        {
            "kpi": REGISTRY[key],
            "period": period,
            "scope": chosen,
            "total": total,
            "children": visible,
            "hidden": total - len(visible),
        },
    )


# --- exports ---------------------------------------------------------------------------------


def export(request, scope: str, fmt: str):
    """A dashboard's table (every KPI over 36 months) as CSV or XLSX."""
    chosen = scope_from(request, scope)
    key = "authority" if chosen.kind == "authority" else f"team:{chosen.team.pk}"
    periods, rows = _scope_table(key, _latest_period(), DASHBOARD_MONTHS)
    table = [["measure", "unit", *[str(p) for p in periods]]] + [
        [name, unit, *["" if v is None else v for v in values]] for _key, name, unit, values in rows
    ]
    name = f"figures-{scope}-{_latest_period()}"
    if fmt == "csv":
        return _csv_response(table, f"{name}.csv")
    if fmt == "xlsx":
        return _xlsx_response(table, f"{name}.xlsx", chosen.label)
    raise Http404


def _csv_response(rows, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response


def _xlsx_response(rows, filename: str, title: str) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Figures"
    sheet.append([spreadsheet_safe(f"{title}: monthly figures")])
    for row in rows:
        sheet.append([_number_or_text(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _number_or_text(cell):
    from decimal import Decimal

    if isinstance(cell, Decimal):
        return float(cell)
    return spreadsheet_safe(cell)
