"""bench_load_postings: the search benchmark's dataset (docs/benchmarks.md), loaded small here."""

from __future__ import annotations

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from bench.management.commands import bench_load_postings
from bench.postings import bench_employers
from jobs.models import Employer, JobPosting
from laborbrand.reference.validators import validate_credit_code
from tests.factories import ApplicationFactory, JobPostingFactory, VerifiedEmployerFactory
from tests.jobs.factories_coop import DockingFairFactory

pytestmark = pytest.mark.django_db

COUNT = 300


def load(**options) -> str:
    out = io.StringIO()
    call_command("bench_load_postings", count=COUNT, employers=20, allow_sqlite=True, stdout=out, **options)
    return out.getvalue()


def bench_postings():
    return JobPosting.objects.filter(employer__in=bench_employers())


def test_loads_postings_of_verified_marked_employers():
    output = load()

    employers = bench_employers()
    assert employers.count() == 20
    assert f"Loaded {COUNT} postings" in output
    for employer in employers:
        assert employer.is_verified
        validate_credit_code(employer.credit_code)
        assert employer.credit_code[8:13] == "BENCH"
    assert bench_postings().count() == COUNT


def test_the_spread_looks_like_a_live_board():
    load()
    postings = bench_postings()
    today = timezone.localdate()
    now = timezone.now()

    public = JobPosting.objects.public().filter(pk__in=postings).count()
    assert 0.65 * COUNT < public < 0.95 * COUNT
    statuses = set(postings.values_list("status", flat=True))
    assert {JobPosting.Status.OPEN, JobPosting.Status.CLOSED, JobPosting.Status.EXPIRED} <= statuses
    assert not postings.filter(status=JobPosting.Status.EXPIRED, open_until__gte=today).exists()
    # Published over the last 90 days; drafts not at all.
    assert not postings.filter(published_at__lt=now - datetime.timedelta(days=91)).exists()
    assert not postings.filter(published_at__gt=now).exists()
    assert postings.filter(published_at__lt=now - datetime.timedelta(days=45)).exists()
    assert not postings.filter(status=JobPosting.Status.DRAFT, published_at__isnull=False).exists()
    # Many occupations and places, the city's counties among them; salaries are ranges that make sense.
    assert postings.values("occupation").distinct().count() >= 10
    assert postings.values("province").distinct().count() >= 3
    assert postings.filter(county__isnull=False).count() > COUNT / 4
    for low, high in postings.values_list("salary_min", "salary_max"):
        assert 1000 <= low <= high <= 200000
    assert postings.filter(housing=True).exists() and postings.filter(housing=False).exists()
    assert (
        postings.filter(min_level__isnull=True).exists() and postings.filter(min_level__isnull=False).exists()
    )


def test_the_same_seed_gives_the_same_dataset():
    load(seed=3)
    first = list(bench_postings().order_by("pk").values_list("title", "salary_min", "status"))
    load(clear=True)
    load(seed=3)
    assert list(bench_postings().order_by("pk").values_list("title", "salary_min", "status")) == first


def test_clear_removes_only_its_own_rows():
    real = JobPostingFactory(employer=VerifiedEmployerFactory(name="BENCH 不是基准测试的公司"))
    other = JobPostingFactory()
    fair = DockingFairFactory(postings=[other])
    kept_employers = set(Employer.objects.values_list("pk", flat=True))
    load()
    fair.postings.add(bench_postings().first())
    fair.employers.add(bench_postings().first().employer)

    output = load(clear=True)

    assert f"Removed {COUNT} benchmark postings and 20 employers" in output
    assert not bench_postings().exists()
    assert set(JobPosting.objects.values_list("pk", flat=True)) == {real.pk, other.pk}
    assert set(Employer.objects.values_list("pk", flat=True)) == kept_employers
    assert list(fair.postings.all()) == [other]
    assert other.employer in fair.employers.all()
    assert not fair.employers.filter(name__startswith="BENCH ").exists()


def test_loading_twice_asks_for_clear_first():
    load()
    with pytest.raises(CommandError, match="--clear"):
        load()
    assert bench_postings().count() == COUNT


def test_clear_keeps_benchmark_postings_workers_applied_to():
    load()
    ApplicationFactory(posting=bench_postings().first())
    with pytest.raises(CommandError, match="applied"):
        load(clear=True)
    assert bench_postings().count() == COUNT


def test_refuses_a_database_other_than_postgresql_without_the_flag(monkeypatch):
    monkeypatch.setattr(bench_load_postings, "connection", SimpleNamespace(vendor="sqlite"))
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench_load_postings", count=10, stdout=io.StringIO())
    assert not bench_postings().exists()


@pytest.mark.parametrize(("option", "value"), [("count", 0), ("employers", 0), ("employers", 10000)])
def test_refuses_counts_out_of_range(option, value):
    with pytest.raises(CommandError):
        call_command("bench_load_postings", allow_sqlite=True, stdout=io.StringIO(), **{option: value})
