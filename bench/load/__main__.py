"""`make load`: simulated staff on the bench dataset, through gunicorn on loopback.

    PODS_INSTANCE=bench python -m bench.load [--scale 10] [--seed 2015] [--users 25,50,100]
        [--seconds 50] [--spawn-rate 1.5] [--think 2,10] [--workers 2] [--threads 4]

Reuses (or builds) the dataset of `make bench` (bench/dataset.py), chooses and readies real
workers to sign in as (bench/load/staff.py), serves the app as bench/run.py does, and runs
the levels of users in a locust process of its own (bench/load/swarm.py, the journeys in
bench/load/journeys.py). Measured and reported, never asserted: a table per level on stdout
and JSON in bench/results/load-latest.json (and one file per run).
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import math
import subprocess
import sys

from bench import memory
from bench.dataset import INSTANCE, ensure_dataset, subprocess_env
from bench.load import staff as load_staff
from bench.run import (
    BASE_DIR,
    DEFAULT_SEED,
    BenchError,
    Server,
    check_environment,
    demo_password,
    format_table,
    git_commit,
    machine,
    percentile,
    run_command,
    summary,
    write_results,
)

AIM_P95_MS = 300  # the aim at the most users: no errors, and p95 within this (reported only)
# gunicorn for 2 cores: one process per core (Python runs one thread at a time in each, so
# more processes than cores would add memory, not throughput, with PostgreSQL and the load
# generator on the same cores), and threads in each so that a request waiting on PostgreSQL
# or on the network does not hold the process: 8 requests in flight rather than 2.
WORKERS = 2
THREADS = 4
SWARM_GRACE_SECONDS = 120  # beyond the longest it may take, before the load generator is stopped
# Signing a level's users in may take this many times as long as planned, plus the seconds,
# before the level is measured anyway: each password check is most of a second of CPU, so on
# a busy machine the sign-ins fall behind the spawn rate.
SIGN_IN_WAIT_FACTOR = 1.5
SIGN_IN_WAIT_EXTRA_SECONDS = 10
PLAN_PATH = BASE_DIR / ".data" / INSTANCE / "load-plan.json"
SWARM_RESULT_PATH = BASE_DIR / ".data" / INSTANCE / "load-swarm.json"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--scale", type=float, default=10.0, help="dataset scale (default 10)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="dataset seed")
    parser.add_argument(
        "--users", default="25,50,100", help="the levels of users, in turn (default 25,50,100)"
    )
    parser.add_argument(
        "--seconds",
        type=int,
        default=50,
        help="measured seconds per level, once its users have signed in (default 50)",
    )
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=1.5,
        help="users added (and signed in) per second (default 1.5)",
    )
    parser.add_argument(
        "--think",
        default="2,10",
        help="seconds a user pauses between pages, at least and at most (default 2,10)",
    )
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=THREADS, help="threads per worker")
    arguments = parser.parse_args(argv)
    try:
        arguments.levels = [int(users) for users in arguments.users.split(",")]
        arguments.think_seconds = [float(seconds) for seconds in arguments.think.split(",")]
    except ValueError:
        parser.error("--users and --think take numbers separated by commas")
    if arguments.levels != sorted(arguments.levels) or arguments.levels[0] < 1:
        parser.error("--users must go up, from at least 1")
    if (
        len(arguments.think_seconds) != 2
        or not 0 <= arguments.think_seconds[0] <= (arguments.think_seconds[1])
    ):
        parser.error("--think takes the least and the most seconds, like 2,10")
    if arguments.seconds < 1 or arguments.spawn_rate <= 0:
        parser.error("--seconds and --spawn-rate must be above 0")
    return arguments


def _sign_in_seconds(arguments: argparse.Namespace) -> list[float]:
    """For each level, the seconds planned for adding its users at the spawn rate."""
    added = [arguments.levels[0]] + [b - a for a, b in itertools.pairwise(arguments.levels)]
    return [count / arguments.spawn_rate for count in added]


def _sign_in_waits(arguments: argparse.Namespace) -> list[float]:
    """For each level, the longest its sign-ins are waited for before it is measured."""
    return [
        SIGN_IN_WAIT_FACTOR * seconds + SIGN_IN_WAIT_EXTRA_SECONDS
        for seconds in _sign_in_seconds(arguments)
    ]


def _wanted(users: int) -> dict[str, int]:
    """Workers to choose for each journey: one for each simulated user at the most users."""
    total = sum(load_staff.JOURNEY_WEIGHTS.values())
    return {
        journey: math.ceil(users * weight / total)
        for journey, weight in load_staff.JOURNEY_WEIGHTS.items()
    }


def _swarm(plan: dict, timeout: float) -> dict:
    PLAN_PATH.write_text(json.dumps(plan) + "\n")
    SWARM_RESULT_PATH.unlink(missing_ok=True)
    command = [sys.executable, "-m", "bench.load.swarm", str(PLAN_PATH), str(SWARM_RESULT_PATH)]
    try:
        finished = subprocess.run(command, cwd=BASE_DIR, env=subprocess_env(), timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BenchError(f"the load generator did not finish within {timeout:.0f}s") from None
    if finished.returncode != 0:
        raise BenchError(f"the load generator failed (exit {finished.returncode})")
    return json.loads(SWARM_RESULT_PATH.read_text())


# --- reporting -------------------------------------------------------------------------------


def _step(name: str, recorded: dict) -> dict:
    client, server = recorded["client_ms"], recorded["server_ms"]
    return {
        "name": name,
        "requests": len(client) + recorded["errors"],
        "errors": recorded["errors"],
        "client_ms": summary(client) if client else None,
        "server_ms": summary(server) if server else None,
    }


SIGN_IN = "sign in"  # the steps named so (bench/load/journeys.py) are reported apart


def _merged(recorded: dict, name: str) -> dict:
    """A sign-in step over the whole level: while users were added, and any after."""
    phases = [recorded[phase][name] for phase in ("ramp", "measured") if name in recorded[phase]]
    return {
        "client_ms": [ms for phase in phases for ms in phase["client_ms"]],
        "server_ms": [ms for phase in phases for ms in phase["server_ms"]],
        "errors": sum(phase["errors"] for phase in phases),
    }


def _level(recorded: dict) -> dict:
    """A level's figures: each step of the journeys while measured (their throughput and
    percentiles), and the sign-ins apart, over the whole level. Errors are counted over the
    whole level, whatever the step."""
    measured = {
        name: step for name, step in recorded["measured"].items() if not name.startswith(SIGN_IN)
    }
    steps = [_step(name, step) for name, step in sorted(measured.items())]
    sign_in_names = {
        name
        for phase in ("ramp", "measured")
        for name in recorded[phase]
        if name.startswith(SIGN_IN)
    }
    sign_ins = [_step(name, _merged(recorded, name)) for name in sorted(sign_in_names)]
    every_time = [ms for step in measured.values() for ms in step["client_ms"]]
    requests = sum(step["requests"] for step in steps)
    errors = sum(
        step["errors"] for phase in ("ramp", "measured") for step in recorded[phase].values()
    )
    return {
        "users": recorded["users"],
        "ramp_s": recorded["ramp_s"],
        "measured_s": recorded["measured_s"],
        "requests": requests,
        "requests_per_s": round(requests / recorded["measured_s"], 2),
        "errors": errors,
        "p50_ms": round(percentile(every_time, 0.50), 1) if every_time else None,
        "p95_ms": round(percentile(every_time, 0.95), 1) if every_time else None,
        "steps": steps,
        "sign_ins": sign_ins,
        "signed_in_when_measured": recorded["signed_in_when_measured"],
        "signed_in": recorded["sign_ins"]["done"] - recorded["sign_ins"]["failed"],
        "error_messages": recorded["error_messages"],
    }


def _ms(figures: dict | None, key: str) -> str:
    return "–" if figures is None else f"{figures[key]:.0f}"


def _table(level: dict) -> str:
    header = ("step", "n", "errors", "p50 ms", "p95 ms", "p50 server ms", "p95 server ms")
    rows = [
        (
            step["name"],
            str(step["requests"]),
            str(step["errors"]),
            _ms(step["client_ms"], "p50"),
            _ms(step["client_ms"], "p95"),
            _ms(step["server_ms"], "p50"),
            _ms(step["server_ms"], "p95"),
        )
        for step in level["steps"] + level["sign_ins"]
    ]
    return format_table(header, rows)


def _aim(level: dict) -> str:
    slow = [
        f"{step['name']} {step['client_ms']['p95']:.0f} ms"
        for step in level["steps"]
        if step["client_ms"] and step["client_ms"]["p95"] > AIM_P95_MS
    ]
    met = level["errors"] == 0 and not slow and (level["p95_ms"] or 0) <= AIM_P95_MS
    return (
        f"Aim at {level['users']} users, no errors and p95 within {AIM_P95_MS} ms: "
        f"{'met' if met else 'not met'} ({level['errors']} errors; p95 of every page "
        f"{level['p95_ms']} ms; steps with p95 over {AIM_P95_MS} ms: {', '.join(slow) or 'none'})"
    )


def run(arguments: argparse.Namespace) -> dict:
    check_environment()
    started_at = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    dataset = ensure_dataset(scale=arguments.scale, seed=arguments.seed)
    counts = ", ".join(f"{value} {name}" for name, value in dataset.counts.items())
    print(f"Dataset: {counts}", flush=True)
    password = demo_password()  # sets Django up
    wanted = _wanted(arguments.levels[-1])
    plan = load_staff.prepare(wanted=wanted, password=password)
    chosen = ", ".join(
        f"{len(plan['staff'][journey])} {journey}s (of {count} wanted)"
        for journey, count in wanted.items()
    )
    set_up = ", ".join(f"{name}: {count}" for name, count in plan["set_up"].items())
    print(f"Signing in as {chosen}; {set_up}", flush=True)

    server = Server(workers=arguments.workers, threads=arguments.threads)
    measured = arguments.seconds * len(arguments.levels)
    planned = sum(_sign_in_seconds(arguments)) + measured
    longest = sum(_sign_in_waits(arguments)) + measured
    print(
        f"About {planned / 60:.1f} minutes of load (up to {longest / 60:.1f} if the sign-ins "
        f"are slow), levels {arguments.users} ...",
        flush=True,
    )
    try:
        server.start()
        with memory.PeakMemory(server.process.pid) as gunicorn_memory:
            swarm = _swarm(
                {
                    **plan,
                    "password": password,
                    "base_url": server.base_url,
                    "levels": arguments.levels,
                    "seconds": arguments.seconds,
                    "sign_in_waits": _sign_in_waits(arguments),
                    "spawn_rate": arguments.spawn_rate,
                    "think_seconds": arguments.think_seconds,
                },
                longest + SWARM_GRACE_SECONDS,
            )
    finally:
        server.stop()

    levels = [_level(level) for level in swarm["levels"]]
    think = f"{arguments.think_seconds[0]:g}–{arguments.think_seconds[1]:g}"
    print(
        f"\nScale {dataset.scale:g}, seed {dataset.seed}; gunicorn {server.describe()}; "
        f"users pause {think} s between pages"
    )
    for level in levels:
        print(
            f"\n{level['users']} users ({level['signed_in_when_measured']} signed in after "
            f"{level['ramp_s']:.0f} s, then {level['measured_s']:.0f} s measured): "
            f"{level['requests_per_s']:.1f} requests/s, {level['errors']} errors, "
            f"pages p50 {level['p50_ms']} ms, p95 {level['p95_ms']} ms"
        )
        print(_table(level))
        for message in level["error_messages"][:5]:
            print(f"  error: {message}")
    memory_result = {"gunicorn": gunicorn_memory.result()}
    print()
    print(memory.summary_line(f"gunicorn workers ({server.describe()})", memory_result["gunicorn"]))
    print(_aim(levels[-1]))
    report = {
        "started_at": started_at,
        "scale": dataset.scale,
        "seed": dataset.seed,
        "dataset": {"counts": dataset.counts, "built_on": dataset.built_on},
        "git_commit": git_commit(),
        "machine": machine()
        | {"gunicorn_workers": server.workers, "gunicorn_threads": server.threads},
        "settings": {
            "levels": arguments.levels,
            "seconds_per_level": arguments.seconds,
            "spawn_rate_per_s": arguments.spawn_rate,
            "think_s": arguments.think_seconds,
            "journey_weights": load_staff.JOURNEY_WEIGHTS,
        },
        "staff": {journey: len(group) for journey, group in plan["staff"].items()},
        "set_up": plan["set_up"],
        "levels": levels,
        "memory": memory_result,
        "aim": {"p95_ms": AIM_P95_MS, "errors": 0, "users": levels[-1]["users"]},
    }
    write_results(report, prefix="load-")
    return report


def main(argv: list[str] | None = None) -> int:
    return run_command(run, _arguments(argv), "load")


if __name__ == "__main__":
    sys.exit(main())
