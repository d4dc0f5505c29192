"""`make bench`: build (or reuse) the large dataset, serve the app with gunicorn on loopback,
sign in, and time each page in bench/pages.py beside a bare Django view.

    PODS_INSTANCE=bench python -m bench.run [--scale 10] [--seed 2015] [--requests 200]
                                            [--rebuild] [--pages "my pod,all teams"]

Results are measured and reported, never asserted: a table on stdout and JSON in
bench/results/ (latest.json and one file per run).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import http.cookiejar
import json
import math
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from accounts.demo_secret import DEMO_SECRET, current_code
from bench import memory
from bench import reporting as bench_reporting
from bench import tasks as bench_tasks
from bench.dataset import INSTANCE, Dataset, ensure_dataset, subprocess_env
from bench.pages import PAGES, BenchPage
from bench.visibility import compare as compare_visibility

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
HOST = "127.0.0.1"
WORKERS = 2  # the machine has 2 cores
WARMUP_REQUESTS = 10
REQUEST_TIMEOUT = 60  # seconds, for any one request
STARTUP_TIMEOUT = 60  # seconds for Django under gunicorn to answer /healthz
DEFAULT_SEED = 2015


class BenchError(Exception):
    """Something that stops the run, with a message for the person running it."""


# --- the server ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving config.wsgi on loopback, with bench timing switched on: ``workers``
    processes, each with ``threads`` threads (gunicorn's gthread worker when above 1)."""

    def __init__(self, *, workers: int = WORKERS, threads: int = 1):
        self.workers = workers
        self.threads = threads
        self.port = _free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.log_path = BASE_DIR / ".data" / INSTANCE / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = subprocess_env()
        env.update(
            PODS_BENCH="1",
            DJANGO_DEBUG="false",
            PODS_HTTPS="false",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        )
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--timeout",
            "120",
            "--chdir",
            str(BASE_DIR),
        ]
        log = open(self.log_path, "w")  # noqa: SIM115 - gunicorn writes to it while it runs
        self.process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() can end its workers
        )
        log.close()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        health = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited at start-up; its log ends:\n{self._log_tail()}")
            health = _healthz(self.base_url)
            if health is not None and health[0] == 200:
                print(f"gunicorn ({self.describe()}) is serving on {self.base_url}", flush=True)
                return
            time.sleep(0.25)
        answer = "no answer" if health is None else f"last answer {health[0]}: {health[1][:200]}"
        raise BenchError(
            f"/healthz did not answer 200 within {STARTUP_TIMEOUT}s ({answer}); "
            f"gunicorn's log ends:\n{self._log_tail()}"
        )

    def describe(self) -> str:
        threads = f" of {self.threads} threads" if self.threads > 1 else ""
        return f"{self.workers} workers{threads}"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        group = self.process.pid  # start_new_session: the group's id is gunicorn's pid
        os.killpg(group, signal.SIGTERM)  # gunicorn's graceful stop
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            self.process.wait(timeout=10)

    def _log_tail(self) -> str:
        try:
            return self.log_path.read_text()[-3000:]
        except FileNotFoundError:
            return "(no log)"


def _healthz(base_url: str) -> tuple[int, str] | None:
    """/healthz's status and body once Django answers it; None while nothing answers."""
    try:
        with urllib.request.urlopen(f"{base_url}/healthz", timeout=5) as response:  # nosec B310  # always http://127.0.0.1, our gunicorn
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


