"""bench_matching: the nightly-matching benchmark (docs/benchmarks.md), at a tiny size and in-process."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from bench import marks
from bench.management.commands import bench_matching
from brands.models import Brand
from jobs.matching.runs import latest_run
from jobs.models import Application, Employer, JobPosting, MatchRun, Recommendation, WorkerProfile
from laborbrand.accounts.models import User
from laborbrand.reference.models import Occupation, OccupationCategory
from tests import factories
from tests.jobs.factories_matching import RecommendationFactory
from training.models import Certificate, Enrollment, Institution

pytestmark = pytest.mark.django_db

WORKERS, POSTINGS = 200, 40


def bench(**options) -> str:
    out = io.StringIO()
    call_command(
        "bench_matching",
        allow_sqlite=True,
        stdout=out,
        **{"workers": WORKERS, "postings": POSTINGS, **options},
    )
    return out.getvalue()


@pytest.fixture
def others():
    """Rows that are not the benchmark's: a seeking worker with a certificate who applied to a posting, a
    recognised brand with a programme the worker completed."""
    profile = factories.WorkerProfileFactory()
    posting = factories.JobPostingFactory()
    factories.CertificateFactory(assessment__worker=profile.user)
    factories.ApplicationFactory(worker=profile.user, posting=posting)
    factories.EnrollmentFactory(worker=profile.user)
    return profile


def counts() -> dict[str, int]:
    models = (
        User, WorkerProfile, JobPosting, Employer, Application, Certificate, Enrollment, Institution, Brand,
        Occupation, OccupationCategory, MatchRun, Recommendation,
    )  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


def test_the_sweep_builds_runs_reports_and_removes_exactly_its_data(others):
    before = counts()

    output = bench(sweep=True)

    for figure in ("pairs scored", "recommendation rows", "seconds per phase", "pairs/s", "rows written/s"):
        assert figure in output
    assert "peak memory MiB        dispatcher " in output
    assert re.search(r"prune: deleted [\d,]+ rows of run #\d+ in [\d.]+ s", output)
    # One run at each size of the sweep, every one of them with recommendations.
    table = re.findall(r"^\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s", output, re.MULTILINE)
    assert [int(workers) for workers, *_rest in table] == [20 + 1, 100 + 1, WORKERS + 1]
    assert all(int(pairs) > 0 and int(rows) > 0 for _w, _p, pairs, rows in table)
    assert "removed benchmark data" in output
    assert counts() == before
    others.refresh_from_db()


def test_keep_leaves_a_city_of_seeking_workers_and_open_postings_that_clear_removes(others):
    published = RecommendationFactory(worker=others.user)
    before = counts()

    bench(keep=True)

    workers = marks.bench_users().filter(role=User.Role.WORKER)
    assert workers.count() == WORKERS
    profiles = WorkerProfile.objects.filter(user__in=workers)
    assert profiles.filter(seeking=True, personalised=True).count() == WORKERS
    wanted = profiles.annotate(n=Count("desired_occupations")).values_list("n", flat=True)
    assert set(wanted) <= {1, 2, 3} and max(wanted) > 1
    assert profiles.filter(home_county__isnull=True).exists() and profiles.filter(home_county__isnull=False)
    assert profiles.filter(expected_salary__isnull=True).exists()
    assert profiles.filter(accepts_other_province=True).exists()
    levels = set(Certificate.objects.valid().filter(worker__in=workers).values_list("level__rank", flat=True))
    assert len(levels) >= 3 and levels <= {1, 2, 3, 4, 5}
    assert Enrollment.objects.completed().filter(worker__in=workers, passed=True).exists()
    assert Application.objects.filter(worker__in=workers).exists()

    occupations = Occupation.objects.filter(category__in=marks.bench_categories())
    assert occupations.count() == 60 and marks.bench_categories().count() == 20
    postings = JobPosting.objects.public().filter(occupation__in=occupations)
    assert postings.count() == POSTINGS
    assert postings.filter(min_level__isnull=True).exists() and postings.filter(min_level__isnull=False)
    places = set(postings.values_list("province", "city_name", "county"))
    assert 1 < len(places) <= 30
    # The run the benchmark measured is the one the pages show.
    run = latest_run()
    assert run.started_by == marks.bench_admin()
    assert run.workers == WORKERS + 1
    ranks = set(
        Recommendation.objects.filter(run=run, worker__in=workers).values_list("worker_rank", flat=True)
    )
    assert 1 in ranks and max(ranks) <= 20

    output = bench(clear=True)

    assert f"{WORKERS:,} workers" in output and f"{POSTINGS:,} postings" in output
    assert counts() == before
    others.refresh_from_db()
    assert others.desired_occupations.exists()
    # The run published before the benchmark's is the latest again, its recommendations in place.
    assert latest_run() == published.run
    assert Recommendation.objects.get() == published


def test_loading_twice_asks_for_clear_first():
    bench(workers=5, postings=3, keep=True)
    with pytest.raises(CommandError, match="--clear"):
        bench(workers=5, postings=3)
    assert marks.bench_users().filter(role=User.Role.WORKER).count() == 5


def test_refuses_a_database_other_than_postgresql_without_the_flag(monkeypatch):
    monkeypatch.setattr(bench_matching, "connection", SimpleNamespace(vendor="sqlite"))
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench_matching", workers=5, postings=3, stdout=io.StringIO())
    assert not marks.bench_users().exists()
