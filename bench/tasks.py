"""The background tasks ``make bench`` measures, each through a real Celery worker against
the bench instance's PostgreSQL and Redis, as a person waiting for the result sees it: from
the moment the request is committed to the moment the result is ready. A later issue adds its
tasks to TASKS.

Each task also says how long the work itself takes in this process (no queue, no worker), so
that the queue's share of the wait is visible, and, when it runs in the worker, the peak
resident memory of the worker and its children over the measured runs (bench/memory.py)."""

from __future__ import annotations

import contextlib
import datetime
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import memory
from bench.dataset import INSTANCE, subprocess_env

BASE_DIR = Path(__file__).resolve().parent.parent
WORKER_STARTUP_TIMEOUT = 60  # seconds for the worker to answer a ping
TASK_TIMEOUT = 300  # seconds for one task to finish
WARMUP_RUNS = 1
DEFAULT_RUNS = 10  # measured runs of a task, unless it says otherwise or --task-runs does
POLL_EVERY = 0.01  # seconds between two looks at whether a run has finished
# Readings of the worker's memory: often enough to see a child that lives a few seconds (the
# DfE validators' subprocess) at close to its peak.
MEMORY_EVERY = 0.25


class TaskError(Exception):
    """A task that did not finish, or a worker that did not start."""


@dataclass(frozen=True)
class BenchTask:
    name: str  # as printed, and as --pages selects it
    describe: str  # what one run does, for the report
    # (placeholders) -> a function that queues one run and returns a function that says,
    # without blocking, whether it has finished (and raises TaskError if it failed).
    queue: Callable[[dict], Callable[[], Callable[[], bool]]]
    # (placeholders) -> a function that does the same work in this process.
    in_process: Callable[[dict], Callable[[], None]]
    # Measured runs when --task-runs does not say: a task that takes tens of seconds has fewer.
    runs: int = DEFAULT_RUNS
    # Seconds one run may take before the benchmark stops, as a function (it may read the
    # settings, which are set up after this module is imported).
    timeout: Callable[[], float] = lambda: TASK_TIMEOUT
    poll_every: float = POLL_EVERY
    # False when "through the worker" is not the Celery worker (then its memory is not read).
    in_worker: bool = True
    # (placeholders) -> a function that reads what a run recorded of itself (its own timings,
    # its counts), called after each run, both through the worker and in this process.
    recorded: Callable[[dict], Callable[[], dict]] | None = None
    # (the task's result) -> lines for the printed report, below the table.
    lines: Callable[[dict], list[str]] | None = None


# --- the One Story PDF ---------------------------------------------------------------------


def _story_pdf_arguments(found: dict):
    from families.models import Family
    from onestory.exports import MAX_ENTRIES
    from onestory.models import Entry
    from pods.models import Worker

    family = Family.objects.get(pk=found["long_family_id"])
    user = Worker.objects.select_related("user").get(user__username="social-worker").user
    entry_ids = list(
        Entry.objects.filter(family=family, status=Entry.Status.FINAL)
        .order_by("-occurred")
        .values_list("pk", flat=True)[:MAX_ENTRIES]
    )
    return family, user, entry_ids


_story_exports_made: list[int] = []


def _story_pdf_queue(found: dict):
    from onestory import exports
    from onestory.models import StoryExport

    family, user, entry_ids = _story_pdf_arguments(found)

    def queue_one():
        export = exports.story_export_request(
            family=family, entry_ids=entry_ids, requested_by=user
        )  # its own transaction: the task is sent when it commits
        _story_exports_made.append(export.pk)

        def finished() -> bool:
            export.refresh_from_db(fields=["status", "error"])
            if export.status == StoryExport.Status.FAILED:
                raise TaskError(f"the One Story PDF failed: {export.error}")
            return export.status == StoryExport.Status.READY

        return finished

    return queue_one


def _story_pdf_in_process(found: dict):
    from onestory.pdf import render_story_pdf

    family, user, entry_ids = _story_pdf_arguments(found)
    return lambda: render_story_pdf(family=family, entry_ids=entry_ids, requested_by=user)


def _story_pdf_cleanup() -> None:
    """Take the PDFs the benchmark made out of storage and the database again."""
    from onestory.models import StoryExport

    for export in StoryExport.objects.filter(pk__in=_story_exports_made):
        if export.file:
            export.file.delete(save=False)
        export.delete()
    _story_exports_made.clear()


# --- a letter PDF ----------------------------------------------------------------------------