# --- the client ------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A measured page must answer 200 itself: a redirect (to sign-in, say) is a failure."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Client:
    """One browser-like session: its own cookies, signed in as ``username`` or anonymous."""

    base_url: str
    username: str | None = None
    cookies: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def get(self, path: str):
        """GET ``path``: (status, headers, body, client milliseconds)."""
        started = time.perf_counter()
        try:
            with self.opener.open(self.base_url + path, timeout=REQUEST_TIMEOUT) as response:
                body = response.read()
                status, headers = response.status, response.headers
        except urllib.error.HTTPError as error:
            body = error.read()
            status, headers = error.code, error.headers
        return status, headers, body, (time.perf_counter() - started) * 1000

    def post(self, path: str, data: dict[str, str]):
        """POST the form ``data`` (with its CSRF token) to ``path``, as a browser submits it:
        (status, headers, body, client milliseconds). A redirect is answered, not followed."""
        request = urllib.request.Request(
            self.base_url + path,
            data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": self.base_url + path},
            method="POST",
        )
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                body = response.read()
                status, headers = response.status, response.headers
        except urllib.error.HTTPError as error:
            body = error.read()
            status, headers = error.code, error.headers
        return status, headers, body, (time.perf_counter() - started) * 1000

    def csrf_token(self, path: str) -> str:
        """The CSRF token of the form on the page at ``path`` (good for the whole session)."""
        status, _headers, body, _ms = self.get(path)
        if status != 200:
            raise BenchError(f"GET {path} as {self.username or 'anonymous'} answered {status}")
        return _csrf_token(body.decode(), path)

    def sign_in(self, password: str) -> None:
        """The password, then the second factor: the demo sign-ins' authenticator app holds
        the published demo secret (accounts.demo_secret), so the code is worked out here."""
        token = self.csrf_token("/sign-in/")
        status, _headers, _body, _ms = self.post(
            "/sign-in/",
            {"csrfmiddlewaretoken": token, "username": self.username, "password": password},
        )
        if status != 302:
            # Stop at the first failure: django-axes locks an account after 5 of them.
            raise BenchError(
                f"signing in as {self.username!r} answered {status}, not a redirect: "
                "is the dataset the demo authority, with its demo sign-ins?"
            )
        token = self.csrf_token("/account/second-factor/")
        status, _headers, _body, _ms = self.post(
            "/account/second-factor/",
            {"csrfmiddlewaretoken": token, "code": current_code(DEMO_SECRET)},
        )
        if status != 302:
            raise BenchError(
                f"the second factor of {self.username!r} answered {status}, not a redirect: "
                "are the demo sign-ins enrolled with the demo secret (pods.demo_sign_in)?"
            )


def _csrf_token(html: str, path: str) -> str:
    for tag in re.findall(r"<input[^>]*>", html):
        if 'name="csrfmiddlewaretoken"' in tag:
            value = re.search(r'value="([^"]+)"', tag)
            if value:
                return value.group(1)
    raise BenchError(f"the page at {path} has no csrfmiddlewaretoken input")


# --- measuring -------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value at least ``fraction`` of them reach."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


_SERVER_TIMING = re.compile(r"\bapp;dur=([0-9.]+)")


def measure(client: Client, page: BenchPage, requests: int) -> dict:
    """Time ``requests`` GETs of the page (or posts of its form) after the warm-up ones."""
    server_ms, client_ms, queries, sizes = [], [], [], []
    method, expected, form = "GET", 200, None
    if page.post_data is not None:
        method, expected = "POST", page.post_status
        token = client.csrf_token(page.form_path or page.path)
        form = {**page.post_data, "csrfmiddlewaretoken": token}
    for index in range(WARMUP_REQUESTS + requests):
        if form is None:
            status, headers, body, elapsed = client.get(page.path)
        else:
            status, headers, body, elapsed = client.post(page.path, form)
        if status != expected:
            raise BenchError(
                f"{page.name}: {method} {page.path} as {page.username or 'anonymous'} answered "
                f"{status}, not {expected} (request {index + 1}){_first_error(body)}"
            )
        timing = _SERVER_TIMING.search(headers.get("Server-Timing", ""))
        if timing is None or headers.get("X-Query-Count") is None:
            raise BenchError(
                f"{page.name}: no Server-Timing / X-Query-Count headers: is PODS_BENCH set?"
            )
        if index < WARMUP_REQUESTS:
            continue
        server_ms.append(float(timing.group(1)))
        client_ms.append(elapsed)
        queries.append(int(headers["X-Query-Count"]))
        sizes.append(len(body))
    return {
        "name": page.name,
        "method": method,
        "path": page.path,
        "username": page.username,
        "requests": requests,
        "warmup_requests": WARMUP_REQUESTS,
        "server_ms": summary(server_ms),
        "client_ms": summary(client_ms),
        "queries": {"min": min(queries), "max": max(queries)},
        "response_bytes": {"min": min(sizes), "max": max(sizes)},
        "samples": {
            "server_ms": [round(value, 2) for value in server_ms],
            "client_ms": [round(value, 2) for value in client_ms],
            "queries": queries,
        },
    }


def _first_error(body: bytes) -> str:
    """The first error message on a form page that was sent back, to say why it was."""
    found = re.search(r'class="govuk-error-message">(.*?)</p>', body.decode(errors="replace"), re.S)
    return f": {re.sub(r'<[^>]+>', '', found.group(1)).strip()}" if found else ""


