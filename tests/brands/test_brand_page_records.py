"""What the public brand page shows from the other apps' records: the partner institutions (the agreements
filed for the brand), its figures for the year to date from the registry (trainee-times, certificate-holding
rate, brand placements: each equal to `laborbrand.metrics.figure` for the brand and the year to date in city
time, with its definition), and its measurable standards in words (a certificate level by its name, never
"1 = 五级 … 5 = 一级: 2"). No page says a record "will appear" or is "not recorded yet": every figure comes
from the registry."""

import datetime
import time

import pytest
from django.core.cache.backends import base as cache_base
from django.core.cache.backends import locmem
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brands import figures
from brands.models import BrandStandard, RecognitionCriterion
from jobs.models import Application
from laborbrand.metrics import Period, Scope, figure
from tests import factories
from tests.year_to_date import (  # noqa: F401
    FIRST_MINUTES,
    LAST_MINUTES,
    NEW_YEAR,
    city_moment,
    definition_shown,
    new_year_morning,
    period_shown,
)

pytestmark = pytest.mark.django_db

Measure = BrandStandard.Measure
# Every figure comes from the registry: no page says the portal does not keep its records.
STALE = ("Will appear once", "Not recorded in the portal yet", "1 = ")


@pytest.fixture
def brand(official_a):
    return factories.CultivatingBrandFactory(name="金寨红嫂家政", county=official_a.county, standards=False)