def _letter_arguments():
    """The demo pod's next conference or review (scheduling.demo books them) and the first
    family member invited to it, as the demo BSO would send its invitation."""
    from django.utils import timezone

    from families.models import FamilyMember
    from pods.models import Worker
    from pods.selectors import home_team
    from scheduling.models import Appointment

    bso = Worker.objects.select_related("user").get(user__username="business-support")
    pod = home_team(bso, timezone.localdate())
    planned = Appointment.objects.filter(
        team=pod, status=Appointment.Status.PLANNED, family__isnull=False
    ).order_by("start", "pk")
    appointment = (
        planned.filter(kind__in=Appointment.CHAIRED_KINDS).first()
        or planned.filter(kind__in=Appointment.STATUTORY_KINDS).first()
    )
    if appointment is None:
        raise TaskError("a letter PDF: the demo pod has no conference or review booked")
    member = (
        FamilyMember.objects.filter(family=appointment.family)
        .exclude(relationship=FamilyMember.Relationship.CHILD)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    return appointment, member, bso.user


_letters_made: list[int] = []


def _letter_queue(found: dict):
    from scheduling import letters
    from scheduling.models import Letter

    appointment, member, user = _letter_arguments()

    def queue_one():
        letter = letters.letter_prepare(
            family=appointment.family,
            kind=letters.letter_kind_for(appointment),
            by=user,
            appointment=appointment,
            member=member,
        )  # its own transaction: render_letter is sent when it commits
        _letters_made.append(letter.pk)

        def finished() -> bool:
            letter.refresh_from_db(fields=["status", "error"])
            if letter.status == Letter.Status.FAILED:
                raise TaskError(f"the letter PDF failed: {letter.error}")
            return letter.status == Letter.Status.READY

        return finished

    return queue_one


def _letter_in_process(found: dict):
    from scheduling import letters
    from scheduling.models import Letter

    appointment, member, user = _letter_arguments()
    # The letter as the worker renders it, unsaved: rendering reads it and writes nothing.
    recipient = letters.letter_recipient(
        family=appointment.family, member=member, professional=None
    )
    letter = Letter(
        family=appointment.family,
        appointment=appointment,
        kind=letters.letter_kind_for(appointment),
        to_name=recipient.name,
        to_address=recipient.address,
        member=member,
        created_by=user,
    )
    return lambda: letters.render_letter_pdf(letter)


def _letter_cleanup() -> None:
    """Take the letters the benchmark made, and their PDFs, out again."""
    from scheduling.models import Letter

    for letter in Letter.objects.filter(pk__in=_letters_made):
        if letter.pdf:
            letter.pdf.delete(save=False)
        letter.delete()
    _letters_made.clear()


# --- every worker's digest -------------------------------------------------------------------


def _digests_queue(found: dict):
    """There is no task that builds the digests without sending them (beat's
    send_daily_digests queues one send_digest a worker, which emails it), so the digests are
    built in a thread of this process, watched as a task in the worker is."""
    import threading

    from django.db import connection
    from django.utils import timezone

    from home.digest import build_all_digests

    def queue_one():
        done: list[BaseException | None] = []

        def build():
            try:
                build_all_digests(timezone.localdate())
                done.append(None)
            except BaseException as error:  # reported to the waiting side
                done.append(error)
            finally:
                connection.close()

        threading.Thread(target=build, daemon=True).start()

        def finished() -> bool:
            if done and done[0] is not None:
                raise TaskError(f"building the digests failed: {done[0]!r}")
            return bool(done)

        return finished

    return queue_one


def _digests_in_process(found: dict):
    from django.utils import timezone

    from home.digest import build_all_digests

    return lambda: build_all_digests(timezone.localdate())


# --- the statutory returns -------------------------------------------------------------------


def _returns_arguments():
    """The last collection year that has ended (as the performance officer's page offers it
    first) and the demo performance officer, who builds the returns."""
    from django.utils import timezone

    from pods.models import Worker
    from reporting.returns.period import year_of

    year = year_of(timezone.localdate()).year - 1
    officer = Worker.objects.select_related("user").get(user__username="performance-officer")
    return year, officer.user


# The returns the benchmark made, to remove again (a year's return that was there before is
# left rebuilt: building it again from the same record gives the same return).
_returns_made: list[int] = []


def _returns_note_if_new(year: int, existed: bool) -> None:
    from reporting.models import StatutoryReturn

    if not existed and not _returns_made:
        _returns_made.append(StatutoryReturn.objects.get(year=year).pk)


class _ReturnsRun:
    """One build of the returns in the worker, watched as its status moves from queued to
    building, validating and ready; says where it has got to when it fails or takes too long
    (the task's time limit, or the validators')."""

    def __init__(self, statutory_return):
        self.statutory_return = statutory_return
        self.queued_at = time.monotonic()
        self.seen: dict[str, float] = {}  # status -> seconds after queueing it was first seen

    def __call__(self) -> bool:
        from reporting.models import StatutoryReturn

        self.statutory_return.refresh_from_db(fields=["status", "error"])
        status = self.statutory_return.status
        self.seen.setdefault(status, time.monotonic() - self.queued_at)
        if status == StatutoryReturn.Status.FAILED:
            raise TaskError(
                f"the statutory returns failed ({self.progress()}): {self.statutory_return.error}"
            )
        return status == StatutoryReturn.Status.READY

    def progress(self) -> str:
        stages = ", ".join(f"{status} from {at:.1f}s" for status, at in self.seen.items())
        return f"after {time.monotonic() - self.queued_at:.1f}s: {stages or 'not yet seen'}"


def _returns_queue(found: dict):
    from reporting.models import StatutoryReturn
    from reporting.returns.services import return_request

    year, officer = _returns_arguments()
    existed = StatutoryReturn.objects.filter(year=year).exists()

    def queue_one():
        # Its own transaction: build_statutory_return is sent when it commits.
        statutory_return = return_request(year=year, by=officer)
        _returns_note_if_new(year, existed)
        return _ReturnsRun(statutory_return)

    return queue_one


def _returns_in_process(found: dict):
    from reporting.models import StatutoryReturn
    from reporting.returns.services import return_build

    year, officer = _returns_arguments()
    existed = StatutoryReturn.objects.filter(year=year).exists()
    statutory_return, _ = StatutoryReturn.objects.get_or_create(
        year=year, defaults={"requested_by": officer}
    )
    _returns_note_if_new(year, existed)
    return lambda: return_build(statutory_return.pk)


def _returns_recorded(found: dict):
    from reporting.models import StatutoryReturn

    year, _officer = _returns_arguments()

    def recorded() -> dict:
        built = StatutoryReturn.objects.get(year=year)
        return {
            "year": built.label,
            "build_seconds": built.build_seconds,
            "validate_seconds": built.validate_seconds,
            "counts": built.counts,
            "errors": built.errors,
            "queries": built.queries,
            "previous_year_from": built.previous_year_from,
            "rules_failed": [failed["rule"] for failed in built.validation.get("failed", [])],
            "rules_skipped": len(built.validation.get("skipped", [])),
        }

    return recorded


def _seconds(values: list) -> str:
    return ", ".join(f"{value:.1f}" for value in values) + " s"


def _returns_lines(result: dict) -> list[str]:
    """What the return records of each measured run (its build and validation times), and what
    the last build held and what the validators found."""
    lines = []
    for where, runs in result["recorded"].items():
        if not runs:
            continue
        lines.append(
            f"{where.replace('_', ' ')}: built in {_seconds([r['build_seconds'] for r in runs])}"
            f", validated in {_seconds([r['validate_seconds'] for r in runs])}"
        )
    last = (result["recorded"]["in_process"] or result["recorded"]["through_worker"])[-1]
    cin, ssda903 = last["counts"].get("cin", {}), last["counts"].get("ssda903", {})
    lines.append(
        f"{last['year']}: CIN census {cin.get('children')} children ({cin.get('in_need_at_end')} "
        f"in need and {cin.get('cp_at_end')} on a CP plan at 31 March); SSDA903 "
        f"{ssda903.get('children')} children ({ssda903.get('looked_after_at_end')} looked after "
        f"at 31 March, {ssda903.get('episodes_rows')} episodes)"
    )
    lines.append(
        f"{last['errors']} errors and {last['queries']} queries; rules that raised: "
        f"{', '.join(last['rules_failed']) or 'none'}; {last['rules_skipped']} skipped; "
        f"last year's SSDA903: {last['previous_year_from']}"
    )
    return lines


def _returns_timeout() -> float:
    """The task's own hard time limit, and a minute more for the queue."""
    from django.conf import settings

    return settings.CELERY_TASK_TIME_LIMIT + 60


def _returns_cleanup() -> None:
    """Take the return the benchmark made (its zip and its findings) out again."""
    from reporting.models import StatutoryReturn

    for statutory_return in StatutoryReturn.objects.filter(pk__in=_returns_made):
        if statutory_return.files:
            statutory_return.files.delete(save=False)
        statutory_return.delete()
    _returns_made.clear()


# --- a month's retention review ------------------------------------------------------------


def _review_month():
    """Next month: the review the beat builds on its 1st, which lists every closed family and
    batch of rows past its date then (this month's, the demo's own, is left alone)."""
    from django.utils import timezone

    from dataprotection.review import month_of

    return month_of(month_of(timezone.localdate()) + datetime.timedelta(days=32))


def _review_delete(month) -> None:
    from dataprotection.models import RetentionReview

    RetentionReview.objects.filter(month=month).delete()  # its items go with it


def _review_queue(found: dict):
    from dataprotection.models import RetentionReview
    from dataprotection.tasks import build_retention_review

    month = _review_month()

    def queue_one():
        _review_delete(month)  # built afresh each run, not found already built
        build_retention_review.delay(month.isoformat())

        def finished() -> bool:
            # build_review is one transaction: the review is seen once all of it is there.
            return RetentionReview.objects.filter(month=month).exists()

        return finished

    return queue_one


def _review_in_process(found: dict):
    from dataprotection.review import build_review

    month = _review_month()

    def build():
        _review_delete(month)
        build_review(month)

    return build


def _review_recorded(found: dict):
    from dataprotection.models import ReviewItem

    month = _review_month()

    def recorded() -> dict:
        items = ReviewItem.objects.filter(review__month=month)
        return {
            "families": items.filter(family__isnull=False).count(),
            "batches": items.filter(family__isnull=True).count(),
        }

    return recorded


def _review_lines(result: dict) -> list[str]:
    last = (result["recorded"]["in_process"] or result["recorded"]["through_worker"])[-1]
    return [f"each review listed {last['families']} families and {last['batches']} batches"]


def _review_cleanup() -> None:
    _review_delete(_review_month())


TASKS = [
    BenchTask(
        "One Story PDF",
        "the One Story of the family with the longest chronology as a PDF, with its summary, "
        "plans and the 100 most recent entries (the most one PDF may hold), built by the "
        "build_story_pdf task in a Celery worker and saved to storage",
        queue=_story_pdf_queue,
        in_process=_story_pdf_in_process,
    ),
    BenchTask(
        "a letter PDF",
        "an invitation letter to the demo pod's next conference or review, to the family's "
        "first adult: letter_prepare records it and the render_letter task renders it with "
        "WeasyPrint (a tagged PDF) in a Celery worker and saves it to storage",
        queue=_letter_queue,
        in_process=_letter_in_process,
    ),
    BenchTask(
        "build every worker's digest",
        "home.digest.build_all_digests for today: every worker's daily digest built (overdue "
        "visits, meetings due, actions, calls waiting) and none sent. No task builds them "
        "without sending, so 'through the worker' is the same build in a thread of this "
        "process, polled as the tasks are",
        queue=_digests_queue,
        in_process=_digests_in_process,
        in_worker=False,
    ),
    BenchTask(
        "statutory returns",
        "the last ended collection year's CIN census and SSDA903 return, asked for by the demo "
        "performance officer (return_request) and built by the build_statutory_return task in "
        "a Celery worker: both returns and last year's SSDA903 built from the record, the "
        "DfE's validators run on them in their own virtualenv (a subprocess of the worker), "
        "the zip and every finding saved",
        queue=_returns_queue,
        in_process=_returns_in_process,
        runs=1,
        timeout=_returns_timeout,
        poll_every=0.25,
        recorded=_returns_recorded,
        lines=_returns_lines,
    ),
    BenchTask(
        "retention review",
        "next month's retention review, built afresh by the build_retention_review task (the "
        "monthly beat's) in a Celery worker: every closed family's retention date from its "
        "children's record categories and the rules, the holds on those past it, and the "
        "batches of logs, complaints and survey responses past theirs, saved as the review's "
        "items in one transaction",
        queue=_review_queue,
        in_process=_review_in_process,
        recorded=_review_recorded,
        lines=_review_lines,
    ),
]
CLEANUPS = [_story_pdf_cleanup, _letter_cleanup, _returns_cleanup, _review_cleanup]


# --- the worker ----------------------------------------------------------------------------


class Worker:
    """One Celery worker process (concurrency 1 by default) for the bench instance."""

    def __init__(self, concurrency: int = 1):
        self.concurrency = concurrency
        self.log_path = BASE_DIR / ".data" / INSTANCE / "celery-worker.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        from config.celery import app

        command = [sys.executable, "-m", "celery", "-A", "config", "worker"]
        command += ["--concurrency", str(self.concurrency), "--loglevel", "info"]
        command += ["--hostname", "bench@%h"]
        log = open(self.log_path, "w")  # noqa: SIM115 - the worker writes to it while it runs
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=subprocess_env(), stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = time.monotonic() + WORKER_STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise TaskError(f"the Celery worker exited at start-up:\n{self._log_tail()}")
            if app.control.ping(timeout=1.0):
                print(f"Celery worker (concurrency {self.concurrency}) is answering", flush=True)
                return
        raise TaskError(
            f"the Celery worker did not answer within {WORKER_STARTUP_TIMEOUT}s:\n"
            f"{self._log_tail()}"
        )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # a warm shutdown: the worker finishes what it holds
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def _log_tail(self) -> str:
        try:
            return self.log_path.read_text()[-3000:]
        except FileNotFoundError:
            return "(no log)"


# --- measuring -------------------------------------------------------------------------------


def _one_run(task: BenchTask, queue_one, timeout: float) -> float:
    """Queue one run and wait for it: milliseconds from queueing to finished."""
    started = time.perf_counter()
    finished = queue_one()
    deadline = time.monotonic() + timeout
    while not finished():
        if time.monotonic() > deadline:
            progress = getattr(finished, "progress", None)
            where = f" ({progress()})" if progress else ""
            raise TaskError(f"{task.name}: not finished after {timeout:.0f}s{where}")
        time.sleep(task.poll_every)
    return (time.perf_counter() - started) * 1000


def measure(task: BenchTask, found: dict, runs: int, summary, worker_pid: int | None) -> dict:
    """Run the task ``runs`` times through the worker (after a warm-up), one at a time, and
    as often in this process; ``summary`` turns a list of milliseconds into percentiles. The
    worker's memory (``worker_pid`` and its children) is read over the measured runs."""
    queue_one = task.queue(found)
    recorded = task.recorded(found) if task.recorded else None
    timeout = task.timeout()
    records: dict[str, list[dict]] = {"through_worker": [], "in_process": []}
    for _ in range(WARMUP_RUNS):
        _one_run(task, queue_one, timeout)
    watched = task.in_worker and worker_pid is not None
    waits = []
    with (
        memory.PeakMemory(worker_pid, every=MEMORY_EVERY) if watched else contextlib.nullcontext()
    ) as worker_memory:
        for _ in range(runs):
            waits.append(_one_run(task, queue_one, timeout))
            if recorded:
                records["through_worker"].append(recorded())
    work = task.in_process(found)
    alone = []
    for index in range(WARMUP_RUNS + runs):
        started = time.perf_counter()
        work()
        if index >= WARMUP_RUNS:
            alone.append((time.perf_counter() - started) * 1000)
            if recorded:
                records["in_process"].append(recorded())
    result = {
        "name": task.name,
        "describe": task.describe,
        "runs": runs,
        "warmup_runs": WARMUP_RUNS,
        "through_worker_ms": summary(waits),
        "in_process_ms": summary(alone),
        "samples": {
            "through_worker_ms": [round(value, 1) for value in waits],
            "in_process_ms": [round(value, 1) for value in alone],
        },
        # Peak resident memory in MiB of the Celery worker and its children over the measured
        # runs through it (None when the task does not run in the worker).
        "memory_worker": worker_memory.result() if watched else None,
    }
    if recorded:
        result["recorded"] = records
    return result


TABLE_HEADER = ("task", "n", "p50 ms", "p95 ms", "p50 ms in process")


def table_rows(results: list[dict]) -> list[tuple[str, ...]]:
    return [
        (
            result["name"],
            str(result["runs"]),
            f"{result['through_worker_ms']['p50']:.0f}",
            f"{result['through_worker_ms']['p95']:.0f}",
            f"{result['in_process_ms']['p50']:.0f}",
        )
        for result in results
    ]


def lines(results: list[dict]) -> list[str]:
    """Below the table: each task's worker memory, and what the task itself reports."""
    by_name = {task.name: task for task in TASKS}
    found = []
    for result in results:
        task = by_name[result["name"]]
        if result.get("memory_worker"):
            found.append(
                memory.summary_line(f"{task.name}: Celery worker", result["memory_worker"])
            )
        if task.lines:
            found.extend(f"{task.name}: {line}" for line in task.lines(result))
    return found


def run(tasks: list[BenchTask], found: dict, runs: int | None, summary) -> list[dict]:
    """Measure each task through one worker; ``runs`` (--task-runs) for every task, or None
    for each task's own number."""
    if not tasks:
        return []
    worker = Worker()
    results = []
    try:
        worker.start()
        for task in tasks:
            task_runs = runs or task.runs
            print(f"Measuring the task {task.name} ({task_runs} runs) ...", flush=True)
            results.append(measure(task, found, task_runs, summary, worker.process.pid))
    finally:
        worker.stop()
        for cleanup in CLEANUPS:
            cleanup()
    return results
