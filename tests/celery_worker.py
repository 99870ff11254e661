"""A real Celery worker process for the integration tests (tests/test_celery_integration.py,
tests/test_match_celery.py), against the configured Redis broker and result backend and this session's test
database.

The worker runs the production settings (`laborbrand.settings`) pointed by DATABASE_URL at the test database
and by EMAIL_URL at a directory, consumes a queue of its own (so no other worker on the same Redis takes its
tasks), runs in a session of its own (so a test can kill it with its pool children at once), and is always
stopped at teardown. Import the fixtures into a test module to use them.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from kombu import Exchange, Queue

from laborbrand.celery import app

WORKER_START_TIMEOUT = 60


def session_database_url() -> str:
    """A DATABASE_URL (django-environ syntax) naming the database this test session uses."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if db["ENGINE"].endswith("postgresql"):
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "localhost"
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"
    pytest.skip(f"no DATABASE_URL form for {db['ENGINE']}")


def process_env(broker: str, **extra: str) -> dict[str, str]:
    """The environment of a process (worker or manage.py) using the production settings on the test DB."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "laborbrand.settings",
        "DATABASE_URL": session_database_url(),
        "CELERY_BROKER_URL": broker,
        "PYTHONUNBUFFERED": "1",
    }
    if settings.CELERY_RESULT_BACKEND:
        env["CELERY_RESULT_BACKEND"] = settings.CELERY_RESULT_BACKEND
    return env | extra


@pytest.fixture
def broker() -> str:
    if settings.CELERY_BROKER_URL == "memory://":
        pytest.skip("no Celery broker configured (set REDIS_URL)")
    return settings.CELERY_BROKER_URL


@pytest.fixture
def producer_not_eager() -> Iterator[None]:
    """Send tasks to the broker from this process although the test settings run them eagerly."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


def new_queue() -> str:
    return f"test-{uuid.uuid4().hex}"


def start_worker(
    broker: str, tmp_path: Path, *, queue: str, pool: str = "solo", concurrency: int = 1, **env: str
) -> dict:
    """Start a worker consuming `queue` and wait until it is ready. `env` adds environment variables."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir(exist_ok=True)
    log_path = tmp_path / f"worker-{uuid.uuid4().hex[:8]}.log"
    # Four slashes: django-environ drops the first slash of the path, so "filemail:///tmp/x" means tmp/x.
    env = process_env(broker, EMAIL_URL=f"filemail:///{mail_dir}", **env)
    command = [
        sys.executable, "-m", "celery", "-A", "laborbrand", "worker",
        f"--pool={pool}", f"--concurrency={concurrency}", "-Q", queue, "-n", f"{uuid.uuid4().hex}@%h",
        "--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "info",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = {"process": process, "queue": queue, "mail_dir": mail_dir, "log": log_path}
    try:
        wait_until_ready(worker)
    except BaseException:
        stop_worker(worker)
        raise
    return worker


def stop_worker(worker: dict) -> None:
    """Warm shutdown (finish the task in hand), killing the worker if it does not stop in time."""
    process = worker["process"]
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        kill_worker(worker)


def kill_worker(worker: dict) -> None:
    """SIGKILL the worker and its pool children (its whole process group), as a machine dying would."""
    process = worker["process"]
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def worker_log(worker: dict) -> str:
    return worker["log"].read_text(errors="replace")


def wait_until_ready(worker: dict) -> None:
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while time.monotonic() < deadline:
        if worker["process"].poll() is not None:
            pytest.fail(
                f"the Celery worker exited with {worker['process'].returncode}:\n{worker_log(worker)}"
            )
        if " ready." in worker_log(worker):
            return
        time.sleep(0.2)
    pytest.fail(f"the Celery worker was not ready within {WORKER_START_TIMEOUT}s:\n{worker_log(worker)}")


def delete_queue(queue: str) -> None:
    """Remove the throwaway queue, its binding and any message a killed worker left unacknowledged from
    Redis (best effort)."""
    try:
        with app.connection_for_write() as conn:
            # Declared here first so this channel knows the binding it deletes.
            declared = Queue(queue, Exchange(queue), routing_key=queue, channel=conn.default_channel)
            declared.declare()
            declared.delete()
            client = conn.default_channel.client
            for tag, payload in client.hgetall("unacked").items():
                if json.loads(payload)[2] == queue:  # [message, exchange, routing key]
                    client.hdel("unacked", tag)
                    client.zrem("unacked_index", tag)
    except Exception:  # noqa: S110  (cleanup must not mask the test's outcome)
        pass


@pytest.fixture
def celery_worker_process(broker, committed_db, tmp_path) -> Iterator[dict]:
    """A solo worker on a queue of its own; committed rows, so the worker sees what the test made."""
    queue = new_queue()
    worker = start_worker(broker, tmp_path, queue=queue)
    try:
        yield worker
    finally:
        stop_worker(worker)
        delete_queue(queue)
