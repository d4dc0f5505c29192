"""The benchmark dataset: whatever ``manage.py seed_demo`` builds at the requested scale.

It lives in the ``bench`` instance's own embedded PostgreSQL (``.data/bench``) and is built
once, then reused while ``.data/bench/dataset.json`` says it was built with the same scale and
seed from the same migrations and demo builders (so a later issue that extends seed_demo or
adds a migration gets a fresh dataset without asking). ``--rebuild`` forces a build.

The instance is ``PODS_INSTANCE`` (``bench`` by default), so an engineer can try the harness
on a small dataset of their own (``PODS_INSTANCE=mine python -m bench.run --scale 1``) while
the shared ``bench`` dataset stays as it is. ``dev`` and ``test`` are refused: the harness
drops and rebuilds the instance's database.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg2
from psycopg2 import sql

from config import embedded

INSTANCE = os.environ.get("PODS_INSTANCE") or "bench"
# make run's and make test's: never dropped and rebuilt by the benchmark.
REFUSED_INSTANCES = ("dev", "test")
BASE_DIR = embedded.BASE_DIR
MARKER = embedded.instance_dir(INSTANCE) / "dataset.json"
# Tables counted for the results; a later issue may add its own (e.g. families).
COUNTED_TABLES = {
    "teams": "pods_team",
    "workers": "pods_worker",
    "families": "families_family",
    "people": "families_person",
    "child statuses": "families_childstatus",
    "entries": "onestory_entry",
}


@dataclass(frozen=True)
class Dataset:
    scale: float
    seed: int
    built_on: str
    build_seconds: float | None  # None when an existing dataset was reused
    counts: dict[str, int]


def ensure_dataset(*, scale: float, seed: int, rebuild: bool = False) -> Dataset:
    """Make sure the instance's database holds the dataset for ``scale`` and ``seed``."""
    if INSTANCE in REFUSED_INSTANCES:
        raise SystemExit(
            f"bench: PODS_INSTANCE={INSTANCE} is make run's or make test's, and the benchmark "
            "may drop and rebuild its database: give it an instance of its own (bench by default)"
        )
    postgres = embedded.ensure_postgres(INSTANCE)
    wanted = {"scale": scale, "seed": seed, "fingerprint": source_fingerprint()}
    marker = _read_marker()
    reason = _rebuild_reason(marker, wanted, rebuild, postgres)
    if reason is None:
        print(
            f"Reusing the {INSTANCE} dataset (scale {scale:g}, seed {seed}, "
            f"built on {marker['built_on']}); --rebuild builds it afresh.",
            flush=True,
        )
        build_seconds = None
        built_on = marker["built_on"]
    else:
        print(
            f"Building the {INSTANCE} dataset (scale {scale:g}, seed {seed}): {reason}.", flush=True
        )
        MARKER.unlink(missing_ok=True)
        started = time.monotonic()
        _recreate_database(postgres)
        _manage("migrate", "--no-input", "-v", "0")
        _manage("seed_demo", "--scale", f"{scale:g}", "--seed", str(seed))
        _flush_cache()
        build_seconds = time.monotonic() - started
        built_on = datetime.date.today().isoformat()  # noqa: DTZ011 - the machine's day
        MARKER.write_text(
            json.dumps({**wanted, "built_on": built_on, "build_seconds": round(build_seconds, 1)})
            + "\n"
        )
        print(f"Built the {INSTANCE} dataset in {build_seconds:.1f}s.", flush=True)
    _analyze(postgres)
    return Dataset(scale, seed, built_on, build_seconds, row_counts(postgres))


def _analyze(postgres: embedded.EmbeddedPostgres) -> None:
    """Planner statistics for every table, as autovacuum keeps them on a live database: just
    after a bulk load they are missing, and the first queries plan for empty tables."""
    print(f"Analysing the {INSTANCE} database ...", flush=True)
    connection = _connect(postgres, postgres.name)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    finally:
        connection.close()


def source_fingerprint() -> str:
    """A hash of what decides the dataset's shape: the migrations and the demo builders."""
    files = sorted(
        {
            *BASE_DIR.glob("*/migrations/*.py"),
            *BASE_DIR.glob("*/demo.py"),
            *BASE_DIR.glob("*/demo/**/*.py"),
            *BASE_DIR.glob("*/management/commands/seed_demo.py"),
        }
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def row_counts(postgres: embedded.EmbeddedPostgres) -> dict[str, int]:
    counts = {}
    with _connect(postgres, postgres.name) as connection, connection.cursor() as cursor:
        for name, table in COUNTED_TABLES.items():
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[name] = cursor.fetchone()[0]
    return counts


def _read_marker() -> dict | None:
    try:
        return json.loads(MARKER.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _rebuild_reason(marker, wanted, rebuild, postgres) -> str | None:
    if rebuild:
        return "--rebuild was given"
    if marker is None:
        return "no dataset has been built yet"
    if marker.get("scale") != wanted["scale"] or marker.get("seed") != wanted["seed"]:
        return f"the existing one has scale {marker.get('scale'):g}, seed {marker.get('seed')}"
    if marker.get("fingerprint") != wanted["fingerprint"]:
        return "the migrations or demo builders changed since it was built"
    if _team_count(postgres) == 0:
        return "the database has no teams"
    return None


def _team_count(postgres: embedded.EmbeddedPostgres) -> int:
    try:
        return row_counts(postgres)["teams"]
    except psycopg2.Error:  # no such database or table yet
        return 0


def _connect(postgres: embedded.EmbeddedPostgres, dbname: str):
    return psycopg2.connect(host=str(postgres.socket_dir), user=postgres.user, dbname=dbname)


def _recreate_database(postgres: embedded.EmbeddedPostgres) -> None:
    connection = _connect(postgres, "postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            database = sql.Identifier(postgres.name)
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(database))
    finally:
        connection.close()


def _flush_cache() -> None:
    """Empty the instance's Redis, so nothing cached from an earlier dataset survives it."""
    import redis

    client = redis.Redis(unix_socket_path=str(embedded.ensure_redis(INSTANCE)))
    try:
        client.flushall()
    finally:
        client.close()


def subprocess_env() -> dict[str, str]:
    """The environment of every process the harness starts: always the benchmark's instance."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
    }
    env["PODS_INSTANCE"] = INSTANCE
    return env


def _manage(*args: str) -> None:
    command = [sys.executable, str(Path(BASE_DIR) / "manage.py"), *args]
    result = subprocess.run(command, cwd=BASE_DIR, env=subprocess_env())
    if result.returncode != 0:
        raise SystemExit(f"bench: `manage.py {' '.join(args)}` failed (exit {result.returncode})")
