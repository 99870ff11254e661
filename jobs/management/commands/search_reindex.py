"""Recompute the keyword-search tokens of job postings (jobs/search.py). Saving a posting or renaming its
employer keeps them current by itself; run this after renaming an occupation (reference data), or with no
option to rebuild every posting's."""

from django.core.management.base import BaseCommand

from jobs.models import JobPosting
from jobs.services import postings_reindex


class Command(BaseCommand):
    help = "Recompute the keyword-search tokens of every posting, or of one occupation's (--occupation ID)."

    def add_arguments(self, parser):
        parser.add_argument("--occupation", type=int, help="Only the postings of this occupation (its id).")

    def handle(self, *args, occupation, **options):
        postings = JobPosting.objects.all()
        if occupation is not None:
            postings = postings.filter(occupation_id=occupation)
        written = postings_reindex(postings=postings)
        self.stdout.write(self.style.SUCCESS(f"Recomputed the search tokens of {written} postings."))
