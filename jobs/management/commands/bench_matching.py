"""Benchmark of the nightly match run (issue 7): a synthetic city, a full run, the figures.

Builds, in the configured database, 100,000 seeking workers and 10,000 open postings (by default) over 60
occupations in 20 categories and 30 locations, runs one full match — in this process, or with `--queue`
through the Celery workers as the nightly schedule does — and prints the pairs scored, the seconds of each
phase, pairs/s, recommendation rows written/s and the peak memory of the processes that did the work.
`--sweep` also runs at a tenth and half the workers, to show how the time grows. docs/benchmarks.md
("Nightly matching") has the method and the figures; bench/run_matching_bench.sh runs it on PostgreSQL with a
Celery worker.

Every row it creates is marked, so `--clear` removes exactly the benchmark data and nothing else:

- employers and postings as bench_load_postings marks them (name and credit code; its helpers create and
  clear them), all postings open;
- occupation categories with the slug `bench-NN` and occupations in them, named `BENCH …`;
- users named `bench-w0000001` … (workers) and `bench-admin` (starts the runs, creates the brands), with an
  address at `bench.invalid` (a reserved domain no real user has), and everything that hangs on them:
  profiles, applications, assessments, certificates (numbered `BENCH…`, never a real `LA…` number) and
  enrolments;
- brands (slug `bench-…`), one training institution (the BENCH credit code) and its programmes;
- the match runs the benchmark started (started by `bench-admin`) with their recommendations.

On PostgreSQL the rows go in with COPY (100,000 workers in about 25 s), elsewhere with bulk_create. No
history records or notifications are written, as for data nobody ever edited.

Its runs are real runs: each becomes the latest, and publishing it prunes the recommendations of runs older
than the two latest, whoever started them. So it belongs in a database of its own, as the script gives it.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import random
import re
import resource
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from brands.models import Brand
from jobs import matchrun
from jobs.management.commands import bench_load_postings
from jobs.models import (
    Application,
    ApplicationEvent,
    JobPosting,
    MatchChunk,
    MatchInvitation,
    MatchRun,
    Recommendation,
    WorkerProfile,
)
from laborbrand.accounts.models import Notification, User
from laborbrand.reference.models import County, Occupation, OccupationCategory, Province, SkillLevel
from training.models import Assessment, Certificate, Enrollment, Institution, TrainingProgram

MARKER = bench_load_postings.MARKER
NAME_PREFIX = bench_load_postings.NAME_PREFIX
EMAIL_DOMAIN = "bench.invalid"
ADMIN_USERNAME = "bench-admin"
WORKER_USERNAME = "bench-w{:07d}"
USERNAME_REGEX = r"^bench-(admin|w[0-9]{7})$"
CATEGORY_SLUG = "bench-{:02d}"
CATEGORIES = 20
OCCUPATIONS_PER_CATEGORY = 3
BRANDS = 12
EMPLOYERS = 300  # at most; one per ten postings
# The 30 locations: the city's 7 counties, the city without a county, 3 other cities of its province, and 19
# cities in partner provinces (bench_load_postings.PARTNER_PROVINCES).
HOME_PROVINCE_CITIES = ("合肥市", "芜湖市", "安庆市")
COUNTY_SHARE = 0.7  # of postings; the rest spread over the other 23 locations

# Workers
NO_HOME_COUNTY = 0.1
SALARY_UNKNOWN = 0.3
ACCEPTS_OTHER_PROVINCE = 0.4
PREFERS_PROVINCES = 0.3  # of those who accept another province
OTHER_CATEGORY = 0.08  # a desired occupation outside the worker's main category
CERTIFICATES = {0: 55, 1: 33, 2: 12}  # workers holding 0, 1 or 2 valid certificates
LEVEL_WEIGHTS = (5, 4, 3, 1.5, 0.5)  # levels 1..5 of a certificate
TRAINED_IN_BRAND = 0.08  # passed a brand's programme: a brand member
APPLIED = 0.05  # workers who applied to 1–3 postings already
APPLICATION_STATUSES = {
    Application.Status.SUBMITTED: 50,
    Application.Status.VIEWED: 15,
    Application.Status.INTERVIEW: 10,
    Application.Status.OFFERED: 5,
    Application.Status.HIRED: 5,
    Application.Status.REJECTED: 10,
    Application.Status.WITHDRAWN: 5,
}
CONSENT_TEXT = "本人同意将求职资料提供给该用人单位，用于本次招聘。"
COPY_ROWS = 50_000
SWEEP = (0.1, 0.5, 1.0)
POLL_SECONDS = 0.2


class Command(BaseCommand):
    help = (
        "Build a synthetic city (seeking workers, open postings), run a full match and print its figures; "
        "--clear removes the benchmark data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=100_000, help="Seeking workers (default 100000).")
        parser.add_argument("--postings", type=int, default=10_000, help="Open postings (default 10000).")
        parser.add_argument("--seed", type=int, default=7, help="Random seed, for a repeatable dataset.")
        parser.add_argument("--clear", action="store_true", help="Delete the benchmark data, run nothing.")
        parser.add_argument(
            "--sweep", action="store_true", help="Also run at a tenth and half of --workers (same postings)."
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Dispatch the chunks to the Celery workers (CELERY_TASK_DEFAULT_QUEUE) and wait.",
        )
        parser.add_argument("--runs", type=int, default=1, help="Runs at each size, to see the spread.")
        parser.add_argument("--keep", action="store_true", help="Keep the benchmark data afterwards.")
        parser.add_argument(
            "--reuse", action="store_true", help="Run on benchmark data kept by an earlier --keep."
        )
        parser.add_argument("--timeout", type=float, default=1800, help="Seconds to wait for a run.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Fail unless the runs at the largest size met the targets (their median time): "
            "--target-seconds and --target-memory.",
        )
        parser.add_argument("--target-seconds", type=float, default=20.0)
        parser.add_argument("--target-memory", type=int, default=2048, help="MiB, per process.")
        parser.add_argument(
            "--allow-sqlite",
            action="store_true",
            help="Run on a database other than PostgreSQL (tests; the benchmark's target is PostgreSQL).",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql" and not options["allow_sqlite"]:
            raise CommandError(
                f"The benchmark's target is PostgreSQL, this database is {connection.vendor}: set "
                "DATABASE_URL to a PostgreSQL database, or pass --allow-sqlite."
            )
        if options["clear"]:
            self.stdout.write(self.style.SUCCESS(clear()))
            return
        if options["workers"] < 1 or options["postings"] < 1 or options["runs"] < 1:
            raise CommandError("--workers, --postings and --runs must be at least 1.")
        if options["reuse"] and options["sweep"]:
            raise CommandError("--reuse runs on the data as it is; --sweep builds it in steps.")
        loaded = bench_admin() is not None or bench_load_postings.bench_employers().exists()
        if loaded and not options["reuse"]:
            raise CommandError("Benchmark data is loaded already: run with --clear first (or --reuse).")
        if options["reuse"] and not loaded:
            raise CommandError("No benchmark data to reuse: run with --keep first.")

        sizes = sorted({max(1, round(options["workers"] * share)) for share in SWEEP})
        if not options["sweep"]:
            sizes = [options["workers"]]
        results = []
        try:
            if options["reuse"]:
                admin = bench_admin()
            else:
                started = time.perf_counter()
                builder = CityBuilder(random.Random(options["seed"]))  # noqa: S311  (repeatable, not secret)
                builder.build_reference(options["postings"])
                admin = builder.admin
                self.stdout.write(
                    f"built {options['postings']} open postings, reference rows in "
                    f"{time.perf_counter() - started:.1f} s"
                )
            for size in sizes:
                if not options["reuse"]:
                    started = time.perf_counter()
                    builder.build_workers(size - builder.workers)
                    self.stdout.write(
                        f"built workers up to {builder.workers} in {time.perf_counter() - started:.1f} s"
                    )
                for _ in range(options["runs"]):
                    result = measure(admin, queue=options["queue"], timeout=options["timeout"])
                    results.append(result)
                    self.stdout.write(result.report())
            self.stdout.write(sweep_table(results))
            if not options["keep"]:
                self.stdout.write(prune_step(results[-1].run))
        finally:
            if not options["keep"]:
                self.stdout.write(clear())
        self.stdout.write(machine())
        if options["check"]:
            self._check(results, options["target_seconds"], options["target_memory"])

    def _check(self, results, target_seconds: float, target_memory: int) -> None:
        """The target on the runs at the largest size: their median wall time (with --runs, a run slowed by
        other work on a shared machine does not decide alone) and the largest peak of any process."""
        largest = [r for r in results if r.run.workers == max(x.run.workers for x in results)]
        wall = statistics.median(r.wall for r in largest)
        memory = max((mib for r in largest for _name, mib in r.peaks), default=None)
        missed = []
        if wall > target_seconds:
            missed.append(f"{wall:.1f} s > {target_seconds:.0f} s")
        if memory is not None and memory > target_memory:
            missed.append(f"peak {memory:.0f} MiB > {target_memory} MiB")
        runs = f"median of {len(largest)} runs" if len(largest) > 1 else "one run"
        if missed:
            raise CommandError(f"Target missed ({runs}): " + "; ".join(missed))
        self.stdout.write(
            self.style.SUCCESS(
                f"PASS ({runs}): {largest[0].run.workers:,} workers in {wall:.1f} s <= "
                f"{target_seconds:.0f} s, peak {memory if memory is None else round(memory)} MiB <= "
                f"{target_memory} MiB"
            )
        )


# --- Measuring ----------------------------------------------------------------------------------------------


@dataclass
class Result:
    run: MatchRun
    wall: float  # from the start to the run's publication (finished_at)
    prune: float  # from the publication until the publishing step's prune was done
    cells: int  # worker × posting cells scored by all chunks (the posting chunks score the pairs again)
    peaks: list[tuple[str, float]]  # (process, peak resident MiB)
    cpu: dict[str, float]  # CPU seconds used during the run: Celery processes, PostgreSQL, dispatcher
    prune_cpu: float | None  # CPU seconds of the prune (with --queue; in one process it is the run's)
    busy: float  # how busy the machine's CPUs were during the run, all processes, %

    def report(self) -> str:
        run, seconds = self.run, self.run.seconds
        phases = ", ".join(f"{p} {seconds.get(p, 0):.2f}" for p in ("load", "score", "write", "publish"))
        peaks = ", ".join(f"{name} {mib:.0f}" for name, mib in self.peaks) or "n/a"
        cpu = ", ".join(f"{name} {value:.1f}" for name, value in self.cpu.items())
        cores = len(os.sched_getaffinity(0))
        ours = sum(self.cpu.values())
        return "\n".join(
            (
                f"run #{run.pk}: {run.workers:,} workers × {run.postings:,} postings, "
                f"{run.chunks_total} chunks",
                f"  pairs scored           {run.pairs:,} (cells incl. the posting chunks: {self.cells:,})",
                f"  recommendation rows    {run.recommendations:,}",
                f"  wall seconds           {self.wall:.2f} (start to published); pruning {self.prune:.2f}"
                + (f" (CPU {self.prune_cpu:.1f})" if self.prune_cpu is not None else ""),
                f"  seconds per phase      {phases} (summed over chunks)",
                f"  pairs/s                {run.pairs / self.wall:,.0f}",
                f"  rows written/s         {run.recommendations / self.wall:,.0f} (wall); "
                f"{run.recommendations / max(seconds.get('write', 0), 1e-9):,.0f} per writing process",
                f"  peak memory MiB        {peaks}",
                f"  CPU seconds            {cpu}: {ours:.1f} = {ours / cores:.1f} s of {cores} cores; "
                f"the CPUs were {self.busy:.0f} % busy (all processes)",
            )
        )


def measure(admin: User, *, queue: bool, timeout: float) -> Result:
    """One full run: its wall time, the peak memory and CPU time of every process that worked on it."""
    vacuum()
    hosts, workers = celery_processes() if queue else ([], [])
    dispatcher = [("dispatcher", Path("/proc/self"))]
    for _name, proc in dispatcher + workers:
        reset_peak(proc)
    backends = Backends()

    def usage() -> dict[str, int]:
        backends.sample()
        busy, total = machine_ticks()
        return {
            "celery": ticks(p for _n, p in workers),
            "postgresql": backends.used(),
            "dispatcher": ticks(p for _n, p in dispatcher),
            "busy": busy,
            "total": total,
        }

    before = usage()
    started = timezone.now()
    try:
        if queue:
            from jobs.tasks import match_dispatch

            run = matchrun.match_run_start(trigger=MatchRun.Trigger.COMMAND, user=admin)
            match_dispatch(run)
            run = wait(run, timeout, backends)
            published = usage()
            wait_idle(hosts, timeout, backends)
        else:
            # In one process the prune follows the publication at once: its CPU time is the run's.
            run = matchrun.match_run(trigger=MatchRun.Trigger.COMMAND, user=admin)
            published = usage()
    except matchrun.MatchRunBusy as busy:
        raise CommandError(str(busy)) from None
    done, pruned = timezone.now(), usage()
    if run.status != MatchRun.Status.COMPLETED:
        raise CommandError(f"run #{run.pk} {run.status}: {run.error}")
    names = [
        name
        for name, measured in (
            ("celery", bool(workers)),
            ("postgresql", connection.vendor == "postgresql"),
            ("dispatcher", True),
        )
        if measured
    ]
    return Result(
        run=run,
        wall=(run.finished_at - started).total_seconds(),
        prune=(done - run.finished_at).total_seconds(),
        cells=sum(stats.get("pairs", 0) for stats in run.chunks.values_list("stats", flat=True)),
        peaks=[(name, peak) for name, proc in dispatcher + workers if (peak := peak_mib(proc)) is not None],
        cpu={name: (published[name] - before[name]) / TICKS for name in names},
        prune_cpu=sum(pruned[name] - published[name] for name in names) / TICKS if workers else None,
        busy=100 * (published["busy"] - before["busy"]) / max(published["total"] - before["total"], 1),
    )


def vacuum() -> None:
    """What autovacuum does in the day between two nightly runs: clear away the rows the last prune deleted
    (back-to-back runs would otherwise write into an ever more bloated table and indexes)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Recommendation._meta.db_table}")


