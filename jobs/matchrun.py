"""The nightly match run: load, score (jobs/matching.py), keep the best pairs, write them, publish.

A run is planned as chunks (`MatchChunk`): ranges of worker ids, each keeping every worker's best
`WORKER_TOP` postings, and sets of occupation categories, each keeping every posting's best `POSTING_TOP`
workers. Candidates are blocked by occupation category: a worker is only scored against open postings in the
categories of the occupations they want or hold a certificate in, never against the whole city.

The chunks are independent, so Celery workers on several machines process them in parallel (jobs/tasks.py);
`match_run()` runs the same steps one after another in-process (the management command, the demo, and the
embedded default without a broker). A chunk writes its rows and records itself done in one transaction, and
first removes anything an earlier attempt left, so a retried chunk never writes twice. Publishing marks the
run completed; readers always use the latest completed run (`latest_run()`), so a run that dies half-way
leaves the previous recommendations in place. Two runs never overlap: the partial unique constraint on
`MatchRun.active` is the lock, and a run that stopped making progress is marked failed by the next start.
"""

from __future__ import annotations

import datetime
import io
import logging
import struct
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from brands.models import Brand
from jobs import matching
from jobs.matching import COMPONENTS, PER_MILLE, Postings, Workers
from jobs.models import (
    Application,
    JobPosting,
    MatchChunk,
    MatchRun,
    MatchWeights,
    Recommendation,
    WorkerProfile,
    home_province_id,
)
from laborbrand.accounts.models import User
from laborbrand.exceptions import InvalidTransition
from laborbrand.reference.models import City, Occupation, Province
from training.models import Certificate, Enrollment

logger = logging.getLogger(__name__)

WORKER_TOP = 20
POSTING_TOP = 50
ACTIVE_APPLICATION = [
    Application.Status.SUBMITTED,
    Application.Status.VIEWED,
    Application.Status.INTERVIEW,
    Application.Status.OFFERED,
]
# Rows of one block scored at once, so a large category never needs more than ~this many cells in memory.
BLOCK_CELLS = 4_000_000


class MatchRunBusy(InvalidTransition):
    """Another run is in progress; the new one does not start."""


def running_run() -> MatchRun | None:
    """The run holding the lock, if any."""
    return MatchRun.objects.filter(active=True).first()


def latest_run() -> MatchRun | None:
    """The run whose recommendations the pages show: the latest completed one."""
    return MatchRun.objects.filter(status=MatchRun.Status.COMPLETED).order_by("-finished_at", "-pk").first()


# --- Starting: the lock and the plan ------------------------------------------------------------------------


def _fail_stale_runs(now: datetime.datetime) -> None:
    stale_after = datetime.timedelta(seconds=settings.MATCH_RUN_STALE_AFTER)
    for run in MatchRun.objects.filter(active=True, heartbeat__lt=now - stale_after):
        match_run_fail(
            run.pk,
            _("Stopped without finishing: no progress since %(time)s.")
            % {"time": timezone.localtime(run.heartbeat).strftime("%Y-%m-%d %H:%M")},
        )


def match_run_start(
    *, trigger: str, user: User | None = None, today: datetime.date | None = None
) -> MatchRun:
    """Take the lock, record the weights and plan the chunks. Raises MatchRunBusy when a run is active."""
    now = timezone.now()
    _fail_stale_runs(now)
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            run = MatchRun.objects.create(
                trigger=trigger,
                started_by=user,
                started_at=now,
                heartbeat=now,
                scoring_date=today,
                weights=MatchWeights.current().as_dict(),
            )
            chunks = [
                MatchChunk(run=run, number=number, kind=kind, spec=spec)
                for number, (kind, spec) in enumerate(_plan(today), start=1)
            ]
            MatchChunk.objects.bulk_create(chunks)
            run.chunks_total = len(chunks)
            run.save(update_fields=["chunks_total"])
    except IntegrityError:
        running = running_run()
        raise MatchRunBusy(
            _("Run #%(number)s is still in progress (started %(time)s); this one did not start.")
            % {
                "number": running.pk if running else "?",
                "time": timezone.localtime(running.started_at).strftime("%Y-%m-%d %H:%M") if running else "",
            }
        ) from None
    return run


def _seeking_workers():
    return WorkerProfile.objects.filter(
        seeking=True, personalised=True, user__is_active=True, user__role=User.Role.WORKER
    )


