"""jobs/metrics.py: each metric against a known set of records, for the city, both counties and brands, over
years and months whose boundaries fall between records (31 December 23:59:59 and 1 January 00:00 city time,
the last and first day of a month); the records a metric lists always count to its figure."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from jobs.models import Application, Apprenticeship
from laborbrand import metrics
from laborbrand.metrics import Figure, Period, Scope
from tests import factories
from tests.jobs.factories_coop import DockingFairFactory

pytestmark = pytest.mark.django_db

D = datetime.date
CITY_ZONE = timezone.get_fixed_timezone(8 * 60)  # Asia/Shanghai has no daylight saving time
JOBS_METRICS = (
    "apprenticeships_started",
    "placements",
    "brand_placements",
    "match_success",
    "cross_province_placements",
    "docking_fairs",
)


def at(*args) -> datetime.datetime:
    """A moment in the city's time."""
    return datetime.datetime(*args, tzinfo=CITY_ZONE)


def scopes(world) -> dict[str, Scope]:
    return {
        "city": Scope.city(),
        "county A": Scope.county(world.county_a),
        "county B": Scope.county(world.county_b),
        "brand": Scope.brand(world.brand),
        "other brand": Scope.brand(world.other_brand),
        "draft brand": Scope.brand(world.draft_brand),
    }


def check(key: str, world, cases) -> None:
    """Every case's figure, and the counts of the records the metric lists (and of a rate's base records)
    equal to it; all mismatches are reported together."""
    metric = metrics.get(key)
    wrong = []
    for scope_name, period, expected in cases:
        scope = scopes(world)[scope_name]
        figure = metric.figure(scope, period)
        listed = metric.count(metric.records(scope, period))
        counted = figure.value if metric.base is None else figure.numerator
        base_listed = None if metric.base is None else metric.count(metric.base(scope, period))
        if figure != expected or listed != counted or base_listed != figure.denominator:
            wrong.append((scope_name, period, expected, figure, listed, base_listed))
    assert not wrong


@pytest.fixture
def world(db):
    """Two counties (A 金寨县, B 霍山县) and three brands: `brand` of county A, `other_brand` of county B
    (both in cultivation) and a draft brand of county A, each in its own occupation."""
    x1, x2, x3 = factories.make_occupations(3)
    county_a, county_b = factories.make_county("341524"), factories.make_county("341525")
    return SimpleNamespace(
        county_a=county_a,
        county_b=county_b,
        x1=x1,
        x2=x2,
        x3=x3,
        brand=factories.CultivatingBrandFactory(county=county_a, occupations=[x1]),
        other_brand=factories.CultivatingBrandFactory(county=county_b, occupations=[x2]),
        draft_brand=factories.DraftBrandFactory(county=county_a, occupations=[x3]),
    )


def test_the_jobs_metrics_are_registered_with_a_definition():
    for key in JOBS_METRICS:
        metric = metrics.get(key)
        with translation.override("en"):  # the source text; the catalogue's is shorter in characters
            assert len(str(metric.definition)) > 100
        assert (metric.unit == metrics.PERCENT) == (metric.base is not None)


# --- Apprenticeships ----------------------------------------------------------------------------------------


def test_apprenticeships_started(world):
    inst_a = factories.QualifiedInstitutionFactory(county=world.county_a, occupations=[world.x1, world.x2])
    inst_b = factories.QualifiedInstitutionFactory(county=world.county_b, occupations=[world.x1, world.x2])

    def apprenticeship(institution, occupation, start, **kwargs):
        return factories.ApprenticeshipFactory(
            institution=institution, occupation=occupation, start_date=start, **kwargs
        )

    apprenticeship(inst_a, world.x1, D(2025, 1, 1))
    apprenticeship(inst_a, world.x1, D(2024, 12, 31))
    apprenticeship(inst_b, world.x2, D(2025, 12, 31), status=Apprenticeship.Status.ENDED)
    apprenticeship(inst_a, world.x2, D(2025, 1, 31), status=Apprenticeship.Status.COMPLETED)
    apprenticeship(inst_a, world.x1, D(2025, 2, 1))
    # In the brand's occupation but at county B's institution: not the brand's (it is county A's).
    apprenticeship(inst_b, world.x1, D(2025, 6, 1))
    today = timezone.localdate()
    apprenticeship(inst_a, world.x1, today)
    apprenticeship(inst_a, world.x1, today + datetime.timedelta(days=1))  # not started yet
    soon = Period(today, today + datetime.timedelta(days=30))

    year, january, february, december = (
        Period.year(2025),
        Period.month(2025, 1),
        Period.month(2025, 2),
        Period.month(2025, 12),
    )
    check(
        "apprenticeships_started",
        world,
        [
            ("city", year, Figure(5)),
            ("county A", year, Figure(3)),
            ("county B", year, Figure(2)),
            ("brand", year, Figure(2)),
            ("other brand", year, Figure(1)),
            ("draft brand", year, Figure(0)),
            ("city", january, Figure(2)),
            ("city", february, Figure(1)),
            ("city", december, Figure(1)),
            ("county A", december, Figure(0)),
            ("city", Period.year(2024), Figure(1)),
            ("city", soon, Figure(1)),
            ("brand", soon, Figure(1)),
            ("county B", soon, Figure(0)),
        ],
    )


