"""The city-scale page benchmark (issue 12; method and figures in docs/benchmarks.md, "Pages at city scale").

Signs in as each demo account (seed_demo) and as the public, fetches each role's main pages through Django's
test client — the whole middleware stack, no network — and prints, per page, the median of `--repeat`
fetches after one warm-up, the fastest and slowest, the CPU time per fetch of this process and of the
PostgreSQL backend (steadier than wall time on a shared machine), and the number of queries the page ran.
With `--check` it fails when any page's median is `--target-ms` or more, or a page does not answer 200.

The data is whatever the database holds: bench/run_pages_bench.sh builds the demo plus the matching
benchmark's city (100,000 workers, 10,000 postings, about 55,000 assessments) and a match run, so the lists
of the city admin and the public pages see city-scale tables. `--public-urls` prints the public pages wrk
measures (name and path, one a line) for the script.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from brands.models import Brand
from jobs.models import DockingFair, JobPosting
from laborbrand.accounts.models import User
from training.models import TrainingProgram

PUBLIC = None
# Who signs in: the demo accounts (README, "Demo accounts"), one per role.
ROLES = (PUBLIC, "worker_a", "employer_a", "institution_a", "official_a", "city_admin")


@dataclass
class Page:
    who: str | None
    name: str
    path: str


def _first_pk(queryset) -> int:
    pk = queryset.values_list("pk", flat=True).first()
    if pk is None:
        raise CommandError(f"No {queryset.model._meta.verbose_name} to measure: load the demo first.")
    return pk


def busiest_brand() -> Brand:
    """The public brand with the most trainees: its page counts the most members."""
    brand = (
        Brand.objects.public()
        .annotate(trainees=Count("programs__enrollments", filter=Q(programs__enrollments__passed=True)))
        .order_by("-trainees", "pk")
        .first()
    )
    if brand is None:
        raise CommandError("No public brand to measure: load the demo first.")
    return brand


def public_pages() -> list[Page]:
    """The public pages wrk also measures: home, the job search, a job's page, the busiest brand's page."""
    posting = _first_pk(JobPosting.objects.public().order_by("-published_at", "-pk"))
    return [
        Page(PUBLIC, "home", reverse("home")),
        Page(PUBLIC, "search", reverse("jobs:search")),
        Page(PUBLIC, "job", reverse("jobs:posting_detail", args=[posting])),
        Page(PUBLIC, "brand", reverse("brands:brand_detail", args=[busiest_brand().slug])),
    ]


def role_pages() -> list[Page]:
    """The other public pages, and each role's main pages: the workbench, its lists and the detail pages it
    opens most."""
    employer_posting = _first_pk(
        JobPosting.objects.filter(employer__staff__username="employer_a")
        .annotate(n=Count("applications"))
        .order_by("-n", "pk")
    )
    program = _first_pk(
        TrainingProgram.objects.filter(institution__staff__username="institution_a")
        .annotate(n=Count("enrollments"))
        .order_by("-n", "pk")
    )
    fair = _first_pk(DockingFair.objects.order_by("-held_on", "-pk"))
    official_brand = _first_pk(Brand.objects.filter(county__officials__username="official_a").order_by("pk"))
    review_brand = busiest_brand().pk
    url = reverse
    return [
        Page(PUBLIC, "brand showcase", url("brands:showcase")),
        Page(PUBLIC, "brand news", url("brands:news_list")),
        Page(PUBLIC, "institutions", url("training:institution_public_list")),
        Page(PUBLIC, "programmes", url("training:program_search")),
        Page(PUBLIC, "certificate check", url("training:certificate_verify")),
        Page("worker_a", "workbench", url("accounts:workbench")),
        Page("worker_a", "recommended", url("jobs:recommended")),
        Page("worker_a", "my applications", url("jobs:my_applications")),
        Page("worker_a", "my training", url("training:my_training")),
        Page("worker_a", "profile", url("jobs:profile_edit")),
        Page("worker_a", "job search", url("jobs:search")),
        Page("worker_a", "notifications", url("accounts:notification_list")),
        Page("employer_a", "workbench", url("accounts:workbench")),
        Page("employer_a", "postings", url("jobs:posting_manage_list")),
        Page("employer_a", "posting", url("jobs:posting_manage_detail", args=[employer_posting])),
        Page("employer_a", "applicants", url("jobs:applicant_list", args=[employer_posting])),
        Page("employer_a", "candidates", url("jobs:candidate_list", args=[employer_posting])),
        Page("employer_a", "apprenticeships", url("jobs:apprenticeship_list")),
        Page("institution_a", "workbench", url("accounts:workbench")),
        Page("institution_a", "applications", url("training:application_list")),
        Page("institution_a", "programmes", url("training:program_list")),
        Page("institution_a", "programme", url("training:program_detail", args=[program])),
        Page("institution_a", "assessments", url("training:assessment_list")),
        Page("institution_a", "agreements", url("training:agreement_list")),
        Page("institution_a", "ethics sessions", url("training:ethics_list")),
        Page("official_a", "workbench", url("accounts:workbench")),
        Page("official_a", "brands", url("brands:manage_list")),
        Page("official_a", "brand", url("brands:manage_detail", args=[official_brand])),
        Page("official_a", "news", url("brands:news_manage_list")),
        Page("official_a", "agreements", url("training:agreement_list")),
        Page("official_a", "ethics sessions", url("training:ethics_list")),
        Page("official_a", "docking fairs", url("jobs:fair_list")),
        Page("official_a", "partner regions", url("jobs:partner_list")),
        Page("city_admin", "workbench", url("accounts:workbench")),
        Page("city_admin", "brand review", url("brands:review_queue")),
        Page("city_admin", "brand decision", url("brands:review_detail", args=[review_brand])),
        Page("city_admin", "county overview", url("brands:county_overview")),
        Page("city_admin", "admission review", url("training:review_queue")),
        Page("city_admin", "institutions", url("training:institution_admin_list")),
        Page("city_admin", "programmes", url("training:program_list")),
        Page("city_admin", "assessments", url("training:assessment_list")),
        Page("city_admin", "assessments, page 40", url("training:assessment_list") + "?page=40"),
        Page("city_admin", "ethics sessions", url("training:ethics_list")),
        Page("city_admin", "agreements", url("training:agreement_overview")),
        Page("city_admin", "employer queue", url("jobs:employer_queue")),
        Page("city_admin", "match runs", url("jobs:match_runs")),
        Page("city_admin", "docking fairs", url("jobs:fair_list")),
        Page("city_admin", "docking fair", url("jobs:fair_detail", args=[fair])),
        Page("city_admin", "partner regions", url("jobs:partner_list")),
        Page("city_admin", "apprenticeships", url("jobs:apprenticeship_list")),
        Page("city_admin", "officials", url("accounts:official_list")),
        Page("city_admin", "job page", url("jobs:posting_detail", args=[employer_posting])),
    ]


@dataclass
class Timing:
    page: Page
    status: int
    queries: int
    times: list[float]  # seconds
    app_cpu: float  # seconds of CPU per fetch, this process (the whole request, test client included)
    db_cpu: float | None  # seconds of CPU per fetch, the PostgreSQL backend (None: not on this machine)

    @property
    def median_ms(self) -> float:
        return 1000 * statistics.median(self.times)


TICKS = os.sysconf("SC_CLK_TCK")


def backend_cpu() -> float | None:
    """CPU seconds the database backend of this connection has used, when it runs on this machine: on a
    shared machine the wall time varies with the other work, the CPU a page costs much less."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS


