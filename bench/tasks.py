"""The background tasks ``make bench`` measures, each through a real Celery worker against
the bench instance's PostgreSQL and Redis, as a person waiting for the result sees it: from
the moment the request is committed to the moment the result is ready. A later issue adds its
tasks to TASKS.

Each task also says how long the work itself takes in this process (no queue, no worker), so
that the queue's share of the wait is visible."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.dataset import INSTANCE, subprocess_env

BASE_DIR = Path(__file__).resolve().parent.parent
WORKER_STARTUP_TIMEOUT = 60  # seconds for the worker to answer a ping
TASK_TIMEOUT = 300  # seconds for one task to finish
WARMUP_RUNS = 1


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
    ),
]
CLEANUPS = [_story_pdf_cleanup, _letter_cleanup]


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


def measure(task: BenchTask, found: dict, runs: int, summary) -> dict:
    """Run the task ``runs`` times through the worker (after a warm-up), one at a time, and
    as often in this process; ``summary`` turns a list of milliseconds into percentiles."""
    queue_one = task.queue(found)
    waits = []
    for index in range(WARMUP_RUNS + runs):
        started = time.perf_counter()
        finished = queue_one()
        deadline = time.monotonic() + TASK_TIMEOUT
        while not finished():
            if time.monotonic() > deadline:
                raise TaskError(f"{task.name}: not finished after {TASK_TIMEOUT}s")
            time.sleep(0.01)
        if index >= WARMUP_RUNS:
            waits.append((time.perf_counter() - started) * 1000)
    work = task.in_process(found)
    alone = []
    for index in range(WARMUP_RUNS + runs):
        started = time.perf_counter()
        work()
        if index >= WARMUP_RUNS:
            alone.append((time.perf_counter() - started) * 1000)
    return {
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
    }


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


def run(tasks: list[BenchTask], found: dict, runs: int, summary) -> list[dict]:
    if not tasks:
        return []
    worker = Worker()
    results = []
    try:
        worker.start()
        for task in tasks:
            print(f"Measuring the task {task.name} ({runs} runs) ...", flush=True)
            results.append(measure(task, found, runs, summary))
    finally:
        worker.stop()
        for cleanup in CLEANUPS:
            cleanup()
    return results
