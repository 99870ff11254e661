"""The city-scale dashboard benchmark's parts (bench_dashboard): spreading the matching benchmark's city over
the months of this year, timing the computation of every metric, and fetching the dashboards.

The matching benchmark's city (bench/city.py) dates its enrolments 30–300 days back, its certificates up to
five years back and its applications within the last 60 days. A dashboard counts this year, month by month,
so `spread_over_year` re-dates the benchmark's own rows (bench/marks.py) over 1 January to now, each row by
its primary key (the same dates on every run): every completed enrolment, one certificate in three, every
application (the hire or last move 0–19 days after the application, never after now).
"""

from __future__ import annotations

import datetime
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bench.city import analyze
from bench.marks import bench_users
from brands.models import Brand
from jobs.models import Application
from laborbrand import metrics
from laborbrand.metrics import Period
from laborbrand.reference.models import County
from targets.snapshots import counted_scopes
from training.models import Certificate, Enrollment

BATCH = 2000
# Spread by a multiplicative hash of the primary key: consecutive rows land far apart.
SPREAD_PRIME = 7919
SPREAD_STEPS = 10007


def _moment(pk: int, first: datetime.datetime, span: datetime.timedelta) -> datetime.datetime:
    return first + span * ((pk * SPREAD_PRIME) % SPREAD_STEPS) / SPREAD_STEPS


def _update(model: type[Model], rows: list[Model], fields: list[str]) -> None:
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_update(rows[start : start + BATCH], fields)


def spread_over_year(now: datetime.datetime | None = None) -> dict[str, int]:
    """Re-date the benchmark's enrolments, certificates and applications over this year up to now; returns
    how many rows of each were moved."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    first = datetime.datetime(today.year, 1, 1, tzinfo=timezone.get_current_timezone())
    span = now - first
    workers = bench_users().values("pk")
    moved = {}
    with transaction.atomic():
        enrolments = list(
            Enrollment.objects.completed().filter(worker__in=workers).only("pk", "applied_at", "completed_at")
        )
        for enrolment in enrolments:
            enrolment.completed_at = _moment(enrolment.pk, first, span)
            enrolment.applied_at = enrolment.completed_at - datetime.timedelta(days=100)
        _update(Enrollment, enrolments, ["applied_at", "completed_at"])
        moved["enrolments"] = len(enrolments)

        certificates = [
            c
            for c in Certificate.objects.filter(worker__in=workers).only("pk", "assessment_id", "issued_on")
            if c.assessment_id % 3 == 0
        ]
        for certificate in certificates:
            certificate.issued_on = timezone.localdate(_moment(certificate.assessment_id, first, span))
        _update(Certificate, certificates, ["issued_on"])
        moved["certificates"] = len(certificates)

        applications = list(
            Application.objects.filter(worker__in=workers).only(
                "pk", "created", "status_changed", "consent_at"
            )
        )
        for application in applications:
            application.created = application.consent_at = _moment(application.pk, first, span)
            moved_on = application.created + datetime.timedelta(days=application.pk % 20, hours=3)
            application.status_changed = min(moved_on, now)
        _update(Application, applications, ["created", "consent_at", "status_changed"])
        moved["applications"] = len(applications)
    analyze(Enrollment, Certificate, Application)
    return moved


def per_metric_seconds(year: int, as_of: datetime.date) -> dict[str, float]:
    """What targets.snapshots.compute spends on each metric, over every counted scope (the year's and the
    month's figure), in the same order of work."""
    year_period = Period(datetime.date(year, 1, 1), as_of)
    month_period = Period(as_of.replace(day=1), as_of)
    seconds: dict[str, float] = defaultdict(float)
    for scope in counted_scopes():
        for metric in metrics.defined():
            started = time.perf_counter()
            metric.figure(scope, year_period)
            metric.figure(scope, month_period)
            seconds[metric.key] += time.perf_counter() - started
    return dict(seconds)


def add_brands(count: int) -> list[Brand]:
    """`count` more brands in the programme (recognised), spread over the counties, each with the
    occupations of an existing benchmark brand: more scopes for every figure, no more records."""
    model = Brand.objects.filter(slug__startswith="bench-brand-").prefetch_related("occupations").first()
    if model is None:
        raise LookupError("no benchmark brand to copy: build the city first")
    counties = list(County.objects.order_by("code"))
    brands = Brand.objects.bulk_create(
        Brand(
            name=f"{model.name}-加{i:03d}",
            slug=f"bench-brand-extra-{i:03d}",
            county=counties[i % len(counties)],
            category_id=model.category_id,
            description=model.description,
            status=Brand.Status.RECOGNISED,
            created_by_id=model.created_by_id,
        )
        for i in range(1, count + 1)
    )
    occupations = [o.pk for o in model.occupations.all()]
    Brand.occupations.through.objects.bulk_create(
        Brand.occupations.through(brand_id=brand.pk, occupation_id=o) for brand in brands for o in occupations
    )
    return brands


@dataclass
class PageTiming:
    name: str
    who: str
    path: str
    times_ms: list[float]
    queries: int
    status: int

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms) if self.times_ms else 0.0


def dashboard_paths(year: int, county: County) -> dict[str, str] | None:
    """The two dashboards' paths, or None while the dashboard views are not in the project."""
    try:
        return {
            "city": reverse("targets:city", kwargs={"year": year}),
            "county": reverse("targets:county", kwargs={"year": year, "county": county.pk}),
        }
    except NoReverseMatch:
        return None


def fetch(client: Client, path: str) -> tuple[int, int, float]:
    """One fetch: (status, queries, milliseconds)."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
    return response.status_code, len(queries), elapsed


def measure_page(name: str, who, path: str, repeat: int) -> PageTiming:
    """A warm-up fetch, then `repeat` timed ones; the query count of the last."""
    client = Client()
    client.force_login(who)
    status, queries, _elapsed = fetch(client, path)
    times = []
    for _ in range(repeat if status == 200 else 0):
        status, queries, elapsed = fetch(client, path)
        times.append(elapsed)
    return PageTiming(name, who.username, path, times, queries, status)


def count_queries(who, path: str) -> int:
    client = Client()
    client.force_login(who)
    client.get(path)
    return fetch(client, path)[1]
