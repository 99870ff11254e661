"""Freeze every month of a year that is over and has no monthly snapshot yet (a month the monthly task
missed while the workers were down, or the months before the portal counted). Running it again takes
nothing: a month's snapshot is taken once."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from targets import snapshots


class Command(BaseCommand):
    help = "Take the missing monthly snapshots of the months of a year that are over (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="The year (default: this year).")

    def handle(self, *args, year=None, **options):
        year = year or timezone.localdate().year
        if not 2000 <= year <= 2100:
            raise CommandError(f"{year} is not a year the portal counts (2000–2100).")
        taken = snapshots.take_missing(year)
        for snapshot in taken:
            self.stdout.write(
                f"{snapshot.year}-{snapshot.month:02}: snapshot {snapshot.pk} as of {snapshot.as_of}"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(taken)} monthly snapshot(s) of {year} taken."))
