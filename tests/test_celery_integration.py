"""Celery end to end: a real worker process (tests/celery_worker.py), the configured Redis broker and result
backend, the test DB; and the beat schedule naming tasks a worker knows."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from celery.schedules import crontab
from django.conf import settings

from tests import factories
from tests.celery_worker import (  # noqa: F401  (fixtures)
    broker,
    celery_worker_process,
    producer_not_eager,
    worker_log,
)

TASK_TIMEOUT = 60


def test_worker_sends_notification_email(celery_worker_process, producer_not_eager):  # noqa: F811
    from laborbrand.accounts.tasks import send_notification_email

    recipient = factories.WorkerFactory(username="celery_worker_test", email="celery-test@example.com")
    notification = factories.NotificationFactory(recipient=recipient, title="培训报名成功")
    assert notification.emailed_at is None

    # The task keeps no result; this call asks for one, to wait on it.
    result = send_notification_email.apply_async(
        (notification.pk,), queue=celery_worker_process["queue"], ignore_result=False
    )
    try:
        assert result.get(timeout=TASK_TIMEOUT) is True
    except Exception:
        print(worker_log(celery_worker_process))
        raise
    finally:
        result.forget()

    notification.refresh_from_db()
    assert notification.emailed_at is not None
    messages = list(celery_worker_process["mail_dir"].iterdir())
    assert len(messages) == 1, worker_log(celery_worker_process)
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
