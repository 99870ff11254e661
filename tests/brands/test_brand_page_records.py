"""What the public brand page shows from the other apps' records: the partner institutions (the agreements
filed for the brand), the placements of its members through the job board, and its measurable standards in
words (a certificate level by its name, never "1 = 五级 … 5 = 一级: 2"). No page says a record "will appear"
or is "not recorded yet" where the portal keeps it: every recognition metric has a provider, and "not
recorded" shows only in a deployment without the app that keeps the records."""

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
from tests import factories

pytestmark = pytest.mark.django_db

Measure = BrandStandard.Measure
# With every app installed every figure has its records (a deployment without one says so: brands.figures).
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


def hired_member(brand, *, days_ago=10):
    worker = factories.EnrollmentFactory(program__brand=brand, completed=True).worker
    factories.ApplicationFactory(
        worker=worker,
        status=Application.Status.HIRED,
        status_changed=timezone.now() - datetime.timedelta(days=days_ago),
    )


@pytest.mark.parametrize(("recent", "old", "expected"), [(0, 0, 0), (1, 0, 1), (3, 2, 3)])
def test_the_brand_page_shows_its_placements(client, brand, recent, old, expected):
    for _ in range(recent):
        hired_member(brand)
    for _ in range(old):
        hired_member(brand, days_ago=400)
    factories.ApplicationFactory(status=Application.Status.HIRED)  # a hire of someone who is no member
    content = public_page(client, brand)
    assert f'data-figure="placements"><strong>{expected}</strong>' in content
    assert figures.brand_figure(brand, figures.Metric.PLACEMENTS) == expected


def placements_shown(client, brand) -> str:
    return public_page(client, brand).split('data-figure="placements"><strong>', 1)[1].split("<", 1)[0]


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
        (300, 0, "1", "every 5 minutes"),  # kept: the new hire shows once the counts are renewed
        (300, 299, "1", "every 5 minutes"),
        (300, 301, "2", "every 5 minutes"),
        (60, 61, "2", "every minute"),
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
    if note:
        assert note in content
    else:
        assert "brought up to date" not in content
    # The city's own pages (the recognition criteria) count live.
    assert figures.brand_figure(brand, figures.Metric.PLACEMENTS) == 2


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


def test_without_the_job_board_the_page_says_placements_are_not_recorded(client, brand, monkeypatch):
    monkeypatch.delitem(figures._providers, figures.Metric.PLACEMENTS)  # a deployment without the job board
    placements = public_page(client, brand).split('data-figure="placements">', 1)[1].split("</dd>", 1)[0]
    assert "Not recorded in the portal yet" in placements


def test_every_recognition_metric_has_a_provider():
    """So no page needs to say that the portal does not keep a figure's records yet."""
    brand = factories.CultivatingBrandFactory()
    for metric in RecognitionCriterion.Metric.values:
        assert figures.brand_figure(brand, metric) is not None, metric
    assert figures.brand_membership(brand) is not None


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