def summary(values: list[float]) -> dict:
    return {
        "p50": round(percentile(values, 0.50), 2),
        "p95": round(percentile(values, 0.95), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
        "mean": round(statistics.fmean(values), 2),
    }


# --- reporting -------------------------------------------------------------------------------


def _table(results: list[dict]) -> str:
    header = ("page", "n", "p50 server ms", "p95 server ms", "p50 client ms", "queries")
    rows = []
    for result in results:
        low, high = result["queries"]["min"], result["queries"]["max"]
        rows.append(
            (
                result["name"],
                str(result["requests"]),
                f"{result['server_ms']['p50']:.1f}",
                f"{result['server_ms']['p95']:.1f}",
                f"{result['client_ms']['p50']:.1f}",
                str(low) if low == high else f"{low}–{high}",
            )
        )
    return format_table(header, rows)


def format_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Plain text columns: the first left-aligned, the numbers right-aligned."""
    rows = [header, *rows]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = []
    for number, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells))
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def machine() -> dict:
    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "gunicorn_workers": WORKERS,
    }


def git_commit() -> str | None:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() or None


def write_results(report: dict, prefix: str = "") -> None:
    """``<prefix>latest.json`` and ``<prefix><UTC time>.json`` in bench/results, and say so;
    a run on an instance other than ``bench`` puts the instance first (``mine-latest.json``),
    so that it leaves the shared dataset's results as they are."""
    if INSTANCE != "bench":
        prefix = f"{INSTANCE}-{prefix}"
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    stamp = report["started_at"].replace(":", "").replace("-", "")
    stamped = RESULTS_DIR / f"{prefix}{stamp}.json"
    latest = RESULTS_DIR / f"{prefix}latest.json"
    stamped.write_text(text)
    latest.write_text(text)
    print(f"\nResults: {latest.relative_to(BASE_DIR)} (and {stamped.relative_to(BASE_DIR)})")


# --- the command -----------------------------------------------------------------------------


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scale", type=float, default=10.0, help="dataset scale; 1 is the demo (default 10)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="dataset seed")
    parser.add_argument(
        "--requests", type=int, default=200, help="measured requests per page (default 200)"
    )
    parser.add_argument(
        "--task-runs",
        type=int,
        default=None,
        help=f"measured runs of every task (default: each task's own, {bench_tasks.DEFAULT_RUNS} "
        "for most and 1 for the statutory returns, which take tens of seconds)",
    )
    parser.add_argument("--rebuild", action="store_true", help="build the dataset afresh")
    parser.add_argument(
        "--pages",
        default="",
        help="comma- (or semicolon-) separated names of pages and tasks to measure (the bare "
        "view is always "
        "measured); default all: " + ", ".join(repr(name) for name in _names()),
    )
    arguments = parser.parse_args(argv)
    if arguments.scale <= 0:
        parser.error("--scale must be above 0")
    if arguments.requests < 1:
        parser.error("--requests must be at least 1")
    if arguments.task_runs is not None and arguments.task_runs < 1:
        parser.error("--task-runs must be at least 1")
    return arguments


REPORTING = "monthly reports"  # the reporting step (bench/reporting.py)


def _names() -> list[str]:
    return [page.name for page in PAGES] + [task.name for task in bench_tasks.TASKS] + [REPORTING]


def _selected(names: str) -> tuple[list[BenchPage], list[bench_tasks.BenchTask], bool]:
    """The pages, tasks and whether the reporting step, as --pages names them (all when it
    names none)."""
    # Separated by commas, or by semicolons when a name holds a comma ("chronology, 1,000
    # entries").
    separator = ";" if ";" in names else ","
    wanted = {name.strip().lower() for name in names.split(separator) if name.strip()}
    if not wanted:
        return list(PAGES), list(bench_tasks.TASKS), True
    unknown = wanted - {name.lower() for name in _names()}
    if unknown:
        raise BenchError(
            f"nothing named {', '.join(sorted(unknown))}; the pages and tasks are: "
            + ", ".join(_names())
        )
    return (
        [page for page in PAGES if page.baseline or page.name.lower() in wanted],
        [task for task in bench_tasks.TASKS if task.name.lower() in wanted],
        REPORTING in wanted,
    )


def check_environment() -> None:
    """The benchmark's instance (bench.dataset.INSTANCE) for Django in this process too, and
    none of a deployment's servers."""
    os.environ.setdefault("PODS_INSTANCE", INSTANCE)  # the same: INSTANCE is read from it
    for name in ("DATABASE_URL", "REDIS_URL"):
        if os.environ.get(name):
            raise BenchError(f"unset {name}: the benchmark uses its own embedded servers")


def demo_password() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from pods.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