def _plan(today: datetime.date) -> list[tuple[str, list[int]]]:
    """Worker chunks of MATCH_CHUNK_WORKERS consecutive ids; posting chunks of whole categories holding about
    MATCH_CHUNK_POSTINGS open postings."""
    size = settings.MATCH_CHUNK_WORKERS
    ids = list(_seeking_workers().order_by("user_id").values_list("user_id", flat=True))
    plan = [
        (MatchChunk.Kind.WORKERS, [ids[i], ids[min(i + size, len(ids)) - 1]])
        for i in range(0, len(ids), size)
    ]
    per_category = (
        _open_postings(today)
        .values_list("occupation__category")
        .annotate(n=Count("pk"))
        .order_by("occupation__category")
    )
    batch: list[int] = []
    filled = 0
    for category, count in per_category:
        batch.append(category)
        filled += count
        if filled >= settings.MATCH_CHUNK_POSTINGS:
            plan.append((MatchChunk.Kind.POSTINGS, batch))
            batch, filled = [], 0
    if batch:
        plan.append((MatchChunk.Kind.POSTINGS, batch))
    return plan


# --- Loading ------------------------------------------------------------------------------------------------


def _open_postings(today: datetime.date):
    return JobPosting.objects.public(today)


@dataclass(frozen=True)
class Reference:
    """Numbering of occupations, categories, brands and provinces for the arrays."""

    occupations: dict[int, int]
    category_of_occupation: np.ndarray
    categories: dict[int, int]
    brands: dict[int, int]
    provinces: dict[int, int]
    brand_occupations: dict[int, list[int]]
    home_province: int | None
    city_name: str

    @classmethod
    def load(cls) -> Reference:
        occupations = list(Occupation.objects.order_by("pk").values_list("pk", "category_id"))
        categories = {c: i for i, c in enumerate(sorted({c for _pk, c in occupations}))}
        brand_occupations = defaultdict(list)
        for brand, occupation in Brand.occupations.through.objects.values_list("brand_id", "occupation_id"):
            brand_occupations[occupation].append(brand)
        city = City.objects.first()
        return cls(
            occupations={pk: i for i, (pk, _c) in enumerate(occupations)},
            category_of_occupation=np.array([categories[c] for _pk, c in occupations], dtype=np.int32),
            categories=categories,
            brands={pk: i for i, pk in enumerate(Brand.objects.order_by("pk").values_list("pk", flat=True))},
            provinces={
                pk: i for i, pk in enumerate(Province.objects.order_by("pk").values_list("pk", flat=True))
            },
            brand_occupations=dict(brand_occupations),
            home_province=home_province_id(),
            city_name=city.name if city else "",
        )


def load_postings(ref: Reference, today: datetime.date) -> Postings:
    """Open postings with openings left, ordered by id."""
    postings = _open_postings(today)
    rows = list(
        postings.order_by("pk").values_list(
            "pk", "occupation_id", "min_level__rank", "brand_id", "county_id", "province_id", "city_name",
            "salary_max", "published_at", "headcount",
        )
    )  # fmt: skip
    counts = defaultdict(lambda: [0, 0])
    per_posting = (
        Application.objects.filter(posting__in=postings)
        .values_list("posting_id")
        .annotate(
            active=Count("pk", filter=Q(status__in=ACTIVE_APPLICATION)),
            hired=Count("pk", filter=Q(status=Application.Status.HIRED)),
        )
        .order_by()
    )
    for posting, active, hired in per_posting:
        counts[posting] = [active, hired]
    kept = [r for r in rows if r[9] - counts[r[0]][1] > 0]
    n = len(kept)
    pks, occupations, levels, brands, counties, provinces, city_names, salaries, published, headcounts = (
        zip(*kept, strict=True) if kept else ((),) * 10
    )
    occupation = np.array([ref.occupations[v] for v in occupations], np.int32)
    tz = timezone.get_current_timezone()  # timezone.localdate(v), the zone looked up once
    return Postings(
        ids=np.array(pks, np.int64),
        occupation=occupation,
        category=ref.category_of_occupation[occupation] if n else np.empty(0, np.int32),
        min_level=np.array([v or 0 for v in levels], np.uint8),
        brand=np.array([ref.brands[v] if v else -1 for v in brands], np.int32),
        county=np.array([v or 0 for v in counties], np.int64),
        in_city=np.array(
            [
                county is not None or (province == ref.home_province and city == ref.city_name)
                for county, province, city in zip(counties, provinces, city_names, strict=True)
            ],
            bool,
        ),
        in_home_province=np.array([v == ref.home_province for v in provinces], bool),
        province=np.array([ref.provinces[v] for v in provinces], np.int32),
        salary_max=np.array([v or 0 for v in salaries], np.int32),
        age_days=np.array(
            [max(0, (today - v.astimezone(tz).date()).days) if v else -1 for v in published], np.int32
        ),
        applicants=np.array([counts[pk][0] for pk in pks], np.int32),
        openings=np.array([h - counts[pk][1] for pk, h in zip(pks, headcounts, strict=True)], np.int32),
    )