# --- Hires --------------------------------------------------------------------------------------------------


# Members count as of a period's last day (training/metrics/members.py): the hires' workers became members
# long before the periods the tests look at.
MEMBER_SINCE = datetime.datetime(2020, 1, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture
def hires(world):
    """Workers of county A, county B and nowhere; members of the brands by a passed programme or a valid
    certificate; hires on either side of the boundaries of 2025 and its months, into local, far (江苏省) and
    brand postings. Each application was made ten days before its last step unless said otherwise."""
    a, b = world.county_a, world.county_b

    def worker(county=None):
        if county is None:
            return factories.WorkerFactory()
        return factories.WorkerProfileFactory(home_county=county).user

    def trained(brand, county, passed=True):
        user = worker(county)
        program = factories.TrainingProgramFactory(brand=brand, completed=True)
        scores = {} if passed else {"theory_score": Decimal("50.0"), "passed": False}
        factories.EnrollmentFactory(
            program=program, worker=user, completed=True, completed_at=MEMBER_SINCE, **scores
        )
        return user

    def certified(occupation, county):
        user = worker(county)
        institution = factories.QualifiedInstitutionFactory(occupations=[occupation])
        factories.CertificateFactory(
            assessment__worker=user, assessment__institution=institution, issued_on=MEMBER_SINCE.date()
        )
        return user

    local = factories.JobPostingFactory  # 安徽省, the city's province
    far = lambda **kw: factories.JobPostingFactory(province=factories.make_province("320000"), **kw)  # noqa: E731

    def apply(user, when, posting, status=Application.Status.HIRED, created=None):
        return factories.ApplicationFactory(
            worker=user,
            posting=posting,
            status=status,
            status_changed=when,
            created=created or when - datetime.timedelta(days=10),
        )

    people = SimpleNamespace(
        member_a=trained(world.brand, a),
        member_cert=certified(world.x1, b),  # the brand's (county A) member living in county B
        other_member=trained(world.other_brand, b),
        draft_member=certified(world.x3, a),
        failed_a=trained(world.brand, a, passed=False),  # completed without a pass: not a member
        plain_a=worker(a),
        plain_b=worker(b),
        nobody=worker(),  # no worker profile: the city's only
        applicant_a=worker(a),
        old_applicant=worker(b),
    )
    p = people
    apply(p.member_a, at(2025, 1, 1, 0, 0, 0), local())
    apply(p.plain_a, at(2024, 12, 31, 23, 59, 59), local())
    apply(p.member_cert, at(2025, 12, 31, 23, 59, 59), far())
    apply(p.plain_b, at(2026, 1, 1, 0, 0, 0), far())  # 31 Dec 16:00 UTC: next year in the city
    apply(p.nobody, at(2025, 6, 15, 9), local(brand=world.brand))
    apply(p.plain_a, at(2025, 1, 31, 23, 59, 59), far())
    apply(p.other_member, at(2025, 2, 1, 0, 0, 0), local(brand=world.other_brand))  # member and brand post
    apply(p.plain_b, at(2025, 3, 1, 10), local(), status=Application.Status.OFFERED)
    apply(p.failed_a, at(2025, 3, 10, 10), local())
    apply(p.draft_member, at(2025, 4, 1, 10), local())
    apply(p.applicant_a, at(2025, 5, 15), local(), Application.Status.REJECTED, created=at(2025, 5, 5))
    apply(p.old_applicant, at(2024, 6, 11), local(), Application.Status.REJECTED, created=at(2024, 6, 1))
    return people


YEAR, JANUARY, FEBRUARY, DECEMBER = (
    Period.year(2025),
    Period.month(2025, 1),
    Period.month(2025, 2),
    Period.month(2025, 12),
)


def test_placements_are_hires_by_the_time_of_the_hire(world, hires):
    check(
        "placements",
        world,
        [
            ("city", YEAR, Figure(7)),
            ("county A", YEAR, Figure(4)),
            ("county B", YEAR, Figure(2)),
            ("brand", YEAR, Figure(2)),
            ("other brand", YEAR, Figure(1)),
            ("draft brand", YEAR, Figure(1)),
            ("city", JANUARY, Figure(2)),
            ("county A", JANUARY, Figure(2)),
            ("city", FEBRUARY, Figure(1)),
            ("city", DECEMBER, Figure(1)),
            ("county B", DECEMBER, Figure(1)),
            ("city", Period.year(2024), Figure(1)),
            ("city", Period.year(2026), Figure(1)),
            ("county A", Period.year(2026), Figure(0)),
        ],
    )


def test_brand_placements_are_hires_of_members_or_into_brand_postings(world, hires):
    check(
        "brand_placements",
        world,
        [
            # The city and the counties: brands in cultivation or recognised, not the draft brand.
            ("city", YEAR, Figure(4)),
            ("county A", YEAR, Figure(3)),  # the brand's member living in county B counts for county A
            ("county B", YEAR, Figure(1)),  # a member hired into a brand posting counts once
            ("brand", YEAR, Figure(3)),
            ("other brand", YEAR, Figure(1)),
            ("draft brand", YEAR, Figure(1)),  # a brand's own page counts its members whatever its status
            ("city", JANUARY, Figure(1)),
            ("city", FEBRUARY, Figure(1)),
            ("brand", DECEMBER, Figure(1)),
            ("county B", DECEMBER, Figure(0)),
            ("city", Period.year(2026), Figure(0)),
        ],
    )


def test_cross_province_placements_are_hires_into_jobs_in_another_province(world, hires):
    check(
        "cross_province_placements",
        world,
        [
            ("city", YEAR, Figure(2)),
            ("county A", YEAR, Figure(1)),
            ("county B", YEAR, Figure(1)),
            ("brand", YEAR, Figure(1)),
            ("other brand", YEAR, Figure(0)),
            ("city", JANUARY, Figure(1)),
            ("city", FEBRUARY, Figure(0)),
            ("city", DECEMBER, Figure(1)),
            ("city", Period.year(2026), Figure(1)),
        ],
    )


def test_match_success_is_workers_hired_over_workers_who_applied(world, hires):
    check(
        "match_success",
        world,
        [
            # Hired in 2025: seven workers; applied in 2025 besides: plain_b (offered; hired in 2026) and
            # applicant_a. old_applicant applied in 2024 only.
            ("city", YEAR, Figure(Decimal("77.8"), 7, 9)),
            ("county A", YEAR, Figure(Decimal("80.0"), 4, 5)),
            ("county B", YEAR, Figure(Decimal("66.7"), 2, 3)),
            # member_a applied in December 2024 and was hired on 1 January: among those who applied.
            ("brand", YEAR, Figure(Decimal("100.0"), 2, 2)),
            ("other brand", YEAR, Figure(Decimal("100.0"), 1, 1)),
            ("city", JANUARY, Figure(Decimal("66.7"), 2, 3)),  # other_member applied on 22 January
            ("city", DECEMBER, Figure(Decimal("50.0"), 1, 2)),  # plain_b applied on 22 December
            ("city", Period.year(2024), Figure(Decimal("33.3"), 1, 3)),
            ("county B", Period.year(2024), Figure(Decimal("0.0"), 0, 1)),
            ("city", Period.year(2027), Figure(None, 0, 0)),  # nobody applied: no rate
        ],
    )


def test_a_worker_hired_twice_is_two_placements_and_one_hired_worker(world, hires):
    scope, period = Scope.county(world.county_a), Period.year(2025)
    hires.plain_a.job_applications.create(
        posting=factories.JobPostingFactory(),
        status=Application.Status.HIRED,
        status_changed=at(2025, 9, 1, 10),
        created=at(2025, 8, 1, 10),
        consent_at=at(2025, 8, 1, 10),
        consent_text="同意",
    )
    assert metrics.figure("placements", scope, period) == Figure(5)
    assert metrics.figure("match_success", scope, period) == Figure(Decimal("80.0"), 4, 5)


# --- Docking fairs ------------------------------------------------------------------------------------------


def test_docking_fairs_held(world):
    a, b = world.county_a, world.county_b
    DockingFairFactory(held_on=D(2025, 1, 1))  # the city bureau's
    DockingFairFactory(held_on=D(2024, 12, 31), county=a)
    DockingFairFactory(held_on=D(2025, 12, 31), county=a)
    DockingFairFactory(held_on=D(2025, 2, 1), county=b)
    DockingFairFactory(held_on=D(2025, 1, 31), county=a)
    today = timezone.localdate()
    DockingFairFactory(held_on=today, county=a)
    DockingFairFactory(held_on=today + datetime.timedelta(days=1), county=a)  # planned, not held yet
    soon = Period(today, today + datetime.timedelta(days=30))
    check(
        "docking_fairs",
        world,
        [
            ("city", YEAR, Figure(4)),
            ("county A", YEAR, Figure(2)),
            ("county B", YEAR, Figure(1)),
            ("brand", YEAR, Figure(2)),  # fairs of the brand's county
            ("other brand", YEAR, Figure(1)),
            ("city", JANUARY, Figure(2)),
            ("county A", JANUARY, Figure(1)),
            ("city", FEBRUARY, Figure(1)),
            ("city", DECEMBER, Figure(1)),
            ("city", Period.year(2024), Figure(1)),
            ("city", soon, Figure(1)),
            ("county B", soon, Figure(0)),
        ],
    )


@pytest.mark.parametrize("key", JOBS_METRICS)
def test_a_figure_costs_a_fixed_number_of_queries(world, key, django_assert_max_num_queries):
    """One count per set of records (two for a rate), and the city's province for cross-province
    placements, whatever the scope."""
    for scope in scopes(world).values():
        with django_assert_max_num_queries(2):
            metrics.figure(key, scope, Period.year(2025))