def wait(run: MatchRun, timeout: float, backends: Backends) -> MatchRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        backends.sample()
        if run.status != MatchRun.Status.RUNNING:
            return run
        time.sleep(POLL_SECONDS)
    raise CommandError(f"run #{run.pk} still running after {timeout:.0f} s ({run.progress} % of chunks)")


def wait_idle(hosts: list[str], timeout: float, backends: Backends) -> None:
    """Until the workers are idle: the publishing step prunes older runs after marking the run completed,
    and the next run should not compete with that."""
    from laborbrand.celery import app

    deadline = time.monotonic() + timeout
    while hosts and time.monotonic() < deadline:
        active = app.control.inspect(destination=hosts, timeout=2).active() or {}
        backends.sample()
        if not any(active.values()):
            return
        time.sleep(POLL_SECONDS)


def celery_processes() -> tuple[list[str], list[tuple[str, Path]]]:
    """The Celery workers consuming this queue, and those of their processes running on this machine (main
    and pool) as /proc entries: the peak resident size is VmHWM in /proc/<pid>/status, the CPU time in
    /proc/<pid>/stat (no psutil needed)."""
    from laborbrand.celery import app

    if app.conf.task_always_eager:  # no broker: the chord runs in this process
        return [], []
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    consuming = [
        host
        for host, queues in (app.control.inspect(timeout=2).active_queues() or {}).items()
        if any(q.get("name") == queue for q in queues)
    ]
    if not consuming:
        raise CommandError(f"No Celery worker consumes the queue {queue!r}: start one (see the script).")
    found = []
    for host, stats in (app.control.inspect(destination=consuming, timeout=2).stats() or {}).items():
        pids = [stats.get("pid"), *stats.get("pool", {}).get("processes", [])]
        for i, pid in enumerate(p for p in pids if p):
            proc = Path(f"/proc/{pid}")
            if proc.exists():
                found.append((f"{host.split('@')[0]}:{'main' if i == 0 else f'pool{i}'}", proc))
    return consuming, found


