"""training/metrics/events.py: trainee-times, advanced level, pass rate, certificates issued and partner
agreements filed by the deadline, each against a known set of records for every kind of scope, with the
boundaries of the city's years and months."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation

from laborbrand import metrics
from laborbrand.metrics import Figure, Period, Scope
from laborbrand.reference.models import Occupation
from tests import factories
from tests.factories.training import (
    AssessmentFactory,
    CertificateFactory,
    EnrollmentFactory,
    TrainingProgramFactory,
)
from training.models import Enrollment

pytestmark = pytest.mark.django_db

D = datetime.date
CITY_TIME = zoneinfo.ZoneInfo("Asia/Shanghai")
A, B, C = "341524", "341525", "341522"  # 金寨县, 霍山县, and 霍邱县 with no records


def at(*args) -> datetime.datetime:
    """A moment in the city's time."""
    return datetime.datetime(*args, tzinfo=CITY_TIME)


@pytest.fixture
def world(db):
    """Brands a1 and a2 of county A, b of county B; a2 and b share an occupation."""
    o1, o2, o3 = Occupation.objects.order_by("pk")[:3]
    return {
        "county": {code: factories.make_county(code) for code in (A, B, C)},
        "brand": {
            "a1": factories.CultivatingBrandFactory(county=factories.make_county(A), occupations=[o1]),
            "a2": factories.CultivatingBrandFactory(county=factories.make_county(A), occupations=[o2]),
            "b": factories.CultivatingBrandFactory(county=factories.make_county(B), occupations=[o2]),
        },
        "occupation": {"o1": o1, "o2": o2, "o3": o3},
    }


def scope_of(world, name: str) -> Scope:
    """ "city", "county:<code>" or "brand:<name>"."""
    if name == "city":
        return Scope.city()
    kind, key = name.split(":")
    return Scope.county(world["county"][key]) if kind == "county" else Scope.brand(world["brand"][key])


def counted(metric_key: str, world, scope: str, period: Period, records: dict) -> set[str]:
    """The names of the records the metric counts; its figure must be their number."""
    metric = metrics.get(metric_key)
    queryset = metric.records(scope_of(world, scope), period)
    pks = list(queryset.values_list("pk", flat=True))
    names = {name for name, record in records.items() if record.pk in pks}
    assert len(pks) == len(names)  # nothing counted that is not one of the known records, nor twice
    figure = metric.figure(scope_of(world, scope), period)
    assert (figure.value if metric.base is None else figure.numerator) == queryset.count() == len(names)
    return names


YEAR_2026 = Period.year(2026)

# --- Enrolments: trainee-times, advanced level, pass rate ---------------------------------------------------


def _completed(program, completed_at, *, passed=True, **kwargs) -> Enrollment:
    scores = {"theory_score": Decimal("85.0"), "practical_score": Decimal("80.0" if passed else "59.5")}
    return EnrollmentFactory(
        program=program, completed=True, passed=passed, completed_at=completed_at, **scores, **kwargs
    )


def _program(brand, rank: int, **kwargs):
    return TrainingProgramFactory(
        brand=brand, target_level=factories.make_level(rank), completed=True, **kwargs
    )


@pytest.fixture
def enrollments(world):
    brand = world["brand"]
    a1_level3 = _program(brand["a1"], 3)
    a1_level2 = _program(brand["a1"], 2)
    a2_level4 = _program(brand["a2"], 4)
    # Run by an institution of county A for the brand of county B: the brand decides the county.
    b_level5 = _program(
        brand["b"], 5, institution=factories.QualifiedInstitutionFactory(county=world["county"][A])
    )
    return {
        "previous_year_last_moment": _completed(a1_level3, at(2025, 12, 31, 23, 59, 59)),
        "year_first_moment": _completed(a1_level2, at(2026, 1, 1), passed=False),
        "february_last_moment": _completed(a2_level4, at(2026, 2, 28, 23, 59, 59)),
        "march_first_moment": _completed(a2_level4, at(2026, 3, 1), passed=False),
        "june": _completed(a2_level4, at(2026, 6, 15, 12)),
        "county_b": _completed(b_level5, at(2026, 6, 15, 12)),
        "year_last_moment": _completed(a1_level3, at(2026, 12, 31, 23, 59, 59)),
        "next_year_first_moment": _completed(a1_level3, at(2027, 1, 1)),
        # Not completed: never counted, whatever their dates.
        "accepted": EnrollmentFactory(program=a1_level3, accepted=True, applied_at=at(2026, 5, 1)),
        "withdrawn": EnrollmentFactory(program=a1_level3, withdrawn=True, applied_at=at(2026, 5, 1)),
    }


