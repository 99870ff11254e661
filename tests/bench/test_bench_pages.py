"""bench_pages: the city-scale page benchmark's command (docs/benchmarks.md), run on a tiny city here. The
benchmark itself is bench/run_pages_bench.sh; this only shows the command finds its pages and judges them."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from bench.management.commands.bench_pages import Command, public_pages, role_pages
from tests import factories
from tests.jobs.factories_coop import DockingFairFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_city(personas, brand_a, program_a, employer):
    """The demo accounts' names (the personas) with one record of each kind their pages open."""
    posting = factories.JobPostingFactory(employer=employer.employers.get())
    factories.ApplicationFactory(posting=posting, worker=personas["worker"])
    factories.JobPostingFactory()  # of a verified employer: public
    factories.EnrollmentFactory(program=program_a, completed=True)
    DockingFairFactory()


def bench(*args: str) -> str:
    out = io.StringIO()
    call_command(Command(), *args, stdout=out)
    return out.getvalue()


def test_every_page_of_every_role_answers_and_is_timed(tiny_city):
    output = bench("--repeat", "1", "--check", "--target-ms", "60000")

    pages = public_pages() + role_pages()
    assert {page.who for page in pages} == {None, "worker_a", "employer_a", "institution_a", "official_a",
                                             "city_admin"}  # fmt: skip
    assert "HTTP" not in output  # every page answered 200
    for page in pages:
        assert f"{page.name:<22}" in output and page.path in output
    assert f"{len(pages)} pages; slowest" in output


def test_a_page_over_the_target_fails_the_check(tiny_city):
    with pytest.raises(CommandError, match="Target missed"):
        bench("--repeat", "1", "--check", "--target-ms", "0")


def test_without_check_a_miss_is_only_reported(tiny_city):
    assert "slowest" in bench("--repeat", "1", "--target-ms", "0")


def test_the_public_urls_are_those_wrk_measures(tiny_city, program_a):
    lines = bench("--public-urls").splitlines()
    assert [line.split()[0] for line in lines] == ["home", "search", "job", "brand"]
    assert lines[-1] == "brand " + reverse("brands:brand_detail", args=[program_a.brand.slug])


def test_a_missing_demo_account_is_named(db):
    with pytest.raises(CommandError, match=r"load the demo first|run seed_demo first"):
        bench("--repeat", "1")