TICKS = os.sysconf("SC_CLK_TCK")


def ticks(procs) -> int:
    """User and system CPU time of processes, in clock ticks."""
    total = 0
    for proc in procs:
        with contextlib.suppress(OSError, IndexError):
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total


class Backends:
    """CPU ticks of the PostgreSQL backends serving this database, when the server runs on this machine.
    Celery closes its connection after each task, so a chunk's backend lives as long as the chunk: they are
    sampled while the run goes on (each poll), and what one used after its last sample is missed."""

    def __init__(self):
        self.start: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self.start = dict(self._ticks())

    def _ticks(self):
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
            pids = [pid for (pid,) in cursor.fetchall()]
        for pid in pids:
            if (value := ticks([Path(f"/proc/{pid}")])) > 0:
                yield pid, value

    def sample(self) -> None:
        self.last.update(self._ticks())

    def used(self) -> int:
        return sum(value - self.start.get(pid, 0) for pid, value in self.last.items())


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine so far, from /proc/stat."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0, 0
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def reset_peak(proc: Path) -> None:
    """Start the process's high-water mark afresh (Linux ≥ 4.0), so each run measures its own peak."""
    with contextlib.suppress(OSError):
        (proc / "clear_refs").write_text("5")


def peak_mib(proc: Path) -> float | None:
    try:
        status = (proc / "status").read_text()
    except OSError:
        if proc == Path("/proc/self"):
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found[1]) / 1024 if found else None


