"""What `make bench` measures of reporting, before the pages (the dashboard page reads the
reports this step leaves built):

- computing every KPI of last month for the authority (in this process, a few runs), and for
  every pod (once each);
- rendering the authority's monthly report PDF (in this process, a few runs);
- the 36-month backfill of the authority's reports through a real Celery worker, from asking
  for them to the last one ready (each run rebuilds them all: the same work every time);
- last month's report of every pod through the worker (for the dashboard's pods side by side).
"""

from __future__ import annotations

import time

from bench.tasks import TaskError, Worker

RUNS = 3
BACKFILL_MONTHS = 36
TIMEOUT = 4 * 60 * 60  # seconds for the backfill to finish


def _wait_ready(ids: list[int], timeout: float) -> None:
    from reporting.models import MonthlyReport

    deadline = time.monotonic() + timeout
    while True:
        statuses = dict(MonthlyReport.objects.filter(pk__in=ids).values_list("pk", "status"))
        failed = [pk for pk, status in statuses.items() if status == MonthlyReport.Status.FAILED]
        if failed:
            raise TaskError(f"monthly reports {failed} failed to build")
        if all(status == MonthlyReport.Status.READY for status in statuses.values()):
            return
        if time.monotonic() > deadline:
            raise TaskError(f"the monthly reports were not built within {timeout}s")
        time.sleep(0.5)


def _request(period, team):
    from reporting import reports

    return reports.report_request(period=period, team=team).pk


def measure_full_backfill() -> dict:
    """The 36-month backfill of the authority and every pod, through one worker with one
    process per core (2): 6,912 reports, nearly two hours at scale 10 on 2 cores, so only on
    request (--full-backfill)."""
    from django.utils import timezone

    from reporting import reports
    from reporting.kpis import Period

    last = Period.of(timezone.localdate()).previous()
    months = [last.minus(back) for back in range(BACKFILL_MONTHS - 1, -1, -1)]
    worker = Worker(concurrency=2)
    try:
        worker.start()
        print("Backfilling 36 months for the authority and every pod ...", flush=True)
        started = time.perf_counter()
        ids = [
            _request(period, team) for period in months for team in reports.scopes_for_month(period)
        ]
        _wait_ready(ids, 12 * 60 * 60)
        seconds = round(time.perf_counter() - started, 1)
    finally:
        worker.stop()
    return {"full_backfill_reports": len(ids), "full_backfill_s": seconds}


def measure(summary) -> dict:
    from django.utils import timezone

    from reporting import reports
    from reporting.kpis import Period, Scope
    from reporting.models import MonthlyReport
    from reporting.pdf import render_report_pdf

    last = Period.of(timezone.localdate()).previous()
    pods = [team for team in reports.scopes_for_month(last) if team is not None]
    result = {"month": str(last), "pods": len(pods)}

    print(f"Computing every KPI of {last} for the authority ({RUNS} runs) ...", flush=True)
    timings, values = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        values = reports.compute_values(last, Scope.authority())
        timings.append((time.perf_counter() - started) * 1000)
    result["kpis_authority_ms"] = summary(timings)
    result["kpis"] = len(values)

    print(f"Computing every KPI of {last} for each of {len(pods)} pods ...", flush=True)
    timings = []
    for pod in pods:
        started = time.perf_counter()
        reports.compute_values(last, Scope.of_team(pod))
        timings.append((time.perf_counter() - started) * 1000)
    result["kpis_per_pod_ms"] = summary(timings)
    result["kpis_every_pod_total_s"] = round(sum(timings) / 1000, 1)

    print(f"Rendering the authority's report PDF ({RUNS} runs) ...", flush=True)
    report = MonthlyReport(period=last.start, team=None, scope_key="authority")
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        pdf = render_report_pdf(report=report, period=last, scope=Scope.authority(), values=values)
        timings.append((time.perf_counter() - started) * 1000)
    result["pdf_authority_ms"] = summary(timings)
    result["pdf_bytes"] = len(pdf)

    worker = Worker()
    try:
        worker.start()
        months = [last.minus(back) for back in range(BACKFILL_MONTHS - 1, -1, -1)]
        print(
            f"Backfilling the authority's {len(months)} months through the worker ...", flush=True
        )
        started = time.perf_counter()
        ids = [_request(period, None) for period in months]
        _wait_ready(ids, TIMEOUT)
        result["backfill_authority_36_months_s"] = round(time.perf_counter() - started, 1)

        print(f"Building last month's report for each of {len(pods)} pods ...", flush=True)
        started = time.perf_counter()
        ids = [_request(last, pod) for pod in pods]
        _wait_ready(ids, TIMEOUT)
        result["last_month_every_pod_s"] = round(time.perf_counter() - started, 1)
    finally:
        worker.stop()
    return result


def lines(result: dict) -> list[str]:
    r = result
    per_pod = r["kpis_per_pod_ms"]
    return [
        f"every KPI ({r['kpis']}) of {r['month']}, authority: "
        f"p50 {r['kpis_authority_ms']['p50']:.0f} ms",
        f"every KPI of {r['month']}, each of {r['pods']} pods: p50 {per_pod['p50']:.0f} ms, "
        f"p95 {per_pod['p95']:.0f} ms; all pods {r['kpis_every_pod_total_s']} s",
        f"authority report PDF ({r['pdf_bytes'] // 1024} KB): "
        f"p50 {r['pdf_authority_ms']['p50']:.0f} ms",
        f"36-month backfill, authority, one worker: {r['backfill_authority_36_months_s']} s",
        f"last month's report of every pod, one worker: {r['last_month_every_pod_s']} s",
    ] + (
        [f"36-month backfill, authority and every pod ({r['full_backfill_reports']} reports), "
         f"one worker with 2 processes: {r['full_backfill_s']} s"]
        if "full_backfill_s" in r
        else []
    )  # fmt: skip
