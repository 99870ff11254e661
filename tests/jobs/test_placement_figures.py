"""Placement figures of the job board (jobs/figures.py): a docking fair's resulting hires and how many of them
are cross-province, partner regions' progress (the registry's cross-province placements of the year to date,
by the province of the job), fairs still planned, and the recognition criterion "placements in the last 12
months" (brands/figures.py, from the registry)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from brands.figures import Metric, brand_figure
from jobs.figures import (
    cross_province,
    fair_hires,
    fairs_planned,
    with_placements,
    with_resulting_hires,
)
from jobs.models import Application, DockingFair, PartnerRegion
from laborbrand.metrics import Period, Scope, figure
from tests import factories
from tests.jobs.factories_coop import DockingFairFactory, PartnerRegionFactory
from tests.year_to_date import (  # noqa: F401
    FIRST_MINUTES,
    LAST_MINUTES,
    NEW_YEAR,
    definition_shown,
    new_year_morning,
    period_shown,
)

pytestmark = pytest.mark.django_db

Status = Application.Status
TODAY = timezone.localdate()
TZ = timezone.get_current_timezone()


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A moment of a day in the portal's time zone (Asia/Shanghai)."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def hire(posting, when, status=Status.HIRED):
    return factories.ApplicationFactory(posting=posting, status=status, status_changed=when)


@pytest.fixture
def jiangsu():
    return factories.make_province("320000")


@pytest.fixture
def fair_setup(jiangsu):
    """A fair held ten days ago offering a job in 江苏省 and a local job; a third job is not in the fair."""
    held_on = TODAY - datetime.timedelta(days=10)
    away = factories.JobPostingFactory(province=jiangsu, county=None, city_name="苏州市")
    local = factories.JobPostingFactory()
    elsewhere = factories.JobPostingFactory(province=jiangsu, county=None)
    fair = DockingFairFactory(held_on=held_on, postings=[away, local])
    return fair, away, local, elsewhere


# --- Docking fairs ------------------------------------------------------------------------------------------


def test_fair_hires_counts_hires_into_its_postings_from_the_fair_date_on(fair_setup):
    fair, away, local, elsewhere = fair_setup
    day = fair.held_on
    on_the_day = hire(away, at(day, 0, 5))  # just after midnight, Beijing time
    later = hire(local, at(day + datetime.timedelta(days=3)))
    hire(away, at(day - datetime.timedelta(days=1), 23, 55))  # hired the evening before the fair
    hire(elsewhere, at(day + datetime.timedelta(days=1)))  # a posting not offered at the fair
    hire(away, at(day + datetime.timedelta(days=1)), status=Status.OFFERED)  # not (yet) a hire
    hire(local, at(day + datetime.timedelta(days=1)), status=Status.REJECTED)

    assert set(fair_hires(fair)) == {on_the_day, later}


def test_cross_province_share_of_a_fairs_hires(fair_setup):
    fair, away, local, _elsewhere = fair_setup
    after = at(fair.held_on + datetime.timedelta(days=2))
    hire(away, after)
    hire(away, after)
    hire(local, after)

    assert fair_hires(fair).count() == 3
    assert cross_province(fair_hires(fair)).count() == 2


def test_list_annotation_counts_as_fair_hires_does(fair_setup):
    fair, away, local, elsewhere = fair_setup
    hire(away, at(fair.held_on))
    hire(local, at(fair.held_on + datetime.timedelta(days=5)))
    hire(local, at(fair.held_on - datetime.timedelta(days=5)))
    hire(elsewhere, at(fair.held_on + datetime.timedelta(days=1)))
    empty = DockingFairFactory()

    counted = dict(with_resulting_hires(DockingFair.objects.all()).values_list("pk", "resulting_hires"))

    assert counted == {fair.pk: 2, empty.pk: 0}
    assert counted[fair.pk] == fair_hires(fair).count()


def test_a_posting_offered_at_two_fairs_counts_for_each_from_its_own_date(fair_setup):
    first, away, _local, _elsewhere = fair_setup
    second = DockingFairFactory(held_on=first.held_on + datetime.timedelta(days=5), postings=[away])
    hire(away, at(first.held_on + datetime.timedelta(days=1)))
    hire(away, at(second.held_on + datetime.timedelta(days=1)))

    assert (fair_hires(first).count(), fair_hires(second).count()) == (2, 1)
    counted = dict(with_resulting_hires(DockingFair.objects.all()).values_list("pk", "resulting_hires"))
    assert counted == {first.pk: 2, second.pk: 1}


# --- Partner regions: cross-province hires by the province of the job ---------------------------------------


def test_cross_province_hires_are_counted_by_the_province_of_the_job(jiangsu):
    zhejiang = factories.make_province("330000")
    this_year = at(datetime.date(TODAY.year, 1, 1), 0, 0)
    in_jiangsu = factories.JobPostingFactory(province=jiangsu, county=None)
    in_zhejiang = factories.JobPostingFactory(province=zhejiang, county=None)
    local = factories.JobPostingFactory()
    hire(in_jiangsu, this_year)  # the first moment of the year counts
    hire(in_jiangsu, timezone.now())
    hire(in_zhejiang, timezone.now())
    hire(local, timezone.now())  # a local hire is no cross-province placement
    hire(in_jiangsu, this_year - datetime.timedelta(minutes=1))  # last year's
    hire(in_jiangsu, timezone.now(), status=Status.INTERVIEW)
    regions = [
        PartnerRegionFactory(province=province, target_placements=target)
        for province, target in ((jiangsu, 8), (zhejiang, 3), (factories.make_province("440000"), 50))
    ]
    period = Period.year_to_date()

    counted = with_placements(PartnerRegion.objects.filter(pk__in=[r.pk for r in regions]), period)
    by_region = {r.province_id: (r.placements, r.percent) for r in counted}

    assert by_region == {jiangsu.pk: (2, 25), zhejiang.pk: (1, 33), regions[2].province_id: (0, 0)}
    total = sum(placements for placements, _percent in by_region.values())
    assert total == figure("cross_province_placements", Scope.city(), period).value == 3


def test_partner_progress_is_this_years_hires_into_its_province_against_the_target(
    client, city_admin, jiangsu
):
    region = PartnerRegionFactory(province=jiangsu, target_placements=8)
    other = PartnerRegionFactory(province=factories.make_province("440000"), target_placements=50)
    in_jiangsu = factories.JobPostingFactory(province=jiangsu, county=None)
    for _ in range(2):
        hire(in_jiangsu, timezone.now())
    hire(in_jiangsu, at(datetime.date(TODAY.year, 1, 1), 0, 0) - datetime.timedelta(days=3))  # last year's
    hire(factories.JobPostingFactory(), timezone.now())  # local

    client.force_login(city_admin)
    response = client.get(reverse("jobs:partner_list"), HTTP_ACCEPT_LANGUAGE="en")

    shown = {r.pk: (r.placements, r.percent) for r in response.context["page_obj"]}
    assert shown == {region.pk: (2, 25), other.pk: (0, 0)}
    content = response.content.decode()
    assert 'value="2" max="8"' in content
    assert 'value="0" max="50"' in content
    assert definition_shown("cross_province_placements") in content
    assert period_shown(TODAY.year) in content


@pytest.mark.parametrize("hired_at, counted", [(FIRST_MINUTES, 1), (LAST_MINUTES, 0)])
@pytest.mark.usefixtures("new_year_morning")
def test_partner_progress_starts_at_midnight_city_time(
    client,
    city_admin,
    jiangsu,
    hired_at,
    counted,
):
    region = PartnerRegionFactory(province=jiangsu, target_placements=10)
    hire(factories.JobPostingFactory(province=jiangsu, county=None), hired_at)

    client.force_login(city_admin)
    (shown,) = client.get(reverse("jobs:partner_list")).context["page_obj"]

    new_year = Period(datetime.date(NEW_YEAR, 1, 1), datetime.date(NEW_YEAR, 1, 1))
    assert (shown.pk, shown.placements) == (region.pk, counted)
    assert figure("cross_province_placements", Scope.city(), new_year).value == counted


def test_partner_progress_above_the_target_shows_the_true_share(client, city_admin, jiangsu):
    region = PartnerRegionFactory(province=jiangsu, target_placements=1)
    posting = factories.JobPostingFactory(province=jiangsu, county=None)
    hire(posting, timezone.now())
    hire(posting, timezone.now())

    client.force_login(city_admin)
    (shown,) = client.get(reverse("jobs:partner_list")).context["page_obj"]

    assert (shown.pk, shown.placements, shown.percent) == (region.pk, 2, 200)


# --- Fairs still planned (beside the registry's fairs held) -------------------------------------------------


def test_fairs_planned_are_later_this_year_in_the_scope():
    county = factories.make_county("341524")
    day = datetime.date(2026, 6, 1)
    DockingFairFactory(held_on=datetime.date(2026, 6, 2), county=county)
    DockingFairFactory(held_on=datetime.date(2026, 12, 31))  # the city's
    DockingFairFactory(held_on=day)  # today: held, in the registry's count
    DockingFairFactory(held_on=datetime.date(2027, 1, 1))  # next year

    assert fairs_planned(Scope.city(), day) == 2
    assert fairs_planned(Scope.county(county), day) == 1


# --- Members' placements in the last 12 months (the PLACEMENTS recognition criterion) -----------------


@pytest.fixture
def brand():
    return factories.CultivatingBrandFactory(name="金寨数控")


def certified_member(brand):
    assessment = factories.AssessmentFactory(occupation=brand.occupations.get())
    factories.CertificateFactory(assessment=assessment)
    return assessment.worker


def test_a_hired_brand_member_counts_as_a_brand_placement(brand):
    member = certified_member(brand)
    trained = factories.EnrollmentFactory(program__brand=brand, completed=True).worker
    factories.ApplicationFactory(worker=member, status=Status.HIRED)
    factories.ApplicationFactory(worker=trained, status=Status.HIRED)

    assert brand_figure(brand, Metric.PLACEMENTS) == 2


def test_a_hired_non_member_does_not_count(brand):
    certified_member(brand)  # a member, not hired
    factories.ApplicationFactory(status=Status.HIRED)  # hired, not a member
    other_brand = factories.CultivatingBrandFactory(occupations=factories.make_occupations(1, "domestic"))
    factories.ApplicationFactory(worker=certified_member(other_brand), status=Status.HIRED)

    assert brand_figure(brand, Metric.PLACEMENTS) == 0


def test_a_hire_older_than_12_months_does_not_count(brand):
    member = certified_member(brand)
    factories.ApplicationFactory(
        worker=member, status=Status.HIRED, status_changed=timezone.now() - datetime.timedelta(days=366)
    )
    factories.ApplicationFactory(
        worker=member, status=Status.HIRED, status_changed=timezone.now() - datetime.timedelta(days=360)
    )

    assert brand_figure(brand, Metric.PLACEMENTS) == 1


def test_a_members_application_that_is_not_a_hire_does_not_count(brand):
    member = certified_member(brand)
    for status in (Status.SUBMITTED, Status.OFFERED, Status.REJECTED, Status.WITHDRAWN):
        factories.ApplicationFactory(worker=member, status=status)

    assert brand_figure(brand, Metric.PLACEMENTS) == 0