def public_page(client, brand, language="en"):
    response = client.get(reverse("brands:brand_detail", args=[brand.slug]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def section(content: str, marker: str) -> str:
    return content.split(marker, 1)[1].split("</section>", 1)[0]


# --- Partner institutions -----------------------------------------------------------------------------------


def test_the_partner_institutions_are_those_of_the_agreements_filed_for_the_brand(client, brand):
    this_year = timezone.localdate().replace(month=3, day=1)
    school = factories.QualifiedInstitutionFactory(name="金寨县职业技术学校")
    centre = factories.QualifiedInstitutionFactory(name="六安家政培训中心")
    other = factories.QualifiedInstitutionFactory(name="只为别的品牌培训的学校")
    factories.PartnerAgreementFactory(institution=school, brands=[brand])
    factories.PartnerAgreementFactory(
        institution=school, brands=[brand], signed_on=this_year, filed_on=this_year
    )  # renewed: listed once, with the latest agreement
    factories.PartnerAgreementFactory(institution=centre, brands=[brand, factories.CultivatingBrandFactory()])
    factories.PartnerAgreementFactory(institution=other, brands=[factories.CultivatingBrandFactory()])
    factories.PartnerAgreementFactory(institution=other)  # an agreement naming no brand

    partners = section(public_page(client, brand), "data-partners")
    assert partners.count("data-partner=") == 2
    assert school.name in partners and centre.name in partners
    assert other.name not in partners
    assert f"agreement signed {this_year:%Y-%m-%d}" in partners
    assert partners.index(school.name) < partners.index(centre.name)  # latest agreement first


@pytest.mark.parametrize(("trait", "flagged"), [("qualified", False), ("suspended", True), ("expired", True)])
def test_a_partner_whose_admission_is_not_current_is_marked(client, brand, trait, flagged):
    institution = factories.InstitutionFactory(**{trait: True})
    factories.PartnerAgreementFactory(institution=institution, brands=[brand])
    partners = section(public_page(client, brand), "data-partners")
    assert institution.name in partners
    assert ("Admission not current" in partners) is flagged


def test_a_brand_without_agreements_says_so(client, brand):
    assert "No partner agreement has been filed for this brand yet." in public_page(client, brand)


def test_more_partners_cost_no_more_queries(client, brand):
    factories.PartnerAgreementFactory(brands=[brand])
    public_page(client, brand)  # reference rows cached
    with CaptureQueriesContext(connection) as one:
        public_page(client, brand)
    for _ in range(5):
        factories.PartnerAgreementFactory(brands=[brand])
    with CaptureQueriesContext(connection) as six:
        public_page(client, brand)
    assert len(six) == len(one)


# --- Placements ---------------------------------------------------------------------------------------------


def hired_member(brand, *, when=None):
    worker = factories.EnrollmentFactory(program__brand=brand, completed=True).worker
    factories.ApplicationFactory(
        worker=worker, status=Application.Status.HIRED, status_changed=when or timezone.now()
    )


def shown(content: str, name: str) -> str:
    """The number a page shows for `data-figure="<name>"`."""
    return content.split(f'data-figure="{name}">', 1)[1].split("<strong>", 1)[1].split("</strong>", 1)[0]


@pytest.mark.parametrize(("this_year", "last_year", "expected"), [(0, 0, 0), (1, 0, 1), (3, 2, 3)])
def test_the_brand_page_shows_the_years_brand_placements(client, brand, this_year, last_year, expected):
    for _ in range(this_year):
        hired_member(brand)
    for _ in range(last_year):
        hired_member(brand, when=city_moment(timezone.localdate().year - 1, 6, 1))
    factories.ApplicationFactory(status=Application.Status.HIRED)  # a hire of someone who is no member
    content = public_page(client, brand)
    assert shown(content, "placements") == str(expected)
    assert figure("brand_placements", Scope.brand(brand), Period.year_to_date()).value == expected
    assert definition_shown("brand_placements") in content
    assert period_shown(timezone.localdate().year) in content


def test_a_hire_into_a_job_naming_the_brand_is_a_brand_placement(client, brand):
    factories.ApplicationFactory(
        status=Application.Status.HIRED, posting=factories.JobPostingFactory(brand=brand)
    )
    assert shown(public_page(client, brand), "placements") == "1"


def test_every_figure_of_the_page_is_the_registrys_for_the_year_to_date(client, brand):
    hired_member(brand)
    factories.EnrollmentFactory(program__brand=brand, completed=True)
    content = public_page(client, brand)
    period = Period.year_to_date()
    trainees = figure("trainee_times", Scope.brand(brand), period)
    holding = figure("certificate_holding_rate", Scope.brand(brand), period)
    assert shown(content, "trained") == str(trainees.value) == "2"
    assert shown(content, "certificate-holding") == f"{holding.value}%"
    assert f"{holding.numerator} of {holding.denominator} brand members hold a valid certificate" in content
    for key in figures.BRAND_PAGE_METRICS:
        assert definition_shown(key) in content


@pytest.mark.parametrize(("moment", "counted"), [(FIRST_MINUTES, "1"), (LAST_MINUTES, "0")])
@pytest.mark.usefixtures("new_year_morning")
def test_the_pages_year_starts_at_midnight_city_time(client, brand, moment, counted):
    """At 00:10 on 1 January (city time; still 31 December in UTC) the page counts the new year's first
    minutes and not the old year's last."""
    hired_member(brand, when=moment)
    factories.EnrollmentFactory(program__brand=brand, completed=True, completed_at=moment)
    content = public_page(client, brand)
    new_year = Period(datetime.date(NEW_YEAR, 1, 1), datetime.date(NEW_YEAR, 1, 1))
    assert shown(content, "placements") == str(figure("brand_placements", Scope.brand(brand), new_year).value)
    assert shown(content, "trained") == str(figure("trainee_times", Scope.brand(brand), new_year).value)
    assert (shown(content, "placements"), shown(content, "trained")) == (counted, counted)
    assert period_shown(NEW_YEAR) in content


def placements_shown(client, brand) -> str:
    return shown(public_page(client, brand), "placements")


class Clock:
    """The cache's clock, moved on by hand."""

    def __init__(self):
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def cache_clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(locmem, "time", clock)
    monkeypatch.setattr(cache_base, "time", clock)
    return clock


@pytest.mark.parametrize(
    ("seconds", "after", "shown", "note"),
    [
        (300, 0, "1", "up to date every 5 minutes"),  # kept: the new hire shows once the counts are renewed
        (300, 299, "1", "up to date every 5 minutes"),
        (300, 301, "2", "up to date every 5 minutes"),
        (60, 61, "2", "up to date every minute"),
        (0, 0, "2", None),  # 0: counted on every visit, and the page says nothing about it
    ],
)
def test_the_public_page_keeps_its_counts_for_the_set_time(
    client, brand, settings, cache_clock, seconds, after, shown, note
):
    settings.BRAND_PAGE_FIGURES_SECONDS = seconds
    hired_member(brand)
    assert placements_shown(client, brand) == "1"
    hired_member(brand)
    cache_clock.offset = after

    assert placements_shown(client, brand) == shown
    content = public_page(client, brand)
    # The note says both: the period counted and how fresh the counts are.
    assert period_shown(timezone.localdate().year) in content
    if note:
        assert note in content
    else:
        assert "brought up to date" not in content
        assert "counted live" in content
    # The city's own pages (the recognition criteria) count live.
    assert figures.brand_figure(brand, figures.Metric.PLACEMENTS) == 2


def test_a_count_kept_on_31_december_is_not_shown_on_1_january(client, brand, settings, monkeypatch):
    """The kept counts are the day's: two minutes into the new year (city time) the page counts afresh."""
    settings.BRAND_PAGE_FIGURES_SECONDS = 300
    hired_member(brand, when=city_moment(NEW_YEAR - 1, 12, 31, 23, 50))
    monkeypatch.setattr(timezone, "now", lambda: city_moment(NEW_YEAR - 1, 12, 31, 23, 58))
    assert placements_shown(client, brand) == "1"
    monkeypatch.setattr(timezone, "now", lambda: city_moment(NEW_YEAR, 1, 1, 0, 2))

    content = public_page(client, brand)

    assert shown(content, "placements") == "0"
    assert period_shown(NEW_YEAR) in content


def test_a_stopped_cache_leaves_the_counts_live(client, brand, settings):
    settings.BRAND_PAGE_FIGURES_SECONDS = 300
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    hired_member(brand)
    assert placements_shown(client, brand) == "1"
    hired_member(brand)
    assert placements_shown(client, brand) == "2"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_stale_not_kept_yet_text_on_the_brand_pages(client, city_admin, brand, language):
    factories.add_measured_standards(brand, months=3, share=60, level=2)
    pages = [public_page(client, brand, language)]
    client.force_login(city_admin)
    for name in ("brands:manage_detail", "brands:review_detail"):
        response = client.get(reverse(name, args=[brand.pk]), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        pages.append(response.content.decode())
    for content in pages:
        for text in (*STALE, "最低证书等级（1"):
            assert text not in content


def test_every_recognition_criterion_has_a_figure():
    """So no page needs to say that the portal does not keep a figure's records yet."""
    brand = factories.CultivatingBrandFactory()
    for metric in RecognitionCriterion.Metric.values:
        assert isinstance(figures.brand_figure(brand, metric), int), metric


# --- Measurable standards in words --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "target", "words"),
    [
        (Measure.MIN_TRAINING_MONTHS, 1, "Minimum training length: <strong>1 month</strong>"),
        (Measure.MIN_TRAINING_MONTHS, 3, "Minimum training length: <strong>3 months</strong>"),
        (
            Measure.MIN_PRACTICAL_SHARE,
            60,
            "Minimum share of practical hours: <strong>60% of all hours</strong>",
        ),
        (
            Measure.MIN_CERTIFICATE_LEVEL,
            1,
            "Minimum certificate level: <strong>五级/初级工 or above</strong>",
        ),
        (
            Measure.MIN_CERTIFICATE_LEVEL,
            2,
            "Minimum certificate level: <strong>四级/中级工 or above</strong>",
        ),
        (
            Measure.MIN_CERTIFICATE_LEVEL,
            5,
            "Minimum certificate level: <strong>一级/高级技师 or above</strong>",
        ),
        (Measure.MIN_ETHICS_HOURS, 1, "Minimum professional-ethics training: <strong>1 hour</strong>"),
        (Measure.MIN_ETHICS_HOURS, 8, "Minimum professional-ethics training: <strong>8 hours</strong>"),
    ],
)
def test_a_measurable_standard_reads_in_words_on_every_brand_page(
    client, city_admin, official_a, brand, measure, target, words
):
    factories.BrandStandardFactory(brand=brand, measure=measure, target=target)
    pages = [public_page(client, brand)]
    for user, name in ((official_a, "brands:manage_detail"), (city_admin, "brands:review_detail")):
        client.force_login(user)
        pages.append(client.get(reverse(name, args=[brand.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    for content in pages:
        shown = content.split(f'data-standard-target="{measure}">', 1)[1].split("</div>", 1)[0]
        assert shown == words