def _fill_placeholders(pages: list[BenchPage], found: dict) -> list[BenchPage]:
    filled = []
    for page in pages:
        try:
            post_data = page.post_data and {
                name.format(**found): value.format(**found)
                for name, value in page.post_data.items()
            }
            form_path = page.form_path and page.form_path.format(**found)
            filled.append(
                dataclasses.replace(
                    page, path=page.path.format(**found), post_data=post_data, form_path=form_path
                )
            )
        except KeyError as missing:
            raise BenchError(f"{page.name}: the dataset has nothing for {missing}") from None
    return filled


def run(arguments: argparse.Namespace) -> dict:
    check_environment()
    pages, tasks, with_reporting = _selected(arguments.pages)
    started_at = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    dataset: Dataset = ensure_dataset(
        scale=arguments.scale, seed=arguments.seed, rebuild=arguments.rebuild
    )
    counts = ", ".join(f"{value} {name}" for name, value in dataset.counts.items())
    print(f"Dataset: {counts}", flush=True)
    password = demo_password()
    from bench.placeholders import values

    found = values()
    pages = _fill_placeholders(pages, found)
    reporting = None
    if with_reporting:
        try:
            reporting = bench_reporting.measure(summary)
        except bench_tasks.TaskError as error:
            raise BenchError(str(error)) from None

    server = Server()
    try:
        server.start()
        clients: dict[str | None, Client] = {}
        results = []
        # The workers' peak from the first page to the last (start-up not included).
        with memory.PeakMemory(server.process.pid) as gunicorn_memory:
            for page in pages:
                client = clients.get(page.username)
                if client is None:
                    client = Client(server.base_url, page.username)
                    if page.username is not None:
                        client.sign_in(password)  # once per user; the session is reused
                    clients[page.username] = client
                method = "POST" if page.post_data else "GET"
                print(f"Measuring {page.name} ({method} {page.path}) ...", flush=True)
                results.append(measure(client, page, arguments.requests))
    finally:
        server.stop()

    try:
        task_results = bench_tasks.run(tasks, found, arguments.task_runs, summary)
    except bench_tasks.TaskError as error:
        raise BenchError(str(error)) from None

    print("Timing visible_to against guardian's get_objects_for_user ...", flush=True)
    visibility = compare_visibility("social-worker")

    print()
    print(
        f"Scale {dataset.scale:g}, seed {dataset.seed} ({counts}); "
        f"{arguments.requests} requests per page after {WARMUP_REQUESTS} to warm up"
    )
    print(_table(results))
    memory_result = {"gunicorn": gunicorn_memory.result()}
    print(memory.summary_line(f"gunicorn workers ({server.describe()})", memory_result["gunicorn"]))
    if task_results:
        print(
            f"\nTasks through a Celery worker (queued to ready), n runs each after "
            f"{bench_tasks.WARMUP_RUNS} to warm up; and the same work in this process:"
        )
        print(format_table(bench_tasks.TABLE_HEADER, bench_tasks.table_rows(task_results)))
        for line in bench_tasks.lines(task_results):
            print(f"  {line}")
    if reporting:
        print("\nMonthly reports:")
        for line in bench_reporting.lines(reporting):
            print(f"  {line}")
    print(
        f"\nvisible_to for {visibility['username']} ({visibility['families_visible']} families): "
        f"p50 {visibility['visible_to_p50_ms']} ms; guardian get_objects_for_user "
        f"({visibility['families_guardian']} families): p50 "
        f"{visibility['get_objects_for_user_p50_ms']} ms; ratio {visibility['ratio']}"
    )
    report = {
        "started_at": started_at,
        "scale": dataset.scale,
        "seed": dataset.seed,
        "dataset": {
            "counts": dataset.counts,
            "built_on": dataset.built_on,
            "build_seconds": None
            if dataset.build_seconds is None
            else round(dataset.build_seconds, 1),
        },
        "git_commit": git_commit(),
        "machine": machine(),
        "pages": results,
        # Peak resident memory in MiB (bench/memory.py): the gunicorn workers over the pages.
        "memory": memory_result,
        "tasks": task_results,
        "reporting": reporting,
        "visible_to_vs_guardian": visibility,
    }
    write_results(report)
    return report


def run_command(run, arguments: argparse.Namespace, name: str) -> int:
    """``run(arguments)`` as a command: a BenchError is its one-line failure, exit 1."""
    try:
        run(arguments)
    except BenchError as error:
        print(f"{name}: {error}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_command(run, _arguments(argv), "bench")


if __name__ == "__main__":
    sys.exit(main())
