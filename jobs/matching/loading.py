"""Loading a match run's input: the reference numbering, every seeking worker and every open posting as the
engine's columnar arrays (scoring.py's `Workers`, `Postings`), who applied where; and `RunData`, what a
process loads once per run and each chunk takes its rows from."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Q
from django.utils import timezone

from brands.models import Brand, Practitioner
from jobs.matching import scoring
from jobs.matching.models import MatchChunk, MatchRun
from jobs.matching.scoring import Postings, Workers
from jobs.models import Application, JobPosting, WorkerProfile, home_province_id
from laborbrand.accounts.models import User
from laborbrand.reference.models import City, Occupation, Province
from training.models import Certificate, Enrollment

ACTIVE_APPLICATION = [
    Application.Status.SUBMITTED,
    Application.Status.VIEWED,
    Application.Status.INTERVIEW,
    Application.Status.OFFERED,
]


def seeking_workers():
    """The workers a run scores: active, seeking, with personalised recommendations on."""
    return WorkerProfile.objects.filter(
        seeking=True, personalised=True, user__is_active=True, user__role=User.Role.WORKER
    )


def open_postings(today: datetime.date):
    """The postings a run scores (those with openings left are kept by load_postings)."""
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
    postings = open_postings(today)
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
    # On a brand's practitioner register (an entry not removed): a member too (training/membership.py).
    worker, brand = _columns(Practitioner.objects.active().values_list("worker_id", "brand_id"))
    ours = np.isin(worker, user_pks)
    member[user_row(worker[ours]), brand_column(brand[ours])] = True

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
        profiles = seeking_workers()
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
            interest = scoring.occupation_categories(self.ref.category_of_occupation, workers.interest)
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


def run_data(run: MatchRun) -> RunData:
    """The run's data: loaded by the first chunk this process does for the run, kept for the next."""
    global _loaded
    data = _loaded
    if data is None or data.key != _run_key(run):
        _loaded = data = None  # the previous run's arrays go before the next are loaded
        _loaded = data = RunData.load(run)
    return data