def sweep_table(results: list[Result]) -> str:
    lines = [
        "",
        "workers  postings       pairs      rows  wall s   load  score  write  publish  prune  CPU s  s/Mpr",
    ]
    for r in results:
        s = r.run.seconds
        lines.append(
            f"{r.run.workers:7d}  {r.run.postings:8d}  {r.run.pairs:10d}  {r.run.recommendations:8d}  "
            f"{r.wall:6.2f}  {s.get('load', 0):5.2f}  {s.get('score', 0):5.2f}  {s.get('write', 0):5.2f}  "
            f"{s.get('publish', 0):7.2f}  {r.prune:5.2f}  {sum(r.cpu.values()):5.1f}  "
            f"{r.wall / max(r.run.pairs, 1) * 1e6:5.3f}"
        )
    return "\n".join(lines)


def prune_step(run: MatchRun) -> str:
    """What each night's prune costs: deleting one full run's rows, two nights later. The benchmark's last
    run is the one it would be; its rows are thrown away now anyway, with the same statement the prune uses
    (every row whose run is not among those kept)."""
    keep = list(MatchRun.objects.exclude(pk=run.pk).values_list("pk", flat=True))
    started = time.perf_counter()
    with transaction.atomic():
        old = Recommendation.objects.exclude(run_id__in=keep)
        removed = old._raw_delete(old.db)
    return f"prune: deleted {removed:,} rows of run #{run.pk} in {time.perf_counter() - started:.2f} s"


