"""The send task in a real Celery worker (tests/celery_worker.py): the worker knows it under its tasks.py name
and sends a queued message."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

from laborbrand.accounts.models import SmsMessage
from laborbrand.accounts.tasks import send_sms_message
from tests.celery_worker import (  # noqa: F401  (fixtures)
    broker,
    celery_worker_process,
    producer_not_eager,
    worker_log,
)

TASK_TIMEOUT = 60


def test_the_task_keeps_its_tasks_module_name_after_autodiscovery():
    script = (
        "import django; django.setup()\n"
        "from laborbrand.celery import app\n"
        "app.loader.import_default_modules()\n"
        "print(app.tasks['laborbrand.accounts.tasks.send_sms_message'].__module__)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr  # a KeyError otherwise
    assert completed.stdout.strip().endswith("laborbrand.accounts.texting")
    assert send_sms_message.name == "laborbrand.accounts.tasks.send_sms_message"


def test_worker_sends_a_queued_text_message(celery_worker_process, producer_not_eager):  # noqa: F811
    message = SmsMessage.objects.create(phone="13800138000", template="notice", params={"title": "面试邀请"})
    # The task keeps no result; this call asks for one, to wait on it.
    result = send_sms_message.apply_async(
        (message.pk,), queue=celery_worker_process["queue"], ignore_result=False
    )
    try:
        assert result.get(timeout=TASK_TIMEOUT) == SmsMessage.Status.SENT
    except Exception:
        print(worker_log(celery_worker_process))
        raise
    finally:
        result.forget()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.params) == (SmsMessage.Status.SENT, 1, {})
    assert message.provider_id.startswith("console-")  # the worker runs on the real settings' default
