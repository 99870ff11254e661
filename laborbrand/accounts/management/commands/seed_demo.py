"""Create the demo accounts and data. Rerunning it changes nothing that exists already.

Each app contributes its part in a `demo.py` module with `seed(ctx)`, which returns a line saying what the
app's tables hold afterwards; they run in INSTALLED_APPS order, so the layers below exist before the ones
that need them.
"""

import time
from importlib import import_module

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from laborbrand.accounts.services import notifications_unmailed

DEFAULT_PASSWORD = "Demo#2026pass"  # noqa: S105  (demo accounts only; printed and documented)


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
            for config in apps.get_app_configs():
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                app_started = time.monotonic()
                summary = module.seed(ctx)
                self.stdout.write(f"  {config.label}: {summary} ({time.monotonic() - app_started:.1f} s)")
        ready = f"Demo data ready in {time.monotonic() - started:.1f} s. Accounts (user name / password):"
        self.stdout.write(self.style.SUCCESS(ready))
        for username in ctx["users"]:
            self.stdout.write(f"  {username} / {password}")