def load_workers(ref: Reference, profiles) -> tuple[Workers, dict[int, int]]:
    """The workers of a WorkerProfile queryset as arrays, ordered by user id; and id → row. Reads the whole
    tables of occupations, provinces, certificates and training: meant for all the seeking workers."""
    rows = list(
        profiles.order_by("user_id").values_list(
            "pk", "user_id", "home_county_id", "expected_salary", "accepts_other_province"
        )
    )
    n, n_occupations = len(rows), len(ref.occupations)
    profile_pks, user_pks, counties, salaries, accepts = zip(*rows, strict=True) if rows else ((),) * 5
    row_of_user = dict(zip(user_pks, range(n), strict=True))
    profile_row, user_row = _positions(profile_pks), _positions(user_pks)
    occupation_column, brand_column = _positions(list(ref.occupations)), _positions(list(ref.brands))
    province_column = _positions(list(ref.provinces))
    interest = np.zeros((n, n_occupations), bool)
    level = np.zeros((n, n_occupations), np.uint8)
    member = np.zeros((n, len(ref.brands)), bool)
    preferred = np.zeros((n, len(ref.provinces)), bool)
    # Whole tables, the rows of other workers dropped here: the run loads every seeking worker, and a
    # subquery naming them would join the profiles with the users for each table again.
    Desired = WorkerProfile.desired_occupations.through
    profile, occupation = _columns(Desired.objects.values_list("workerprofile_id", "occupation_id"))
    ours = np.isin(profile, profile_pks)
    interest[profile_row(profile[ours]), occupation_column(occupation[ours])] = True
    Preferred = WorkerProfile.preferred_provinces.through
    profile, province = _columns(Preferred.objects.values_list("workerprofile_id", "province_id"))
    ours = np.isin(profile, profile_pks)
    preferred[profile_row(profile[ours]), province_column(province[ours])] = True
    certificates = Certificate.objects.valid().values_list("worker_id", "occupation_id", "level__rank")
    worker, occupation, rank = _columns(certificates)
    ours = np.isin(worker, user_pks)
    rows_, columns = user_row(worker[ours]), occupation_column(occupation[ours])
    interest[rows_, columns] = True
    np.maximum.at(level, (rows_, columns), rank[ours].astype(np.uint8))
    certified = np.zeros((n, n_occupations), bool)
    certified[rows_, columns] = True
    for occupation, brands in ref.brand_occupations.items():
        member[:, brand_column(brands)] |= certified[:, ref.occupations[occupation], None]
    trained = Enrollment.objects.completed().filter(passed=True)
    worker, brand = _columns(trained.values_list("worker_id", "program__brand_id"))
    ours = np.isin(worker, user_pks)
    worker, brand = worker[ours], brand[ours]
    member[user_row(worker), brand_column(brand)] = True

    workers = Workers(
        ids=np.array(user_pks, np.int64),
        county=np.array([v or 0 for v in counties], np.int64),
        expected_salary=np.array([v or 0 for v in salaries], np.int32),
        accepts_other_province=np.array(accepts, bool),
        preferred=preferred,
        interest=interest,
        level=level,
        member=member,
    )
    return workers, row_of_user


def _positions(keys) -> Callable[[np.ndarray], np.ndarray]:
    """Vectorised `keys.index`: maps an array of keys (each one of `keys`) to their positions."""
    keys = np.asarray(keys, np.int64)
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    return lambda values: order[np.searchsorted(ordered, np.asarray(values, np.int64))]


