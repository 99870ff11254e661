"""seed_demo as a newcomer runs it: without --password, on a fresh database, and with what it leaves to run
once its transaction commits carried out (test_seed_demo.py's shared seeding is rolled back before that).
It gives every demo account the documented default password, e-mails nobody and says briefly what it did."""

import logging
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase

from demo.management.commands.seed_demo import DEFAULT_PASSWORD
from laborbrand.accounts.models import Notification

# xdist_group: meant to keep the module's tests on one pytest-xdist worker, which then seeds once (not yet
# honoured: see pyproject.toml's addopts).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeding"), pytest.mark.xdist_group("seeding")]


LISTED_ACCOUNTS = [
    "city_admin",
    "official_a",
    "official_b",
    "leader_a",
    "worker_a",
    "worker_b",
    "institution_a",
    "institution_b",
    "employer_a",
    "employer_b",
]


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Seeding:
    output: str
    log: list[logging.LogRecord]


@pytest.fixture(scope="module")
def seeding(django_db_setup, django_db_blocker):
    log = Records()
    root = logging.getLogger()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        root.addHandler(log)
        try:
            out = StringIO()
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("seed_demo", stdout=out)
            root.removeHandler(log)
            yield Seeding(out.getvalue(), log.records)
        finally:
            root.removeHandler(log)
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_default_password_works(password_login):
    assert password_login("worker_b", DEFAULT_PASSWORD)


def test_seeding_emails_nobody_and_logs_no_task(seeding):
    assert Notification.objects.count() > 100
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
    assert [record.getMessage() for record in seeding.log if record.name.startswith("celery")] == []


def test_seeding_prints_one_progress_line_per_part_then_the_accounts(seeding):
    lines = seeding.output.splitlines()

    assert lines[0].startswith("Seeding the demo data")
    # One part per app, in layer order; the brands' practitioner registers after training (they name
    # trainees).
    parts = ["accounts", "brands", "training", "practitioners", "jobs", "targets"]
    assert [line.split(":")[0].strip() for line in lines[1:7]] == parts
    assert "22 registered practitioners (23 not yet registered on the portal)" in lines[4]
    assert "226 postings" in lines[5]
    assert lines[7].startswith("Demo data ready in")
    assert lines[8:] == [f"  {username} / {DEFAULT_PASSWORD}" for username in LISTED_ACCOUNTS]
