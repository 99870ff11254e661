"""bench_import: the practitioner import benchmark's command (docs/benchmarks.md, "Practitioner import"), on a
small sheet here. The benchmark itself is bench/run_import_bench.sh (`make bench-import`); this only shows the
command builds marked data, imports the sheet from the same start each run, prints its figures, fails a
missed target and clears exactly its rows."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from bench import practitioners as data
from bench.management.commands.bench_import import Command
from brands.models import Practitioner
from laborbrand.accounts import pii
from laborbrand.accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

ROWS = "60"


def bench(*args: str) -> str:
    out = io.StringIO()
    call_command(Command(), *args, "--rows", ROWS, "--allow-sqlite", stdout=out)
    return out.getvalue()


@pytest.fixture
def built():
    output = bench("--build")
    assert "6 registered workers" in output
    return output


def test_every_row_of_the_sheet_is_valid():
    for n in range(0, 3000, 7):
        pii.validate_id_number(data.id_number(n))
    assert len({data.id_number(n) for n in range(20_000)}) == 20_000


def test_runs_import_from_the_same_start_and_print_the_figures(built):
    output = bench("--runs", "2", "--check", "--target-seconds", "600")

    runs = [line for line in output.splitlines() if line.startswith("run ")]
    assert len(runs) == 2
    # 60 rows: 6 name registered workers (2 on the register as the sheet has them, 2 in another occupation).
    assert runs[0].split(":", 1)[1] == runs[1].split(":", 1)[1]
    assert runs[0].endswith("56 create, 2 unchanged, 2 update")
    for figure in ("validate ", "commit ", "queries", "peak memory", "validate + commit"):
        assert figure in output
    assert "PASS" in output
    brand = data.bench_brand()
    assert brand.practitioners.active().count() == 60
    assert brand.practitioners.filter(worker__registered=False).count() == 54
    assert set(brand.practitioners.values_list("source", flat=True)) >= {Practitioner.Source.IMPORTED}


def test_a_missed_target_fails_the_check(built):
    with pytest.raises(CommandError, match="Target missed"):
        bench("--check", "--target-seconds", "0")


def test_a_second_build_is_refused_and_a_run_needs_data(db):
    with pytest.raises(CommandError, match="--build first"):
        bench()
    bench("--build")
    with pytest.raises(CommandError, match="loaded already"):
        bench("--build")


def test_clear_removes_exactly_the_benchmark_rows(built, official_a, worker):
    brand = factories.CultivatingBrandFactory(county=official_a.county, created_by=official_a)
    mine = factories.PractitionerFactory(brand=brand, worker=worker, created_by=official_a)
    bench("--runs", "1")
    theirs = User.objects.filter(pk__in=data.bench_brand().practitioners.values("worker_id"))
    users = set(
        User.objects.exclude(pk__in=theirs)
        .exclude(pk__in=data.bench_accounts())
        .exclude(username=data.OFFICIAL)
        .values_list("pk", flat=True)
    )

    output = bench("--clear")

    assert "removed" in output
    assert data.bench_brand() is None and data.bench_official() is None
    assert not data.bench_accounts().exists()
    assert list(Practitioner.objects.all()) == [mine]
    assert set(User.objects.values_list("pk", flat=True)) == users