IN_2026 = {"year_first_moment", "february_last_moment", "march_first_moment", "june", "county_b"}
IN_2026 |= {"year_last_moment"}


@pytest.mark.parametrize(
    ("scope", "period", "expected"),
    [
        ("city", YEAR_2026, IN_2026),
        ("county:" + A, YEAR_2026, IN_2026 - {"county_b"}),
        ("county:" + B, YEAR_2026, {"county_b"}),
        ("county:" + C, YEAR_2026, set()),
        ("brand:a1", YEAR_2026, {"year_first_moment", "year_last_moment"}),
        ("brand:a2", YEAR_2026, {"february_last_moment", "march_first_moment", "june"}),
        ("brand:b", YEAR_2026, {"county_b"}),
        ("city", Period.year(2025), {"previous_year_last_moment"}),
        ("city", Period.year(2027), {"next_year_first_moment"}),
        ("city", Period.month(2026, 1), {"year_first_moment"}),
        ("city", Period.month(2026, 2), {"february_last_moment"}),
        ("city", Period.month(2026, 3), {"march_first_moment"}),
        ("city", Period.month(2026, 12), {"year_last_moment"}),
        ("brand:a1", Period(D(2026, 12, 31), D(2027, 1, 1)), {"year_last_moment", "next_year_first_moment"}),
        ("city", Period.month(2026, 5), set()),
    ],
)
def test_trainee_times(world, enrollments, scope, period, expected):
    assert counted("trainee_times", world, scope, period, enrollments) == expected


@pytest.mark.parametrize(
    ("scope", "period", "expected"),
    [
        # year_first_moment is in a programme to level 2: below 高级工.
        ("city", YEAR_2026, IN_2026 - {"year_first_moment"}),
        ("county:" + A, YEAR_2026, IN_2026 - {"year_first_moment", "county_b"}),
        ("county:" + B, YEAR_2026, {"county_b"}),
        ("county:" + C, YEAR_2026, set()),
        ("brand:a1", YEAR_2026, {"year_last_moment"}),
        ("brand:a2", YEAR_2026, {"february_last_moment", "march_first_moment", "june"}),
        ("city", Period.month(2026, 1), set()),
        ("city", Period.year(2027), {"next_year_first_moment"}),
    ],
)
def test_trainee_times_advanced(world, enrollments, scope, period, expected):
    assert counted("trainee_times_advanced", world, scope, period, enrollments) == expected


