"""training/metrics/members.py: ethics sessions held, ethics coverage of brand members and the
certificate-holding rate of brand members, each against a known set of records for every scope, with the
boundaries of the year and of a month in city time; the drill-down's count is the figure."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from brands.figures import Metric as BrandMetric
from brands.figures import brand_figure
from brands.models import Practitioner
from laborbrand import metrics
from laborbrand.metrics import Figure, Period, Scope
from tests import factories
from training.membership import membership_counts
from training.metrics.members import uncovered_members
from training.models import Certificate

pytestmark = pytest.mark.django_db

CITY = ZoneInfo("Asia/Shanghai")
D = datetime.date
YEAR = Period.year(2025)
NOVEMBER = Period.month(2025, 11)


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=CITY)


@pytest.fixture
def world():
    """Two cultivating brands in two counties (x in 金寨县, y in 霍山县), a draft brand of 金寨县, each with
    an occupation of its own."""
    county_a, county_b = factories.make_county("341524"), factories.make_county("341525")
    occ_x, occ_y, occ_draft = factories.make_occupations(3)
    return {
        "a": county_a,
        "b": county_b,
        "x": factories.CultivatingBrandFactory(county=county_a, occupations=[occ_x]),
        "y": factories.CultivatingBrandFactory(county=county_b, occupations=[occ_y]),
        "draft": factories.DraftBrandFactory(county=county_a, occupations=[occ_draft]),
        "nobody": factories.RecognisedBrandFactory(county=county_b, occupations=[occ_y]),
    }


def scope_of(world, name) -> Scope:
    if name == "city":
        return Scope.city()
    if name in ("a", "b"):
        return Scope.county(world[name])
    return Scope.brand(world[name])


def check(key, scope, period) -> Figure:
    """The figure, after checking that its records are what it counts."""
    metric = metrics.get(key)
    figure = metric.figure(scope, period)
    counted = figure.value if metric.base is None else figure.numerator
    assert metric.records(scope, period).count() == counted
    if metric.base is not None:
        assert metric.base(scope, period).count() == figure.denominator
    return figure


# --- Ethics sessions held -----------------------------------------------------------------------------------


@pytest.fixture
def sessions(world):
    institution_b = factories.QualifiedInstitutionFactory(county=world["b"])
    x, y = world["x"], world["y"]
    return {
        "new year's day, 金寨县": factories.EthicsSessionFactory(
            held_on=D(2025, 1, 1), county=world["a"], brands=[x]
        ),
        "new year's eve, 霍山 school": factories.EthicsSessionFactory(
            held_on=D(2025, 12, 31), institution=institution_b, brands=[y]
        ),
        "the year before": factories.EthicsSessionFactory(
            held_on=D(2024, 12, 31), county=world["a"], brands=[x]
        ),
        "the year after": factories.EthicsSessionFactory(
            held_on=D(2026, 1, 1), county=world["a"], brands=[x]
        ),
        "30 June, city bureau": factories.EthicsSessionFactory(
            held_on=D(2025, 6, 30), county=None, brands=[x, y]
        ),
        "1 July, 霍山县": factories.EthicsSessionFactory(
            held_on=D(2025, 7, 1), county=world["b"], brands=[y]
        ),
    }


@pytest.mark.parametrize(
    ("scope", "period", "expected"),
    [
        (
            "city",
            YEAR,
            {
                "new year's day, 金寨县",
                "new year's eve, 霍山 school",
                "30 June, city bureau",
                "1 July, 霍山县",
            },
        ),
        ("a", YEAR, {"new year's day, 金寨县"}),
        ("b", YEAR, {"new year's eve, 霍山 school", "1 July, 霍山县"}),
        ("x", YEAR, {"new year's day, 金寨县", "30 June, city bureau"}),
        ("y", YEAR, {"new year's eve, 霍山 school", "30 June, city bureau", "1 July, 霍山县"}),
        ("draft", YEAR, set()),
        ("city", Period.month(2025, 6), {"30 June, city bureau"}),
        ("city", Period.month(2025, 7), {"1 July, 霍山县"}),
        ("city", Period.month(2025, 1), {"new year's day, 金寨县"}),
        ("city", Period.month(2025, 12), {"new year's eve, 霍山 school"}),
        ("a", Period.year(2024), {"the year before"}),
        ("x", Period.year(2026), {"the year after"}),
        ("b", Period(D(2025, 6, 30), D(2025, 7, 1)), {"1 July, 霍山县"}),
    ],
)
def test_ethics_sessions_held(world, sessions, scope, period, expected):
    scope = scope_of(world, scope)
    figure = check("ethics_sessions", scope, period)
    assert figure == Figure(len(expected))
    records = metrics.get("ethics_sessions").records(scope, period)
    assert set(records) == {sessions[name] for name in expected}


# --- Brand members as of the period's end: the base of both rates -----------------------------------------


def passed(brand, completed_at, worker=None, **kwargs):
    program = factories.TrainingProgramFactory(brand=brand, enrolling=True)
    extra = {"worker": worker} if worker else {}
    return factories.EnrollmentFactory(
        program=program, completed=True, completed_at=completed_at, **extra, **kwargs
    )


def certificate(brand, issued_on, worker=None, revoked_at=None):
    occupation = brand.occupations.get()
    institution = factories.QualifiedInstitutionFactory(occupations=[occupation])
    extra = {"assessment__worker": worker} if worker else {}
    if revoked_at:
        extra.update(revoked=True, revoked_at=revoked_at)
    return factories.CertificateFactory(assessment__institution=institution, issued_on=issued_on, **extra)


@pytest.fixture
def workers(world):
    x, y = world["x"], world["y"]
    w = {
        "trained on new year's eve": passed(x, at(2025, 12, 31, 23, 59, 59)).worker,
        "trained on new year's day": passed(x, at(2026, 1, 1)).worker,
        "certified on new year's eve": certificate(x, D(2025, 12, 31)).worker,
        "revoked on new year's eve": certificate(
            x, D(2025, 3, 1), revoked_at=at(2025, 12, 31, 23, 59, 59)
        ).worker,
        "revoked on new year's day": certificate(x, D(2025, 3, 1), revoked_at=at(2026, 1, 1)).worker,
        "trained for y, certified for x": passed(y, at(2025, 5, 1)).worker,
        "draft brand's": certificate(world["draft"], D(2025, 2, 1)).worker,
        "failed": passed(x, at(2025, 5, 1), theory_score=40, passed=False).worker,
    }
    certificate(x, D(2025, 2, 1), worker=w["trained for y, certified for x"])
    return w


MEMBERS_2025_X = {
    "trained on new year's eve",
    "certified on new year's eve",
    "revoked on new year's day",
    "trained for y, certified for x",
}
CERTIFIED_2025_X = MEMBERS_2025_X - {"trained on new year's eve"}

# scope, period, members, of them certified
MEMBERSHIP = [
    ("x", YEAR, MEMBERS_2025_X, CERTIFIED_2025_X),
    ("a", YEAR, MEMBERS_2025_X, CERTIFIED_2025_X),  # the draft brand of the county is not in the programme
    ("city", YEAR, MEMBERS_2025_X, CERTIFIED_2025_X),
    ("y", YEAR, {"trained for y, certified for x"}, set()),
    ("b", YEAR, {"trained for y, certified for x"}, set()),
    ("draft", YEAR, {"draft brand's"}, {"draft brand's"}),
    (
        "x",
        NOVEMBER,
        {"revoked on new year's eve", "revoked on new year's day", "trained for y, certified for x"},
        {"revoked on new year's eve", "revoked on new year's day", "trained for y, certified for x"},
    ),
    (
        "x",
        Period.year(2026),
        {
            "trained on new year's eve",
            "trained on new year's day",
            "certified on new year's eve",
            "trained for y, certified for x",
        },
        {"certified on new year's eve", "trained for y, certified for x"},
    ),
    ("x", Period.year(2024), set(), set()),
    ("nobody", YEAR, set(), set()),
]


@pytest.mark.parametrize(("scope", "period", "members", "certified"), MEMBERSHIP)
def test_certificate_holding_rate(world, workers, scope, period, members, certified):
    scope = scope_of(world, scope)
    figure = check("certificate_holding_rate", scope, period)
    assert figure == Figure(metrics.percent(len(certified), len(members)), len(certified), len(members))
    metric = metrics.get("certificate_holding_rate")
    assert set(metric.base(scope, period)) == {workers[name] for name in members}
    assert set(metric.records(scope, period)) == {workers[name] for name in certified}


def test_the_holding_rates_of_the_table(world, workers):
    x = Scope.brand(world["x"])
    assert metrics.figure("certificate_holding_rate", x, YEAR).value == Decimal("75.0")
    assert metrics.figure("certificate_holding_rate", Scope.brand(world["y"]), YEAR).value == Decimal("0.0")
    assert metrics.figure("certificate_holding_rate", x, Period.year(2024)) == Figure(None, 0, 0)


# --- Ethics coverage of brand members ----------------------------------------------------------------------


@pytest.fixture
def attendance(world, workers):
    factories.EthicsSessionFactory(
        held_on=D(2025, 12, 31),
        county=None,
        brands=[world["x"]],
        attendees=[workers["trained on new year's eve"]],
    )
    factories.EthicsSessionFactory(
        held_on=D(2026, 1, 1),
        county=world["a"],
        brands=[world["x"]],
        attendees=[workers["certified on new year's eve"]],
    )
    # Attended before becoming a member: still covered.
    factories.EthicsSessionFactory(
        held_on=D(2024, 6, 1),
        county=world["b"],
        brands=[world["y"]],
        attendees=[workers["trained for y, certified for x"]],
    )
    # Attended, but never a member of a brand in the programme.
    factories.EthicsSessionFactory(
        held_on=D(2025, 3, 1), brands=[world["x"]], attendees=[workers["failed"], workers["draft brand's"]]
    )
    return {"trained on new year's eve", "trained for y, certified for x"}


@pytest.mark.parametrize(
    ("scope", "period", "covered"),
    [
        ("x", YEAR, {"trained on new year's eve", "trained for y, certified for x"}),
        ("a", YEAR, {"trained on new year's eve", "trained for y, certified for x"}),
        ("city", YEAR, {"trained on new year's eve", "trained for y, certified for x"}),
        ("y", YEAR, {"trained for y, certified for x"}),
        ("b", YEAR, {"trained for y, certified for x"}),
        ("draft", YEAR, {"draft brand's"}),
        ("x", NOVEMBER, {"trained for y, certified for x"}),
        (
            "x",
            Period.year(2026),
            {"trained on new year's eve", "certified on new year's eve", "trained for y, certified for x"},
        ),
        ("x", Period.year(2024), set()),
        ("nobody", YEAR, set()),
    ],
)
def test_ethics_coverage(world, workers, attendance, scope, period, covered):
    members = next(m for s, p, m, _ in MEMBERSHIP if (s, p) == (scope, period))
    scope = scope_of(world, scope)
    figure = check("ethics_coverage", scope, period)
    assert figure == Figure(metrics.percent(len(covered), len(members)), len(covered), len(members))
    assert set(metrics.get("ethics_coverage").records(scope, period)) == {workers[name] for name in covered}
    assert set(uncovered_members(scope, period)) == {workers[name] for name in members - covered}


def test_ethics_coverage_of_the_table(world, workers, attendance):
    x = Scope.brand(world["x"])
    assert metrics.figure("ethics_coverage", x, YEAR).value == Decimal("50.0")
    assert metrics.figure("ethics_coverage", x, Period.year(2026)).value == Decimal("75.0")
    assert metrics.figure("ethics_coverage", Scope.county(world["b"]), YEAR).value == Decimal("100.0")
    assert metrics.figure("ethics_coverage", Scope.brand(world["nobody"]), YEAR) == Figure(None, 0, 0)


# --- The brand pages' figures are the metric's, as of today ------------------------------------------------


def test_the_recognition_figures_are_the_metrics_as_of_today(world):
    x = world["x"]
    today = timezone.localdate()
    for _ in range(2):
        passed(x, timezone.now())
    certificate(x, today)
    # Revoked today: no longer valid today.
    certificate(x, today - datetime.timedelta(days=30), revoked_at=timezone.now())
    assert Certificate.objects.filter(status=Certificate.Status.REVOKED).count() == 1

    figure = metrics.figure("certificate_holding_rate", Scope.brand(x), Period.last_days(365))
    assert figure == Figure(Decimal("33.3"), 1, 3)
    assert brand_figure(x, BrandMetric.CERTIFIED_MEMBERS) == 1
    assert brand_figure(x, BrandMetric.CERTIFICATE_RATE) == 33
    assert membership_counts(x) == {"members": 3, "registered": 0, "trained": 2, "certified": 1}


def test_a_session_recorded_for_a_later_day_is_not_held_yet(world):
    today = timezone.localdate()
    trainee = passed(world["x"], timezone.now()).worker
    this_year, brand = Period.year(today.year), Scope.brand(world["x"])
    factories.EthicsSessionFactory(
        held_on=today + datetime.timedelta(days=1),
        county=world["a"],
        brands=[world["x"]],
        attendees=[trainee],
    )
    assert check("ethics_sessions", Scope.county(world["a"]), Period.last_days(1)) == Figure(0)
    assert check("ethics_coverage", brand, Period(today, today + datetime.timedelta(days=1))) == Figure(
        Decimal("0.0"), 0, 1
    )
    factories.EthicsSessionFactory(held_on=today, county=world["a"], brands=[world["x"]], attendees=[trainee])
    assert check("ethics_sessions", brand, Period.last_days(1)) == Figure(1)
    assert check("ethics_coverage", brand, this_year) == Figure(Decimal("100.0"), 1, 1)


# --- Practitioners on a brand's register (issue 16): members from the day registered until removed ---------


def on_register(brand, name, registered, removed=None):
    """A practitioner of `brand` registered at `registered` (and removed at `removed`)."""
    entry = factories.PractitionerFactory(brand=brand, worker=factories.WorkerFactory(real_name=name))
    Practitioner.objects.filter(pk=entry.pk).update(
        created=registered,
        removed_at=removed,
        removed_by=entry.created_by if removed else None,
        removal_reason="已转行" if removed else "",
    )
    return entry.worker


@pytest.fixture
def practitioners(world):
    x = world["x"]
    p = {
        "registered 31 Oct, certified": on_register(x, "甲", at(2025, 10, 31, 23, 59, 59)),
        "registered 1 Nov": on_register(x, "乙", at(2025, 11, 1)),
        "registered 30 Nov 23:59:59": on_register(x, "丙", at(2025, 11, 30, 23, 59, 59)),
        "registered 1 Dec": on_register(x, "丁", at(2025, 12, 1)),
        "removed 30 Nov": on_register(x, "戊", at(2025, 6, 1), removed=at(2025, 11, 30, 12)),
        "removed 1 Dec": on_register(x, "己", at(2025, 6, 1), removed=at(2025, 12, 1)),
        "on y's register": on_register(world["y"], "庚", at(2025, 6, 1)),
        "on the draft's register": on_register(world["draft"], "辛", at(2025, 6, 1)),
    }
    certificate(x, D(2025, 1, 1), worker=p["registered 31 Oct, certified"])
    # Also trained under x: still one member.
    passed(x, at(2025, 3, 1), worker=p["registered 1 Nov"])
    return p


OCTOBER = Period.month(2025, 10)
REGISTERED = [
    # scope, period, members, of them certified. "Registered 31 Oct, certified" holds a certificate from
    # January and "registered 1 Nov" passed a programme in March: members before they were registered.
    (
        "x",
        OCTOBER,
        {"registered 31 Oct, certified", "registered 1 Nov", "removed 30 Nov", "removed 1 Dec"},
        {"registered 31 Oct, certified"},
    ),
    (
        "x",
        NOVEMBER,
        {"registered 31 Oct, certified", "registered 1 Nov", "registered 30 Nov 23:59:59", "removed 1 Dec"},
        {"registered 31 Oct, certified"},
    ),
    (
        "x",
        Period.month(2025, 12),
        {
            "registered 31 Oct, certified",
            "registered 1 Nov",
            "registered 30 Nov 23:59:59",
            "registered 1 Dec",
        },
        {"registered 31 Oct, certified"},
    ),
    (
        "x",
        Period.month(2025, 5),
        {"registered 31 Oct, certified", "registered 1 Nov"},
        {"registered 31 Oct, certified"},
    ),
    (
        "a",
        NOVEMBER,
        {"registered 31 Oct, certified", "registered 1 Nov", "registered 30 Nov 23:59:59", "removed 1 Dec"},
        {"registered 31 Oct, certified"},
    ),
    ("y", NOVEMBER, {"on y's register"}, set()),
    ("b", NOVEMBER, {"on y's register"}, set()),
    ("draft", NOVEMBER, {"on the draft's register"}, set()),
    (
        "city",
        NOVEMBER,
        {
            "registered 31 Oct, certified",
            "registered 1 Nov",
            "registered 30 Nov 23:59:59",
            "removed 1 Dec",
            "on y's register",
        },
        {"registered 31 Oct, certified"},
    ),
]


@pytest.mark.parametrize(("scope", "period", "members", "certified"), REGISTERED)
def test_practitioners_count_from_registration_until_removal(
    world, practitioners, scope, period, members, certified
):
    scope = scope_of(world, scope)

    figure = check("certificate_holding_rate", scope, period)

    assert figure == Figure(metrics.percent(len(certified), len(members)), len(certified), len(members))
    metric = metrics.get("certificate_holding_rate")
    assert set(metric.base(scope, period)) == {practitioners[name] for name in members}
    assert set(metric.records(scope, period)) == {practitioners[name] for name in certified}


def test_a_practitioner_without_a_certificate_lowers_the_rate_and_removal_raises_it(world, official_a):
    x = world["x"]
    holder = on_register(x, "甲", at(2025, 6, 1))
    certificate(x, D(2025, 1, 1), worker=holder)
    today = Period(D(2025, 1, 1), timezone.localdate())
    assert metrics.figure("certificate_holding_rate", Scope.brand(x), today).value == Decimal("100.0")

    entry = factories.PractitionerFactory(brand=x, created_by=factories.OfficialFactory(county=x.county))
    assert metrics.figure("certificate_holding_rate", Scope.brand(x), today) == Figure(Decimal("50.0"), 1, 2)

    Practitioner.objects.filter(pk=entry.pk).update(
        removed_at=timezone.now(), removed_by=entry.created_by, removal_reason="已转行"
    )
    assert metrics.figure("certificate_holding_rate", Scope.brand(x), today).value == Decimal("100.0")
    # The months before the removal keep it.
    assert metrics.figure("certificate_holding_rate", Scope.brand(x), NOVEMBER).denominator == 1


def test_ethics_coverage_counts_practitioners(world, practitioners):
    factories.EthicsSessionFactory(
        held_on=D(2025, 11, 15),
        county=world["a"],
        brands=[world["x"]],
        attendees=[practitioners["registered 1 Nov"], practitioners["removed 30 Nov"]],
    )
    x = Scope.brand(world["x"])

    # November: four members (removed 30 Nov is gone by the month's end), one of them covered.
    assert check("ethics_coverage", x, NOVEMBER) == Figure(Decimal("25.0"), 1, 4)
    # October: the session is not held yet.
    assert check("ethics_coverage", x, OCTOBER) == Figure(Decimal("0.0"), 0, 4)
    assert set(uncovered_members(x, NOVEMBER)) == {
        practitioners[name]
        for name in ("registered 31 Oct, certified", "registered 30 Nov 23:59:59", "removed 1 Dec")
    }