def _columns(values_list) -> list[np.ndarray]:
    """The columns of a values_list query as int64 arrays: one fetch, no Python per row."""
    table = np.array(list(values_list.order_by()), np.int64)
    return list(table.reshape(-1, len(values_list._fields)).T)


def load_applied(
    workers: Workers, row_of_user: dict[int, int], postings: Postings, users
) -> set[tuple[int, int]]:
    """(worker row, posting column) pairs where the worker already applied, in any status."""
    applications = Application.objects.filter(worker__in=users).values_list("worker_id", "posting_id")
    worker, posting = _columns(applications)
    scored = np.isin(posting, postings.ids) & np.isin(worker, workers.ids)
    rows = [row_of_user[w] for w in worker[scored].tolist()]
    columns = _positions(postings.ids)(posting[scored]).tolist()
    return set(zip(rows, columns, strict=True))


# --- Scoring a chunk ----------------------------------------------------------------------------------------


@dataclass
class Kept:
    """Pairs a chunk keeps, as parallel arrays."""

    worker: list[np.ndarray]
    posting: list[np.ndarray]
    score: list[np.ndarray]
    held: list[np.ndarray]
    fits: dict[str, list[np.ndarray]]

    @classmethod
    def empty(cls) -> Kept:
        return cls([], [], [], [], {name: [] for name in COMPONENTS})

    def add(self, block: matching.Block, rows: np.ndarray, cols: np.ndarray, w_rows, p_cols) -> None:
        self.worker.append(w_rows[rows])
        self.posting.append(p_cols[cols])
        self.score.append(block.score[rows, cols])
        self.held.append(block.held[rows, cols])
        for name in COMPONENTS:
            self.fits[name].append(np.asarray(block.fits[name])[rows, cols])

    def arrays(self) -> dict[str, np.ndarray]:
        cat = lambda parts, dtype: np.concatenate(parts).astype(dtype) if parts else np.empty(0, dtype)  # noqa: E731
        out = {
            "worker": cat(self.worker, np.int64),
            "posting": cat(self.posting, np.int64),
            "score": cat(self.score, np.float32),
            "held": cat(self.held, np.int16),
        }
        for name in COMPONENTS:
            out[name] = np.rint(cat(self.fits[name], np.float32) * PER_MILLE).astype(np.int16)
        return out


