"""Create the demo accounts and data. Rerunning it changes nothing that exists already.

Each part of the demo has `seed(ctx)`, which returns a line saying what its app's tables hold afterwards.
They run in layer order (accounts, brands, training, jobs, targets), so the records each part builds on exist
before it runs.
"""

import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from demo import accounts, brands, jobs, targets, training
from demo.brands import practitioners
from laborbrand.accounts.services import notifications_unmailed

DEFAULT_PASSWORD = "Demo#2026pass"  # noqa: S105  (demo accounts only; printed and documented)

# (the app whose tables the part fills, the part), in layer order; the targets last, as they count the rest.
PARTS = [
    ("accounts", accounts),
    ("brands", brands),
    ("training", training),
    # The brands' practitioner registers name demo trainees: after training, before the targets count them.
    ("practitioners", practitioners),
    ("jobs", jobs),
    ("targets", targets),
]


class Command(BaseCommand):
    help = "Create demo accounts (all with one password) and demo data; safe to rerun."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password for every demo account.")

    def handle(self, *args, password, **options):
        started = time.monotonic()
        ctx = {"password": password, "password_hash": make_password(password), "users": {}}
        self.stdout.write("Seeding the demo data (a rerun keeps what exists)…")
        # Demo addresses are invented: the notifications seeding makes stay in the site, never e-mailed.
        with notifications_unmailed(), transaction.atomic():
            for label, part in PARTS:
                part_started = time.monotonic()
                summary = part.seed(ctx)
                self.stdout.write(f"  {label}: {summary} ({time.monotonic() - part_started:.1f} s)")
        ready = f"Demo data ready in {time.monotonic() - started:.1f} s. Accounts (user name / password):"
        self.stdout.write(self.style.SUCCESS(ready))
        for username in ctx["users"]:
            self.stdout.write(f"  {username} / {password}")
