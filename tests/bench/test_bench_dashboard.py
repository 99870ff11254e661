"""bench_dashboard: the city-scale dashboard benchmark's command (docs/benchmarks.md), on a tiny city here.
The benchmark itself is bench/run_dashboard_bench.sh; this only shows the command builds its city over the
year's months, times the figures metric by metric, fetches the two dashboards (stand-ins here, under the
agreed URL names) and notices a page whose queries grow with the brands — and skips the pages, saying so,
while the dashboards are not in the project."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path
from django.utils import timezone

from bench.management.commands.bench_dashboard import Command
from brands.models import Brand
from laborbrand import metrics
from targets.models import Snapshot
from training.models import Enrollment

pytestmark = pytest.mark.django_db


def dashboard(request, year, county=None):
    return HttpResponse(f"{year} {county}")


def dashboard_by_brand(request, year, county=None):
    """A dashboard that counts every brand's figures itself: one query per brand."""
    return HttpResponse(" ".join(str(brand.county.code) for brand in Brand.objects.all()))


def stand_ins(view):
    class Urls:
        urlpatterns = [
            path(
                "targets/",
                include(
                    (
                        [
                            path("<int:year>/", view, name="city"),
                            path("<int:year>/county/<int:county>/", view, name="county"),
                        ],
                        "targets",
                    )
                ),
            )
        ]

    return Urls


class NoDashboards:
    urlpatterns = []


def bench(*args: str) -> str:
    out = io.StringIO()
    call_command(Command(), *args, "--allow-sqlite", stdout=out)
    return out.getvalue()


@pytest.fixture
def tiny_city(city_admin, official_a):
    """The demo's city admin and 金寨县's official, and a city of 60 workers and 30 postings."""
    output = bench("--build", "--workers", "60", "--postings", "30")
    assert "built 60 workers and 30 postings" in output
    return output


MEASURE = ["--repeat", "1", "--extra-brands", "3", "--check", "--target-ms", "60000"]
MEASURE += ["--target-refresh", "600"]


def test_the_city_is_spread_over_this_years_months(tiny_city):
    year = timezone.localdate().year
    completed = Enrollment.objects.completed().filter(worker__email__endswith="@bench.invalid")

    assert completed.exists()
    assert all(moment.year == year for moment in completed.values_list("completed_at", flat=True))
    assert all(moment <= timezone.now() for moment in completed.values_list("completed_at", flat=True))


@override_settings(ROOT_URLCONF=stand_ins(dashboard))
def test_figures_and_pages_are_timed_and_their_queries_counted(tiny_city, official_a):
    output = bench(*MEASURE)

    year = timezone.localdate().year
    assert f"refresh({year}):" in output and "7 counties" in output
    for metric in metrics.defined():
        assert f"    {metric.key:<30}" in output
    assert "take_month(" in output and "(rolled back)" in output
    assert "city     city_admin  " in output and f"/targets/{year}/\n" in output
    assert output.count(f"/targets/{year}/county/{official_a.county_id}/\n") == 2
    for who in ("city_admin", "official_a"):
        assert f"county   {who:<12}" in output
    assert output.count("  same") == 3
    assert "PASS" in output
    # The brands added to count the queries are gone, and so is the month the benchmark froze.
    assert not Brand.objects.filter(slug__startswith="bench-brand-extra-").exists()
    assert Snapshot.objects.kept().count() == 0
    assert Snapshot.objects.filter(kind=Snapshot.Kind.CURRENT, year=year).count() == 1


@override_settings(ROOT_URLCONF=stand_ins(dashboard_by_brand))
def test_a_page_whose_queries_grow_with_the_brands_misses_the_target(tiny_city):
    with pytest.raises(CommandError, match="queries"):
        bench(*MEASURE)


@override_settings(ROOT_URLCONF=stand_ins(dashboard))
def test_a_page_over_the_time_target_fails_the_check(tiny_city):
    with pytest.raises(CommandError, match="Target missed"):
        bench("--repeat", "1", "--extra-brands", "1", "--check", "--target-ms", "0")


@override_settings(ROOT_URLCONF=NoDashboards)
def test_without_the_dashboard_views_the_pages_are_skipped_saying_so(tiny_city):
    output = bench(*MEASURE)

    assert "refresh(" in output
    assert "SKIPPED the pages: reverse('targets:city') does not resolve" in output


def test_a_second_build_is_refused(tiny_city):
    with pytest.raises(CommandError, match="loaded already"):
        bench("--build", "--workers", "1", "--postings", "1")
