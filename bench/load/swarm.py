"""The load generator: locust as a library, in a process of its own, so that its gevent
patching of the standard library stays out of the command's process (which runs Django).

    python -m bench.load.swarm PLAN.json RESULT.json

For each level of users in turn (25, 50, 100 by default) it adds users at the spawn rate
(each signs in as it starts), waits for their sign-ins (for the plan's ``sign_in_waits`` at
the most: then it measures anyway, and says how many had signed in), then measures for the
plan's seconds; users stay on from one level to the next, as staff arriving through a
morning.
Every request is recorded by step with its round trip and the app's own time (the
Server-Timing header that PODS_BENCH adds); whatever is not the expected answer is an error.
Requests while users are being added are recorded apart (``ramp``) and only the sign-ins are
reported from them.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import gevent
from locust import between
from locust.env import Environment

from bench.load import journeys

SERVER_TIMING = re.compile(r"\bapp;dur=([0-9.]+)")
ERRORS_KEPT = 20  # error messages kept per level, to say what went wrong


class Recorder:
    """Every request of the current level, by step and phase (``ramp`` or ``measured``)."""

    def __init__(self):
        self.level: dict = {}
        self.phase = "ramp"

    def start_level(self, users: int) -> None:
        self.level = {"users": users, "ramp": {}, "measured": {}, "error_messages": []}
        self.phase = "ramp"

    def on_request(self, name, response_time, response, exception, **_kwargs) -> None:
        step = self.level[self.phase].setdefault(
            name, {"client_ms": [], "server_ms": [], "errors": 0}
        )
        if exception is not None:
            step["errors"] += 1
            if len(self.level["error_messages"]) < ERRORS_KEPT:
                self.level["error_messages"].append(f"{name}: {exception}")
            return
        step["client_ms"].append(round(response_time, 2))
        timing = SERVER_TIMING.search(response.headers.get("Server-Timing") or "")
        if timing is not None:
            step["server_ms"].append(float(timing.group(1)))


def run(plan: dict) -> dict:
    journeys.PLAN.update(plan)
    for user_class in journeys.USER_CLASSES:
        user_class.wait_time = between(*plan["think_seconds"])
    environment = Environment(user_classes=journeys.USER_CLASSES, host=plan["base_url"])
    recorder = Recorder()
    environment.events.request.add_listener(recorder.on_request)
    runner = environment.create_local_runner()
    levels = []
    for users, sign_in_wait in zip(plan["levels"], plan["sign_in_waits"], strict=True):
        recorder.start_level(users)
        added = users - runner.user_count
        print(f"  {users} users: adding {added} at {plan['spawn_rate']:g}/s ...", flush=True)
        started = time.monotonic()
        runner.start(users, spawn_rate=plan["spawn_rate"])
        while journeys.sign_ins["done"] < users and time.monotonic() < started + sign_in_wait:
            gevent.sleep(0.2)
        recorder.phase = "measured"
        measuring = time.monotonic()
        signed_in = journeys.sign_ins["done"] - journeys.sign_ins["failed"]
        print(
            f"  {users} users: {signed_in} signed in after {measuring - started:.0f}s; "
            f"measuring for {plan['seconds']}s ...",
            flush=True,
        )
        gevent.sleep(plan["seconds"])
        levels.append(
            recorder.level
            | {
                "ramp_s": round(measuring - started, 1),
                "measured_s": round(time.monotonic() - measuring, 1),
                "signed_in_when_measured": signed_in,
                "sign_ins": dict(journeys.sign_ins),
            }
        )
    runner.quit()
    return {"levels": levels}


def main(argv: list[str]) -> int:
    plan_path, result_path = (Path(arg) for arg in argv)
    result = run(json.loads(plan_path.read_text()))
    result_path.write_text(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