def _blocks(workers: Workers, postings: Postings, ref: Reference, applied: set[tuple[int, int]], weights):
    """Yield (block, worker rows, posting columns) per category, in row slices of at most BLOCK_CELLS."""
    worker_categories = matching.occupation_categories(ref.category_of_occupation, workers.interest)
    applied_by_category = defaultdict(list)
    for row, col in applied:
        applied_by_category[int(postings.category[col])].append((row, col))
    for category in np.unique(postings.category):
        p_cols = np.flatnonzero(postings.category == category)
        w_rows = (
            np.flatnonzero(worker_categories[:, category]) if worker_categories.shape[1] > category else []
        )
        if len(p_cols) == 0 or len(w_rows) == 0:
            continue
        block_postings = postings.take(p_cols)
        step = max(1, BLOCK_CELLS // len(p_cols))
        col_of = {int(c): j for j, c in enumerate(p_cols)}
        for start in range(0, len(w_rows), step):
            rows = w_rows[start : start + step]
            mask = None
            pairs = applied_by_category.get(int(category))
            if pairs:
                row_of = {int(r): i for i, r in enumerate(rows)}
                mask = np.zeros((len(rows), len(p_cols)), bool)
                for r, c in pairs:
                    if r in row_of:
                        mask[row_of[r], col_of[c]] = True
            block = matching.score_block(
                workers.take(rows), block_postings, weights,
                category_of_occupation=ref.category_of_occupation, applied=mask,
            )  # fmt: skip
            yield block, rows, p_cols


def best_postings_per_worker(workers, postings, ref, applied, weights) -> tuple[dict[str, np.ndarray], int]:
    """Every worker's best WORKER_TOP postings (ranked 1..), and the number of pairs scored."""
    kept, pairs = Kept.empty(), 0
    for block, rows, cols in _blocks(workers, postings, ref, applied, weights):
        pairs += block.score.size
        keys = matching.ranked_keys(block.score, block.allowed, np.arange(len(cols)), axis=1)
        r, c = matching.top_per_row(keys, WORKER_TOP)
        kept.add(block, r, c, rows, cols)
    rows = kept.arrays()
    # A worker interested in several categories has candidates from each: rank them together.
    return _rank_and_keep(rows, "worker", postings.ids[rows["posting"]], WORKER_TOP), pairs


def best_workers_per_posting(workers, postings, ref, applied, weights) -> tuple[dict[str, np.ndarray], int]:
    """Every posting's best POSTING_TOP workers (ranked 1..)."""
    kept, pairs = Kept.empty(), 0
    for block, rows, cols in _blocks(workers, postings, ref, applied, weights):
        pairs += block.score.size
        keys = matching.ranked_keys(block.score, block.allowed, rows, axis=0)
        c, r = matching.top_per_row(keys.T, POSTING_TOP)
        kept.add(block, r, c, rows, cols)
    rows = kept.arrays()
    # Row slices of one category each offered their best: rank them together per posting.
    return _rank_and_keep(rows, "posting", workers.ids[rows["worker"]], POSTING_TOP), pairs


def _rank_and_keep(rows: dict[str, np.ndarray], side: str, tie_ids: np.ndarray, top: int) -> dict:
    """Rank the kept pairs within each worker or posting (`side`) by score, then the lower id of the other
    side (`tie_ids`, one per pair), and keep the best `top`; the rank goes in `<side>_rank`, 0 in the
    other side's."""
    order = np.lexsort((tie_ids, -matching.score_int(rows["score"]), rows[side]))
    rows = {name: values[order] for name, values in rows.items()}
    rank = _rank_within(rows[side])
    keep = rank <= top
    rows = {name: values[keep] for name, values in rows.items()}
    other = "posting" if side == "worker" else "worker"
    rows[f"{side}_rank"] = rank[keep].astype(np.int16)
    rows[f"{other}_rank"] = np.zeros(int(keep.sum()), np.int16)
    return rows


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """1-based position of each element within its run of equal consecutive values."""
    if len(groups) == 0:
        return np.empty(0, np.int64)
    starts = np.r_[0, np.flatnonzero(groups[1:] != groups[:-1]) + 1]
    run_lengths = np.diff(np.r_[starts, len(groups)])
    return np.arange(len(groups)) - np.repeat(starts, run_lengths) + 1


# --- Writing ------------------------------------------------------------------------------------------------

_COPY_COLUMNS = (
    "run_id",
    "chunk",
    "worker_id",
    "posting_id",
    "score",
    "worker_rank",
    "posting_rank",
    "held_level",
    *COMPONENTS,
)


def write_recommendations(
    run_id: int, chunk: int, rows: dict[str, np.ndarray], worker_ids, posting_ids
) -> int:
    """Insert a chunk's rows: binary COPY on PostgreSQL, bulk_create elsewhere."""
    n = len(rows["score"])
    if n == 0:
        return 0
    columns = {
        "run_id": np.full(n, run_id, np.int64),
        "chunk": np.full(n, chunk, np.int32),
        "worker_id": worker_ids[rows["worker"]],
        "posting_id": posting_ids[rows["posting"]],
        "score": np.round(rows["score"].astype(np.float64), 2),
        "worker_rank": rows["worker_rank"],
        "posting_rank": rows["posting_rank"],
        "held_level": rows["held"],
        **{name: rows[name] for name in COMPONENTS},
    }
    if connection.vendor == "postgresql":
        _copy_binary(columns, n)
    else:
        Recommendation.objects.bulk_create(
            (
                Recommendation(**{name: values[i].item() for name, values in columns.items()})
                for i in range(n)
            ),
            batch_size=2000,
        )
    return n


_PG_TYPES = {np.int64: ">i8", np.int32: ">i4", np.int16: ">i2", np.float64: ">f8"}


def _copy_binary(columns: dict[str, np.ndarray], n: int) -> None:
    """PostgreSQL's binary COPY format built as one numpy record array: per row, the field count, then per
    field its length and big-endian value (https://www.postgresql.org/docs/current/sql-copy.html)."""
    table = Recommendation._meta.db_table
    with connection.cursor() as cursor:
        # The ids drawn from the sequence in one statement and sent with the rows: the column's default,
        # evaluated for each copied row, costs about a quarter of the COPY.
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)", [sequence, n])
        columns = {"id": np.array(cursor.fetchone()[0], np.int64), **columns}
        names = ("id", *_COPY_COLUMNS)
        fields = [("count", ">i2")]
        for name in names:
            fields += [(f"{name}_len", ">i4"), (name, _PG_TYPES[columns[name].dtype.type])]
        dtype = np.dtype(fields)
        # The field count and lengths are the same in every row: one row of them, repeated, then the values.
        template = np.zeros(1, dtype)
        template["count"] = len(names)
        for name in names:
            template[f"{name}_len"] = dtype[name].itemsize
        records = np.tile(template.view(np.uint8), n).view(dtype)
        for name in names:
            records[name] = columns[name]
        payload = io.BytesIO()
        payload.write(b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0))
        payload.write(records.data)
        payload.write(struct.pack(">h", -1))
        payload.seek(0)
        cursor.cursor.copy_expert(
            f"COPY {table} ({', '.join(names)}) FROM STDIN WITH (FORMAT binary)", payload, size=1 << 20
        )