def machine() -> str:
    cores = len(os.sched_getaffinity(0))
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    load = " ".join(f"{n:.2f}" for n in os.getloadavg())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            database = connection.vendor
    return f"machine: {cores} cores, {memory / 2**30:.0f} GiB RAM, {database}; load average {load}"


# --- Building the city --------------------------------------------------------------------------------------


class PostingLoader(bench_load_postings.Loader):
    """bench_load_postings' postings, but all open, over the benchmark's occupations, brands and locations."""

    status_weights = {JobPosting.Status.OPEN: 1}
    lapsed_share = 0

    def __init__(self, rng, occupations, brands, locations):
        super().__init__(rng)
        self.occupations = occupations
        self.occupation_weights = popularity(len(occupations))
        self.brands = brands
        self.locations = [place[:3] for place in locations]
        self.location_weights = [place[3] for place in locations]

    def _location(self, employer):
        return self.rng.choices(self.locations, weights=self.location_weights)[0]


def popularity(n: int) -> list[float]:
    """Some occupations are wanted and offered more than others, not overwhelmingly so."""
    return [1 / (rank + 1) ** 0.5 for rank in range(n)]


class CityBuilder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.workers = 0
        self.levels = list(SkillLevel.objects.order_by("rank"))
        self.counties = list(County.objects.order_by("code"))
        if not self.levels or not self.counties:
            raise CommandError("The reference data has no skill levels or counties: run migrate first.")

    # Reference rows, employers and postings

    def build_reference(self, postings: int) -> None:
        rng = self.rng
        with transaction.atomic():
            self.admin = User.objects.create(
                username=ADMIN_USERNAME,
                email=f"admin@{EMAIL_DOMAIN}",
                role=User.Role.CITY_ADMIN,
                is_active=False,
                password="!",  # noqa: S106  (unusable: nobody signs in as the benchmark)
            )
            categories = OccupationCategory.objects.bulk_create(
                OccupationCategory(
                    slug=CATEGORY_SLUG.format(i), name=f"{NAME_PREFIX}类别{i:02d}", order=900 + i
                )
                for i in range(1, CATEGORIES + 1)
            )
            occupations = Occupation.objects.bulk_create(
                Occupation(category=category, name=f"{NAME_PREFIX}工种{c:02d}-{i}")
                for c, category in enumerate(categories, start=1)
                for i in range(1, OCCUPATIONS_PER_CATEGORY + 1)
            )
            self.occupations = occupations
            self.by_category = defaultdict(list)
            for occupation in occupations:
                self.by_category[occupation.category_id].append(occupation)
            # Workers want popular occupations more, as employers offer them more (another order than the
            # postings', so supply and demand do not line up exactly).
            self.worker_occupations = rng.sample(occupations, len(occupations))
            self.worker_weights = popularity(len(occupations))

            self.institution = Institution.objects.bulk_create(
                [
                    Institution(
                        name=f"{NAME_PREFIX}职业技能评价中心",
                        kind=Institution.Kind.VOCATIONAL_COLLEGE,
                        county=self.counties[0],
                        credit_code=bench_load_postings.bench_credit_code(self.counties[0].city.code, 1),
                        contact_name="王老师",
                        contact_phone="0564-3300000",
                        status=Institution.Status.QUALIFIED,
                        qualified_until=self.today + datetime.timedelta(days=365),
                    )
                ]
            )[0]
            Institution.occupations.through.objects.bulk_create(
                Institution.occupations.through(institution_id=self.institution.pk, occupation_id=o.pk)
                for o in occupations
            )
            brand_categories = rng.sample(categories, BRANDS)
            brands = Brand.objects.bulk_create(
                Brand(
                    name=f"{NAME_PREFIX}品牌{i:02d}",
                    slug=f"bench-brand-{i:02d}",
                    county=rng.choice(self.counties),
                    category=category,
                    description="基准测试用的劳务品牌。",
                    status=Brand.Status.RECOGNISED,
                    created_by=self.admin,
                )
                for i, category in enumerate(brand_categories, start=1)
            )
            Brand.occupations.through.objects.bulk_create(
                Brand.occupations.through(brand_id=brand.pk, occupation_id=occupation.pk)
                for brand in brands
                for occupation in rng.sample(self.by_category[brand.category_id], rng.randint(1, 3))
            )
            started = self.today - datetime.timedelta(days=200)
            self.programs = TrainingProgram.objects.bulk_create(
                TrainingProgram(
                    institution=self.institution,
                    brand=brand,
                    occupation=rng.choice(list(brand.occupations.all())),
                    target_level=self.levels[rng.randrange(3)],
                    title=f"{brand.name}培训班",
                    theory_hours=60,
                    practical_hours=100,
                    practice_hours=40,
                    start_date=started,
                    end_date=started + datetime.timedelta(days=90),
                    capacity=500,
                    place="六安市",
                    status=TrainingProgram.Status.COMPLETED,
                )
                for brand in brands
            )
            self.programs_by_category = defaultdict(list)
            for program, brand in zip(self.programs, brands, strict=True):
                self.programs_by_category[brand.category_id].append(program)

            loader = PostingLoader(
                rng, rng.sample(occupations, len(occupations)), self._brands(brands), self._locations()
            )
            employers = loader.create_employers(min(EMPLOYERS, max(1, postings // 10)))
            loader.create_postings(employers, postings)
            self.postings_by_category = defaultdict(list)
            rows = JobPosting.objects.filter(employer__in=employers).values_list("pk", "occupation__category")
            for pk, category in rows:
                self.postings_by_category[category].append(pk)
        analyze(JobPosting, Occupation, Brand)

    def _brands(self, brands):
        return list(Brand.objects.filter(pk__in=[b.pk for b in brands]).prefetch_related("occupations"))

    def _locations(self):
        """(province, city name, county, weight): the 30 places postings are in."""
        city = self.counties[0].city
        home = city.province
        provinces = {p.code: p for p in Province.objects.all()}
        counties = [(home, city.name, c, COUNTY_SHARE / len(self.counties)) for c in self.counties]
        elsewhere = [(home, city.name, None), *((home, name, None) for name in HOME_PROVINCE_CITIES)]
        elsewhere += [
            (provinces[code], name, None)
            for code, (names, _weight) in bench_load_postings.PARTNER_PROVINCES.items()
            for name in names
        ]
        share = (1 - COUNTY_SHARE) / len(elsewhere)
        return counties + [(*place, share) for place in elsewhere]

    # Workers

    def build_workers(self, count: int) -> None:
        """`count` more seeking workers, with profiles, certificates, brand training and applications."""
        if count <= 0:
            return
        rng, now, today = self.rng, self.now, self.today
        rows = {model: [] for model in COLUMNS}
        provinces = list(
            Province.objects.filter(code__in=bench_load_postings.PARTNER_PROVINCES).values_list(
                "pk", flat=True
            )
        )
        certificate_counts, certificate_weights = zip(*CERTIFICATES.items(), strict=True)
        statuses, status_weights = zip(*APPLICATION_STATUSES.items(), strict=True)
        joined = now - datetime.timedelta(days=30)
        institution, admin = self.institution.pk, self.admin.pk
        user_ids = reserve_ids(User, count)
        profile_ids = reserve_ids(WorkerProfile, count)
        assessment_ids = iter(reserve_ids(Assessment, max(CERTIFICATES) * count))
        for serial, user, profile in zip(
            range(self.workers + 1, self.workers + count + 1), user_ids, profile_ids, strict=True
        ):
            username = WORKER_USERNAME.format(serial)
            email = f"{username}@{EMAIL_DOMAIN}"
            rows[User].append(
                (user, "!", False, username, "", "", email, False, True, joined, "worker", "", joined)
            )

            main = rng.choices(self.worker_occupations, weights=self.worker_weights)[0]
            same_category = self.by_category[main.category_id]
            wanted = [main]  # a list, not a set: the same seed gives the same workers
            for _ in range(rng.choice((0, 1, 1, 2))):
                occupation = rng.choice(self.occupations if rng.random() < OTHER_CATEGORY else same_category)
                if occupation not in wanted:
                    wanted.append(occupation)
            accepts = rng.random() < ACCEPTS_OTHER_PROVINCE
            county = None if rng.random() < NO_HOME_COUNTY else rng.choice(self.counties).pk
            salary = None
            if rng.random() >= SALARY_UNKNOWN:
                salary = min(max(round(rng.lognormvariate(8.5, 0.3) / 500) * 500, 1000), 200000)
            experience = rng.randint(0, 20)
            rows[WorkerProfile].append(
                (profile, user, county, experience, "", accepts, salary, True, True, now)
            )
            rows[Desired] += [(profile, o.pk) for o in wanted]
            if accepts and rng.random() < PREFERS_PROVINCES:
                rows[Preferred] += [(profile, p) for p in rng.sample(provinces, rng.randint(1, 2))]

            held = set()
            for _ in range(rng.choices(certificate_counts, weights=certificate_weights)[0]):
                occupation = rng.choice(wanted if rng.random() < 0.8 else same_category).pk
                level = rng.choices(self.levels, weights=LEVEL_WEIGHTS)[0].pk
                if (occupation, level) in held:
                    continue
                held.add((occupation, level))
                pk = next(assessment_ids)
                on = today - datetime.timedelta(days=rng.randint(30, 2000))
                rows[Assessment].append(
                    (pk, institution, user, occupation, level, on, PASSED[0], PASSED[1], True, admin, now)
                )
                number = f"{MARKER}{pk:010d}"
                rows[Certificate].append((number, pk, user, institution, occupation, level, on, "valid", ""))

            programs = self.programs_by_category.get(main.category_id) or self.programs
            if programs and rng.random() < TRAINED_IN_BRAND:
                done = now - datetime.timedelta(days=rng.randint(30, 300))
                applied = done - datetime.timedelta(days=100)
                program = rng.choice(programs).pk
                rows[Enrollment].append((program, user, "completed", False, True, *PASSED, applied, done))

            postings = self.postings_by_category.get(main.category_id)
            if postings and rng.random() < APPLIED:
                for posting in rng.sample(postings, min(len(postings), rng.randint(1, 3))):
                    status = rng.choices(statuses, weights=status_weights)[0]
                    on = now - datetime.timedelta(days=rng.randint(1, 60))
                    rows[Application].append((posting, user, status, on, CONSENT_TEXT, False, on, on))
        with transaction.atomic():
            for model, columns in COLUMNS.items():
                insert(model, columns, rows[model])
        self.workers += count
        analyze(*COLUMNS)


Desired = WorkerProfile.desired_occupations.through
Preferred = WorkerProfile.preferred_provinces.through
PASSED = (Decimal("80.0"), Decimal("75.0"))
# The columns build_workers fills, in insertion order (a foreign key's table first).
COLUMNS = {
    User: (
        "id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff",
        "is_active", "date_joined", "role", "real_name", "privacy_consent_at",
    ),
    WorkerProfile: (
        "id", "user_id", "home_county_id", "experience_years", "experience", "accepts_other_province",
        "expected_salary", "seeking", "personalised", "updated",
    ),
    Desired: ("workerprofile_id", "occupation_id"),
    Preferred: ("workerprofile_id", "province_id"),
    Assessment: (
        "id", "institution_id", "worker_id", "occupation_id", "level_id", "assessed_on", "theory_score",
        "practical_score", "passed", "created_by_id", "created",
    ),
    Certificate: (
        "number", "assessment_id", "worker_id", "institution_id", "occupation_id", "level_id", "issued_on",
        "status", "revoke_reason",
    ),
    Enrollment: (
        "program_id", "worker_id", "status", "walk_in", "passed", "theory_score", "practical_score",
        "applied_at", "completed_at",
    ),
    Application: (
        "posting_id", "worker_id", "status", "consent_at", "consent_text", "recommendation", "created",
        "status_changed",
    ),
}  # fmt: skip


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for rows inserted with COPY, drawn from the table's sequence (PostgreSQL) or after the
    largest one (SQLite, where nothing else writes at the same time)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]
    largest = model.objects.aggregate(largest=Max("pk"))["largest"] or 0
    return list(range(largest + 1, largest + 1 + count))


def insert(model: type[models.Model], fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows (tuples of the given field attnames): COPY on PostgreSQL, bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            (model(**dict(zip(fields, row, strict=True))) for row in rows), batch_size=500
        )
        return
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), COPY_ROWS):
            text = "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows[start : start + COPY_ROWS])
            cursor.cursor.copy_expert(sql, io.StringIO(text))


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    return str(value)


