"""The nightly clean-up of imports (the beat task `prune_imports` runs the same function): batches whose task
died mid-way go back a step, uploaded files older than IMPORT_KEEP_FILES_DAYS are deleted, with the batches
never imported."""

from django.core.management.base import BaseCommand

from laborbrand.imports.work import batches_prune


class Command(BaseCommand):
    help = "Delete old uploaded import files and unimported batches; unstick batches whose task died."

    def handle(self, *args, **options):
        result = batches_prune()
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['stalled']} stalled batches moved back, {result['deleted']} unimported batches and "
                f"{result['files_deleted']} files of imported batches deleted."
            )
        )
