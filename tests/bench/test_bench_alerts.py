"""bench_alerts: the job-alert benchmark's command (docs/benchmarks.md, "Job alerts"), on tiny data here. The
benchmark itself is bench/run_alerts_bench.sh; this only shows the command builds marked data, runs the alerts
from the same start each time, prints its figures, fails a missed target and clears exactly its rows."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from bench import alerts as data
from bench.management.commands.bench_alerts import Command
from jobs.models import JobPosting, SavedSearch
from laborbrand.accounts.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


def bench(*args: str) -> str:
    out = io.StringIO()
    call_command(Command(), *args, "--allow-sqlite", stdout=out)
    return out.getvalue()


@pytest.fixture
def tiny():
    output = bench("--build", "--postings", "40", "--searches", "60", "--new", "20")
    assert "built 40 open postings (20 new" in output
    assert "built 12 workers with 60 saved searches" in output
    return output


def test_runs_repeat_from_the_same_start_and_print_the_figures(tiny):
    output = bench("--runs", "2", "--check", "--target-seconds", "600")

    runs = [line for line in output.splitlines() if line.startswith("run ")]
    assert len(runs) == 2
    # Each run starts from the same saved searches, so both find the same.
    assert runs[0].split("s, ", 1)[1].split("; peak")[0] == runs[1].split("s, ", 1)[1].split("; peak")[0]
    for figure in ("queries", "due saved searches", "distinct", "notifications", "e-mails", "peak memory"):
        assert figure in runs[0]
    assert "PASS" in output
    assert Notification.objects.filter(kind=Notification.Kind.JOB_ALERT).exists()


def test_a_missed_target_fails_the_check(tiny):
    with pytest.raises(CommandError, match="Target missed"):
        bench("--check", "--target-seconds", "0")


def test_a_second_build_is_refused_and_a_run_needs_data(db):
    with pytest.raises(CommandError, match="--build first"):
        bench()
    bench("--build", "--postings", "5", "--searches", "5")
    with pytest.raises(CommandError, match="loaded already"):
        bench("--build", "--postings", "5", "--searches", "5")


def test_clear_removes_exactly_the_benchmark_rows(tiny, worker):
    mine = factories.JobPostingFactory()
    SavedSearch.objects.create(worker=worker, name="焊工", query="q=焊工")
    bench("--runs", "1")

    output = bench("--clear")

    assert "removed" in output
    assert not data.bench_workers().exists()
    assert list(JobPosting.objects.all()) == [mine]
    assert SavedSearch.objects.get().worker == worker
