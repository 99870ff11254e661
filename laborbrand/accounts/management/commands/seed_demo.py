"""Create the demo accounts and data. Rerunning it changes nothing that exists already.

Each app contributes its part in a `demo.py` module with `seed(ctx)`; they run in INSTALLED_APPS order,
so the layers below exist before the ones that need them.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

DUMMY_EMAIL = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_PASSWORD = "Demo#2026pass"  # noqa: S105  (demo accounts only; printed and documented)


class Command(BaseCommand):
    help = "Create demo accounts (all with one password) and demo data; safe to rerun."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password for every demo account.")

    def handle(self, *args, password, **options):
        ctx = {"password": password, "users": {}, "stdout": self.stdout}
        # Demo addresses are invented: notifications the seeding triggers stay in the site, unmailed.
        with override_settings(EMAIL_BACKEND=DUMMY_EMAIL), transaction.atomic():
            for config in apps.get_app_configs():
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Accounts (user name / password):"))
        for username in ctx["users"]:
            self.stdout.write(f"  {username} / {password}")