@pytest.mark.parametrize(
    ("scope", "period", "figure"),
    [
        # Failed: year_first_moment and march_first_moment.
        ("city", YEAR_2026, Figure(Decimal("66.7"), 4, 6)),
        ("county:" + A, YEAR_2026, Figure(Decimal("60.0"), 3, 5)),
        ("county:" + B, YEAR_2026, Figure(Decimal("100.0"), 1, 1)),
        ("brand:a1", YEAR_2026, Figure(Decimal("50.0"), 1, 2)),
        ("brand:a2", YEAR_2026, Figure(Decimal("66.7"), 2, 3)),
        ("city", Period.month(2026, 1), Figure(Decimal("0.0"), 0, 1)),
        ("city", Period.month(2026, 2), Figure(Decimal("100.0"), 1, 1)),
        ("city", Period(D(2026, 12, 31), D(2027, 1, 1)), Figure(Decimal("100.0"), 2, 2)),
        # No completed enrolment, no rate (the accepted and withdrawn ones of May are not a base).
        ("county:" + C, YEAR_2026, Figure(None, 0, 0)),
        ("city", Period.month(2026, 5), Figure(None, 0, 0)),
    ],
)
def test_pass_rate(world, enrollments, scope, period, figure):
    assert metrics.figure("pass_rate", scope_of(world, scope), period) == figure
    # The base is the trainee-times; the drill-down lists the passed ones among them.
    assert figure.denominator == metrics.figure("trainee_times", scope_of(world, scope), period).value
    completed = counted("trainee_times", world, scope, period, enrollments)
    passed = {name for name in completed if enrollments[name].passed}
    assert counted("pass_rate", world, scope, period, enrollments) == passed


# --- Certificates issued ------------------------------------------------------------------------------------


def _certificate(world, county: str, occupation: str, issued_on: datetime.date, **kwargs):
    institution = factories.QualifiedInstitutionFactory(county=factories.make_county(county))
    assessment = AssessmentFactory(
        institution=institution, occupation=world["occupation"][occupation], assessed_on=issued_on
    )
    return CertificateFactory(assessment=assessment, issued_on=issued_on, **kwargs)


@pytest.fixture
def certificates(world):
    return {
        "previous_year_last_day": _certificate(world, A, "o1", D(2025, 12, 31)),
        "year_first_day": _certificate(world, B, "o2", D(2026, 1, 1)),
        "january_last_day": _certificate(world, A, "o1", D(2026, 1, 31)),
        "february_first_day": _certificate(world, A, "o1", D(2026, 2, 1)),
        "no_brands_occupation": _certificate(world, A, "o3", D(2026, 4, 1)),
        "revoked": _certificate(world, A, "o1", D(2026, 5, 5), revoked=True),
        "year_last_day": _certificate(world, A, "o2", D(2026, 12, 31)),
        "next_year_first_day": _certificate(world, B, "o1", D(2027, 1, 1)),
    }


CERTIFIED_2026 = {"year_first_day", "january_last_day", "february_first_day", "no_brands_occupation"}
CERTIFIED_2026 |= {"year_last_day"}


@pytest.mark.parametrize(
    ("scope", "period", "expected"),
    [
        ("city", YEAR_2026, CERTIFIED_2026),
        ("county:" + A, YEAR_2026, CERTIFIED_2026 - {"year_first_day"}),
        ("county:" + B, YEAR_2026, {"year_first_day"}),
        ("county:" + C, YEAR_2026, set()),
        ("brand:a1", YEAR_2026, {"january_last_day", "february_first_day"}),
        # o2 is shared by a2 (county A) and b (county B): its certificates count for both brands.
        ("brand:a2", YEAR_2026, {"year_first_day", "year_last_day"}),
        ("brand:b", YEAR_2026, {"year_first_day", "year_last_day"}),
        ("city", Period.year(2025), {"previous_year_last_day"}),
        ("city", Period.year(2027), {"next_year_first_day"}),
        ("city", Period.month(2026, 1), {"year_first_day", "january_last_day"}),
        ("city", Period.month(2026, 2), {"february_first_day"}),
        ("city", Period.month(2026, 5), set()),
        ("brand:a1", Period(D(2026, 12, 31), D(2027, 1, 1)), {"next_year_first_day"}),
        ("county:" + B, Period(D(2026, 12, 31), D(2027, 1, 1)), {"next_year_first_day"}),
    ],
)
def test_certificates_issued(world, certificates, scope, period, expected):
    assert counted("certificates_issued", world, scope, period, certificates) == expected


# --- Partner agreements filed by the deadline (30 June in the test settings) --------------------------------


