"""The monthly monitoring report as a tagged PDF (WeasyPrint, PDF/UA), rendered in the
worker: every KPI with its definition, movement against the month and the year before, and a
chart of the last 12 months drawn as SVG (reporting.charts) with its numbers in a table too."""

from __future__ import annotations

import base64

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from reporting.charts import line_chart
from reporting.kpis import Period, Scope
from reporting.models import MonthlyReport
from reporting.trends import history, movements

TEMPLATE = "reporting/pdf/report.html"
CHART_MONTHS = 12


def render_report_pdf(
    *, report: MonthlyReport, period: Period, scope: Scope, values: dict
) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(TEMPLATE, report_context(report, period, scope, values))
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",)))
    return document.write_pdf(pdf_variant="pdf/ua-1")


def report_context(report, period: Period, scope: Scope, values: dict) -> dict:
    past = history(report.scope_key, period, CHART_MONTHS, current=values)
    changes = movements(report.scope_key, period, values)
    rows = []
    for key, item in values.items():
        months = past.get(key, [])
        svg = line_chart(item["name"], [m.start.strftime("%b %y") for m, _ in months],
                         [v for _, v in months], item["unit"])  # fmt: skip
        rows.append(
            {
                **item,
                "key": key,
                "movement": changes[key],
                "months": months,
                # A data: URI, which the PDF's fetcher allows: the SVG as an image.
                "chart": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(),
            }
        )
    return {
        "period": period,
        "scope": scope,
        "rows": rows,
        "council_name": settings.PODS_COUNCIL_NAME,
        "built": timezone.localtime(),
    }