# --- Running ------------------------------------------------------------------------------------------------


@dataclass
class RunData:
    """Every seeking worker, every open posting and who applied where, as a run's chunks read them. A process
    loads them once per run, with its first chunk, and each chunk takes its rows: the same workers and
    postings as a query per chunk would find, at a fraction of the queries (a chunk of 5,000 workers cost as
    much loading as scoring)."""

    key: tuple
    ref: Reference
    workers: Workers
    postings: Postings
    applied: tuple[np.ndarray, np.ndarray]  # worker rows, posting columns

    @classmethod
    def load(cls, run: MatchRun) -> RunData:
        ref = Reference.load()
        postings = load_postings(ref, run.scoring_date)
        profiles = _seeking_workers()
        workers, row_of_user = load_workers(ref, profiles)
        applied = load_applied(workers, row_of_user, postings, profiles.values("user_id"))
        pairs = np.array(sorted(applied), np.int64).reshape(-1, 2)
        return cls(_run_key(run), ref, workers, postings, (pairs[:, 0], pairs[:, 1]))

    def chunk(self, chunk: MatchChunk) -> tuple[Reference, Workers, Postings, set[tuple[int, int]]]:
        """The chunk's workers and postings, and the pairs among them already applied to (renumbered)."""
        workers, postings = self.workers, self.postings
        if chunk.kind == MatchChunk.Kind.WORKERS:
            first, last = chunk.spec
            rows = np.flatnonzero((workers.ids >= first) & (workers.ids <= last))
            cols = np.arange(len(postings))
        else:
            # The categories' postings, and the workers who want or are certified in one of their occupations.
            categories = [self.ref.categories[c] for c in chunk.spec if c in self.ref.categories]
            cols = np.flatnonzero(np.isin(postings.category, categories))
            interest = matching.occupation_categories(self.ref.category_of_occupation, workers.interest)
            rows = (
                np.flatnonzero(interest[:, categories].any(axis=1)) if categories else np.empty(0, np.int64)
            )
        worker_rows, posting_cols = self.applied
        inside = np.isin(worker_rows, rows) & np.isin(posting_cols, cols)
        applied = zip(
            np.searchsorted(rows, worker_rows[inside]).tolist(),
            np.searchsorted(cols, posting_cols[inside]).tolist(),
            strict=True,
        )
        return self.ref, workers.take(rows), postings.take(cols), set(applied)


_loaded: RunData | None = None


def _run_key(run: MatchRun) -> tuple:
    # With the start time: a test database may give a later run the id of one rolled back.
    return (run.pk, run.started_at, run.scoring_date)


def _run_data(run: MatchRun) -> RunData:
    global _loaded
    data = _loaded
    if data is None or data.key != _run_key(run):
        _loaded = data = None  # the previous run's arrays go before the next are loaded
        _loaded = data = RunData.load(run)
    return data


