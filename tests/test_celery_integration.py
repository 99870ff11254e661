"""Celery end to end: a real worker process, the configured Redis broker and result backend, the test DB.

The worker runs the production settings (`laborbrand.settings`) pointed by DATABASE_URL at this session's test
database and by EMAIL_URL at a directory, consumes a queue of its own (so no other worker on the same Redis
takes the task), and is always stopped at teardown.
"""

from __future__ import annotations

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
from celery.schedules import crontab
from django.conf import settings
from django.db import connection
from kombu import Exchange, Queue

from laborbrand.celery import app
from tests import factories

WORKER_START_TIMEOUT = 60
TASK_TIMEOUT = 60


def _test_database_url() -> str:
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


@pytest.fixture
def celery_worker_process(broker, committed_db, tmp_path) -> Iterator[dict]:
    queue = f"test-{uuid.uuid4().hex}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "laborbrand.settings",
        "DATABASE_URL": _test_database_url(),
        # Four slashes: django-environ drops the first slash of the path, so "filemail:///tmp/x" means tmp/x.
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "CELERY_BROKER_URL": broker,
        "PYTHONUNBUFFERED": "1",
    }
    if settings.CELERY_RESULT_BACKEND:
        env["CELERY_RESULT_BACKEND"] = settings.CELERY_RESULT_BACKEND
    command = [
        sys.executable, "-m", "celery", "-A", "laborbrand", "worker",
        "--pool=solo", "--concurrency=1", "-Q", queue, "-n", f"{queue}@%h",
        "--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "info",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    worker = {"process": process, "queue": queue, "mail_dir": mail_dir, "log": log_path}
    try:
        _wait_until_ready(worker)
        yield worker
    finally:
        process.send_signal(signal.SIGTERM)  # warm shutdown
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        _delete_queue(queue)


def _worker_log(worker: dict) -> str:
    return worker["log"].read_text(errors="replace")


def _wait_until_ready(worker: dict) -> None:
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while time.monotonic() < deadline:
        if worker["process"].poll() is not None:
            pytest.fail(
                f"the Celery worker exited with {worker['process'].returncode}:\n{_worker_log(worker)}"
            )
        if " ready." in _worker_log(worker):
            return
        time.sleep(0.2)
    pytest.fail(f"the Celery worker was not ready within {WORKER_START_TIMEOUT}s:\n{_worker_log(worker)}")


def _delete_queue(queue: str) -> None:
    """Remove the throwaway queue and its binding from Redis (best effort)."""
    try:
        with app.connection_for_write() as conn:
            # Declared here first so this channel knows the binding it deletes.
            declared = Queue(queue, Exchange(queue), routing_key=queue, channel=conn.default_channel)
            declared.declare()
            declared.delete()
    except Exception:  # noqa: S110  (cleanup must not mask the test's outcome)
        pass


def test_worker_sends_notification_email(celery_worker_process, producer_not_eager):
    from laborbrand.accounts.tasks import send_notification_email

    recipient = factories.WorkerFactory(username="celery_worker_test", email="celery-test@example.com")
    notification = factories.NotificationFactory(recipient=recipient, title="培训报名成功")
    assert notification.emailed_at is None

    result = send_notification_email.apply_async((notification.pk,), queue=celery_worker_process["queue"])
    try:
        assert result.get(timeout=TASK_TIMEOUT) is True
    except Exception:
        print(_worker_log(celery_worker_process))
        raise
    finally:
        result.forget()

    notification.refresh_from_db()
    assert notification.emailed_at is not None
    messages = list(celery_worker_process["mail_dir"].iterdir())
    assert len(messages) == 1, _worker_log(celery_worker_process)
    text = messages[0].read_text(errors="replace")
    assert "To: celery-test@example.com" in text


def test_nightly_beat_schedule_names_registered_tasks():
    """Every beat entry names a task a worker knows after autodiscovery (checked in a fresh interpreter,
    so that a test having imported a tasks module by chance proves nothing)."""
    script = (
        "import json, django; django.setup()\n"
        "from laborbrand.celery import app\n"
        "app.loader.import_default_modules()\n"
        "print(json.dumps(sorted(app.tasks)))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    registered = set(json.loads(completed.stdout.strip().splitlines()[-1]))

    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule
    assert {entry["task"] for entry in schedule.values()} <= registered
    nightly = [
        e for e in schedule.values() if isinstance(e["schedule"], crontab) and max(e["schedule"].hour) < 6
    ]
    assert nightly, "no entry runs at night (before 06:00)"