def analyze(*models_: type[models.Model]) -> None:
    """Planner statistics after a bulk load, as autovacuum would gather a little later."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(m._meta.db_table for m in models_))


# --- Clearing -----------------------------------------------------------------------------------------------


def bench_admin() -> User | None:
    return bench_users().filter(username=ADMIN_USERNAME).first()


def bench_users():
    """The users the benchmark created: both marks must be present."""
    return User.objects.filter(Q(username__regex=USERNAME_REGEX) & Q(email__endswith=f"@{EMAIL_DOMAIN}"))


def bench_categories():
    return OccupationCategory.objects.filter(slug__regex=r"^bench-[0-9]{2}$", name__startswith=NAME_PREFIX)


def bench_institutions():
    return Institution.objects.filter(
        name__startswith=NAME_PREFIX, credit_code__regex=bench_load_postings.CREDIT_CODE_REGEX
    )


def bench_brands():
    return Brand.objects.filter(slug__startswith="bench-brand-", name__startswith=NAME_PREFIX)


def clear() -> str:
    """Delete every benchmark row (see the module docstring); each table in one DELETE."""
    users = bench_users()
    postings = JobPosting.objects.filter(employer__in=bench_load_postings.bench_employers())
    occupations = Occupation.objects.filter(category__in=bench_categories())
    runs = MatchRun.objects.filter(started_by__in=users)

    def delete(queryset) -> int:
        return queryset._raw_delete(queryset.db)

    try:
        with transaction.atomic():
            removed = {"recommendations": delete(Recommendation.objects.filter(run_id__in=runs))}
            removed["recommendations"] += delete(
                Recommendation.objects.filter(Q(worker__in=users) | Q(posting__in=postings))
            )
            delete(MatchChunk.objects.filter(run__in=runs))
            removed["runs"] = delete(runs)
            delete(MatchInvitation.objects.filter(Q(worker__in=users) | Q(posting__in=postings)))
            applications = Application.objects.filter(worker__in=users)
            delete(ApplicationEvent.objects.filter(application__in=applications))
            removed["applications"] = delete(applications)
            delete(Notification.objects.filter(recipient__in=users))
            delete(Enrollment.objects.filter(worker__in=users))
            removed["certificates"] = delete(Certificate.objects.filter(worker__in=users))
            delete(Assessment.objects.filter(worker__in=users))
            profiles = WorkerProfile.objects.filter(user__in=users)
            delete(WorkerProfile.desired_occupations.through.objects.filter(workerprofile__in=profiles))
            delete(WorkerProfile.preferred_provinces.through.objects.filter(workerprofile__in=profiles))
            delete(profiles)
            delete(TrainingProgram.objects.filter(brand__in=bench_brands()))
            delete(Brand.occupations.through.objects.filter(brand__in=bench_brands()))
            delete(bench_brands())
            institutions = bench_institutions()
            delete(Institution.occupations.through.objects.filter(institution__in=institutions))
            delete(institutions)
            removed["postings"], _employers = bench_load_postings.clear_bench_postings()
            removed["workers"] = delete(users.filter(role=User.Role.WORKER))
            delete(users)
            delete(occupations)
            delete(bench_categories())
    except IntegrityError as error:
        raise CommandError(f"Other data refers to benchmark rows; nothing was removed ({error}).") from None
    return "removed benchmark data: " + ", ".join(f"{n:,} {what}" for what, n in removed.items())