def _agreement(county: str, signed_on, filed_on, brands=()):
    return factories.PartnerAgreementFactory(
        county=factories.make_county(county), signed_on=signed_on, filed_on=filed_on, brands=list(brands)
    )


@pytest.fixture
def agreements(world):
    brand = world["brand"]
    return {
        "previous_year_on_deadline": _agreement(B, D(2025, 2, 1), D(2025, 6, 30)),
        # Filed in January for the year before: late for 2025, and not one of 2026's.
        "previous_year_late": _agreement(A, D(2025, 12, 20), D(2026, 1, 5), [brand["a2"]]),
        "year_first_day": _agreement(B, D(2026, 1, 1), D(2026, 1, 1), [brand["b"]]),
        "two_brands": _agreement(A, D(2026, 5, 1), D(2026, 5, 31), [brand["a1"], brand["a2"]]),
        "on_deadline": _agreement(A, D(2026, 3, 1), D(2026, 6, 30), [brand["a1"]]),
        "day_after_deadline": _agreement(A, D(2026, 3, 1), D(2026, 7, 1), [brand["a1"]]),
        "signed_after_deadline": _agreement(B, D(2026, 9, 1), D(2026, 9, 1), [brand["b"]]),
        "next_year": _agreement(A, D(2027, 1, 1), D(2027, 1, 1)),
    }


FILED_2026 = {"year_first_day", "two_brands", "on_deadline"}


@pytest.mark.parametrize(
    ("scope", "period", "expected"),
    [
        ("city", YEAR_2026, FILED_2026),
        ("county:" + A, YEAR_2026, {"two_brands", "on_deadline"}),
        ("county:" + B, YEAR_2026, {"year_first_day"}),
        ("county:" + C, YEAR_2026, set()),
        ("brand:a1", YEAR_2026, {"two_brands", "on_deadline"}),
        ("brand:a2", YEAR_2026, {"two_brands"}),
        ("brand:b", YEAR_2026, {"year_first_day"}),
        ("city", Period.year(2025), {"previous_year_on_deadline"}),
        ("city", Period.year(2027), {"next_year"}),
        ("city", Period.month(2026, 1), {"year_first_day"}),
        ("city", Period.month(2026, 5), {"two_brands"}),
        ("city", Period.month(2026, 6), {"on_deadline"}),
        # After the deadline nothing more is filed on time.
        ("city", Period.month(2026, 7), set()),
        ("city", Period(D(2026, 7, 1), D(2026, 12, 31)), set()),
        ("city", Period(D(2026, 6, 30), D(2026, 7, 1)), {"on_deadline"}),
        ("city", Period(D(2025, 6, 1), D(2026, 1, 31)), {"previous_year_on_deadline", "year_first_day"}),
        ("city", Period(D(2025, 7, 1), D(2027, 1, 1)), FILED_2026 | {"next_year"}),
    ],
)
def test_agreements_filed_by_deadline(world, agreements, scope, period, expected):
    assert counted("agreements_filed_by_deadline", world, scope, period, agreements) == expected


@override_settings(AGREEMENT_FILING_DEADLINE=(5, 31))
def test_agreements_follow_the_filing_deadline_setting(world, agreements):
    assert counted("agreements_filed_by_deadline", world, "city", YEAR_2026, agreements) == {
        "year_first_day",
        "two_brands",
    }


# --- The definitions ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "unit", "has_base"),
    [
        ("trainee_times", metrics.COUNT, False),
        ("trainee_times_advanced", metrics.COUNT, False),
        ("pass_rate", metrics.PERCENT, True),
        ("certificates_issued", metrics.COUNT, False),
        ("agreements_filed_by_deadline", metrics.COUNT, False),
    ],
)
def test_metrics_are_registered_with_a_definition(key, unit, has_base):
    metric = metrics.get(key)
    assert metric.unit == unit
    assert (metric.base is not None) == has_base
    assert str(metric.name)
    with translation.override("en"):  # the source text; the catalogue's is shorter in characters
        assert len(str(metric.definition)) > 100