def match_chunk_process(run_id: int, number: int) -> bool:
    """Do one chunk of a run. Idempotent: a chunk already done is skipped; one an earlier attempt left half
    written is written again from scratch. Returns False when the run is no longer running."""
    run = MatchRun.objects.get(pk=run_id)
    if run.status != MatchRun.Status.RUNNING:
        return False
    chunk = MatchChunk.objects.get(run=run, number=number)
    if chunk.done_at:
        return True
    seconds = {}
    started = time.perf_counter()
    ref, workers, postings, applied = _run_data(run).chunk(chunk)
    seconds["load"] = time.perf_counter() - started

    started = time.perf_counter()
    best = best_postings_per_worker if chunk.kind == MatchChunk.Kind.WORKERS else best_workers_per_posting
    rows, pairs = best(workers, postings, ref, applied, run.weights)
    seconds["score"] = time.perf_counter() - started

    started = time.perf_counter()
    with transaction.atomic():
        locked = MatchChunk.objects.select_for_update().get(pk=chunk.pk)
        if locked.done_at:
            return True
        Recommendation.objects.filter(run_id=run.pk, chunk=number)._raw_delete(Recommendation.objects.db)
        written = write_recommendations(run.pk, number, rows, workers.ids, postings.ids)
        seconds["write"] = time.perf_counter() - started
        now = timezone.now()
        stats = {"pairs": pairs, "rows": written, "seconds": seconds}
        stats["workers" if chunk.kind == MatchChunk.Kind.WORKERS else "postings"] = (
            len(workers) if chunk.kind == MatchChunk.Kind.WORKERS else len(postings)
        )
        MatchChunk.objects.filter(pk=chunk.pk).update(done_at=now, stats=stats)
        running = MatchRun.objects.filter(pk=run.pk, status=MatchRun.Status.RUNNING)
        if not running.update(chunks_done=F("chunks_done") + 1, heartbeat=now):
            # The run was marked failed while this chunk worked (stale, or another chunk failed): its rows
            # were removed then, so these must not be left behind either.
            transaction.set_rollback(True)
            return False
    return True


def match_run_publish(run_id: int) -> MatchRun:
    """Make a run's recommendations the ones readers see, once every chunk is done; then remove the rows of
    runs older than the one it replaces (a page being read during the switch can finish)."""
    started = time.perf_counter()
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run_id)
        if run.status != MatchRun.Status.RUNNING:
            return run
        chunks = list(run.chunks.all())
        missing = [c.number for c in chunks if not c.done_at]
        if missing:
            raise InvalidTransition(f"chunks not done: {missing}")
        seconds = defaultdict(float)
        for chunk in chunks:
            for phase, value in chunk.stats.get("seconds", {}).items():
                seconds[phase] += value
        worker_chunks = [c for c in chunks if c.kind == MatchChunk.Kind.WORKERS]
        run.workers = sum(c.stats.get("workers", 0) for c in worker_chunks)
        run.pairs = sum(c.stats.get("pairs", 0) for c in worker_chunks)
        run.recommendations = sum(c.stats.get("rows", 0) for c in chunks)
        run.postings = sum(c.stats.get("postings", 0) for c in chunks)
        run.status = MatchRun.Status.COMPLETED
        run.active = False
        run.finished_at = run.heartbeat = timezone.now()
        seconds["publish"] = time.perf_counter() - started
        run.seconds = {phase: round(value, 3) for phase, value in seconds.items()}
        run.save()
    match_runs_prune()
    return run


def match_runs_prune() -> int:
    """Delete the recommendations of every run but the two latest completed ones and any active run."""
    keep = list(
        MatchRun.objects.filter(status=MatchRun.Status.COMPLETED)
        .order_by("-finished_at", "-pk")
        .values_list("pk", flat=True)[:2]
    ) + list(MatchRun.objects.filter(active=True).values_list("pk", flat=True))
    old = Recommendation.objects.exclude(run_id__in=keep)
    return old._raw_delete(old.db)


def match_run_fail(run_id: int, error: str) -> None:
    """Record a run as failed and release the lock; its partial rows are removed, the previous run stays."""
    now = timezone.now()
    updated = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING).update(
        status=MatchRun.Status.FAILED, active=False, finished_at=now, heartbeat=now, error=error[:4000]
    )
    if updated:
        logger.warning("match run %s failed: %s", run_id, error)
        partial = Recommendation.objects.filter(run_id=run_id)
        partial._raw_delete(partial.db)


def match_run(*, trigger: str = MatchRun.Trigger.COMMAND, user: User | None = None, today=None) -> MatchRun:
    """A whole run in this process, chunk after chunk (what the Celery chord does across workers)."""
    run = match_run_start(trigger=trigger, user=user, today=today)
    try:
        for number in run.chunks.values_list("number", flat=True):
            match_chunk_process(run.pk, number)
        return match_run_publish(run.pk)
    except BaseException as error:
        match_run_fail(run.pk, f"{type(error).__name__}: {error}")
        raise
