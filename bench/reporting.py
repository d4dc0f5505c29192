"""What `make bench` measures of reporting, before the pages (the dashboard page reads the
figures this step leaves built):

- computing every KPI of last month for the authority alone (the queries narrowed to it, as
  a leader's rebuild of one report does; a few runs, in this process);
- computing every KPI of last month for the authority and every pod together (in this
  process, a few runs): what beat's build on the 1st does;
- the 36-month backfill of every scope's figures through a real Celery worker, from asking
  for them to the last month saved (each run asks for all 36 months again: the same work),
  with the worker's peak resident memory;
- the authority's report PDF, rendered in this process (a few runs) and through the worker
  from asking for it to ready (the path a person waits on).
"""

from __future__ import annotations

import time

from bench import memory
from bench.tasks import TaskError, Worker

RUNS = 3
BACKFILL_MONTHS = 36
TIMEOUT = 30 * 60  # seconds for the backfill to finish


def _wait(ready, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise TaskError(f"{what} was not done within {timeout}s")
        time.sleep(0.2)


def _figures_ready(months) -> bool:
    from reporting.models import MonthlyReport

    statuses = set(
        MonthlyReport.objects.filter(period__in=[m.start for m in months]).values_list(
            "status", flat=True
        )
    )
    if MonthlyReport.Status.FAILED in statuses:
        raise TaskError("the monthly figures failed to build (see the worker's log)")
    return statuses == {MonthlyReport.Status.READY}


def _timed(function, runs: int) -> tuple[list[float], object]:
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - started) * 1000)
    return timings, result


def measure(summary) -> dict:
    from django.utils import timezone

    from reporting import figures, reports
    from reporting.kpis import Period, Scope
    from reporting.models import MonthlyReport
    from reporting.pdf import render_report_pdf

    last = Period.of(timezone.localdate()).previous()
    scopes = figures.scopes_for_month(last)
    result = {"month": str(last), "pods": len(scopes) - 1}

    print(f"Computing every KPI of {last} for the authority ({RUNS} runs) ...", flush=True)
    timings, values = _timed(lambda: figures.compute_one(last, Scope.authority()), RUNS)
    result["kpis_authority_ms"] = summary(timings)
    result["kpis"] = len(values)

    print(f"Computing every KPI of {last} for the authority and {len(scopes) - 1} pods "
          f"({RUNS} runs) ...", flush=True)  # fmt: skip
    timings, _ = _timed(lambda: figures.compute(last, last), RUNS)
    result["kpis_every_scope_ms"] = summary(timings)

    months = Period.span(last.minus(BACKFILL_MONTHS - 1), last)
    worker = Worker()
    try:
        worker.start()
        print(f"Backfilling {len(months)} months of every scope through the worker ...",
              flush=True)  # fmt: skip
        with memory.PeakMemory(worker.process.pid) as worker_memory:
            started = time.perf_counter()
            asked = reports.months_request(months)
            _wait(lambda: _figures_ready(months), "the backfill", TIMEOUT)
            result["backfill_every_scope_36_months_s"] = round(time.perf_counter() - started, 1)
        result["backfill_reports"] = asked
        result["memory_celery"] = worker_memory.result()

        report = MonthlyReport.objects.get(period=last.start, scope_key="authority")
        print(f"Rendering the authority's report PDF ({RUNS} runs here, then "
              f"{RUNS} through the worker) ...", flush=True)  # fmt: skip
        timings, pdf = _timed(
            lambda: render_report_pdf(report=report, period=last, scope=Scope.authority(),
                                      values=report.values), RUNS)  # fmt: skip
        result["pdf_authority_ms"] = summary(timings)
        result["pdf_bytes"] = len(pdf)
        timings = []
        for _ in range(RUNS):
            MonthlyReport.objects.filter(pk=report.pk).update(pdf_status="")
            started = time.perf_counter()
            reports.pdf_request(report)
            _wait(lambda: MonthlyReport.objects.get(pk=report.pk).pdf_status == "ready",
                  "the PDF", 120)  # fmt: skip
            timings.append((time.perf_counter() - started) * 1000)
        result["pdf_authority_worker_ms"] = summary(timings)
    finally:
        worker.stop()
    return result


def lines(result: dict) -> list[str]:
    r = result
    return [
        f"every KPI ({r['kpis']}) of {r['month']}, the authority alone: "
        f"p50 {r['kpis_authority_ms']['p50']:.0f} ms",
        f"every KPI of {r['month']}, the authority and {r['pods']} pods together: "
        f"p50 {r['kpis_every_scope_ms']['p50'] / 1000:.1f} s",
        f"36-month backfill of every scope ({r['backfill_reports']} reports), one worker: "
        f"{r['backfill_every_scope_36_months_s']} s",
        memory.summary_line("Celery worker (backfill)", r["memory_celery"]),
        f"authority report PDF ({r['pdf_bytes'] // 1024} KB): in this process "
        f"p50 {r['pdf_authority_ms']['p50']:.0f} ms; through the worker, asked for to ready, "
        f"p50 {r['pdf_authority_worker_ms']['p50']:.0f} ms",
    ]