def measure(page: Page, client: Client, repeat: int) -> Timing:
    """One warm-up fetch, which also counts the queries, then `repeat` timed fetches."""
    # Each request empties the query log as it starts: empty it first too, or the count starts past the end.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        status = client.get(page.path).status_code
    count = len(queries)  # now: the captured queries are read off the connection's log, which moves on
    times = []
    db_before, app_before = backend_cpu(), time.process_time()
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(page.path)
        times.append(time.perf_counter() - started)
    app_cpu, db_after = time.process_time() - app_before, backend_cpu()
    db_cpu = None if db_before is None or db_after is None else (db_after - db_before) / repeat
    return Timing(page, status, count, times, app_cpu / repeat, db_cpu)


def clients() -> dict[str | None, Client]:
    """A signed-in client per demo account (force_login: the benchmark measures pages, not password
    hashing), and an anonymous one for the public."""
    found = {}
    for who in ROLES:
        client = Client(HTTP_HOST="127.0.0.1")
        if who is not PUBLIC:
            user = User.objects.filter(username=who).first()
            if user is None:
                raise CommandError(f"The demo account {who} is missing: run seed_demo first.")
            client.force_login(user)
        found[who] = client
    return found


class Command(BaseCommand):
    help = "Time each role's main pages (median of --repeat), count their queries; --check fails on a miss."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5, help="Timed fetches per page (default 5).")
        parser.add_argument("--target-ms", type=float, default=150.0, help="Largest median allowed.")
        parser.add_argument("--check", action="store_true", help="Fail when a page misses the target.")
        parser.add_argument(
            "--public-urls", action="store_true", help="Print the public pages wrk measures and stop."
        )

    def handle(self, *args, repeat: int, target_ms: float, check: bool, public_urls: bool, **options):
        if public_urls:
            for page in public_pages():
                self.stdout.write(f"{page.name.replace(' ', '-')} {page.path}")
            return
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        # The test client's host, plain HTTP: what the portal's own settings refuse outside the loopback.
        with override_settings(ALLOWED_HOSTS=["127.0.0.1"], SECURE_SSL_REDIRECT=False):
            timings = self.run_pages(repeat)
        misses = [t for t in timings if t.status != 200 or t.median_ms >= target_ms]
        slowest = max(timings, key=lambda t: t.median_ms)
        self.stdout.write(
            f"{len(timings)} pages; slowest {slowest.page.who or 'public'} {slowest.page.name} "
            f"{slowest.median_ms:.1f} ms (target: every median under {target_ms:.0f} ms)"
        )
        if misses and check:
            names = ", ".join(f"{t.page.who or 'public'} {t.page.name}" for t in misses)
            raise CommandError(f"Target missed ({len(misses)} pages): {names}")

    def run_pages(self, repeat: int) -> list[Timing]:
        by_role = clients()
        pages = public_pages() + role_pages()
        header = (
            f"{'who':<14} {'page':<22} {'median ms':>9} {'min':>7} {'max':>7} {'app CPU':>7} {'db CPU':>7} "
            f"{'queries':>7}  path"
        )
        self.stdout.write(header)
        timings = []
        for page in pages:
            timing = measure(page, by_role[page.who], repeat)
            timings.append(timing)
            flag = "" if timing.status == 200 else f"  HTTP {timing.status}"
            db_cpu = "n/a" if timing.db_cpu is None else f"{1000 * timing.db_cpu:.1f}"
            self.stdout.write(
                f"{page.who or 'public':<14} {page.name:<22} {timing.median_ms:9.1f} "
                f"{1000 * min(timing.times):7.1f} {1000 * max(timing.times):7.1f} "
                f"{1000 * timing.app_cpu:7.1f} {db_cpu:>7} {timing.queries:7d}  {page.path}{flag}"
            )
        return timings
