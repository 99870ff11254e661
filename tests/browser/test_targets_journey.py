"""The programme's targets, in a real browser, on a desktop and on a phone-width screen: a city admin sets a
target, opens the city dashboard, drills down from a figure to the records it counts and downloads last
month's report; an official of 金寨县 sees their county and no other; a member of the leading group reads the
dashboards and the report and can change nothing.

Selectors avoid translated text: input names, URLs and form actions.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from targets import snapshots
from targets.models import Target
from tests import factories
from tests.browser.helpers import form_with_action, log_in, submit_form


def last_month() -> tuple[int, int]:
    day = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return day.year, day.month


def make_records(county_a, county_b) -> None:
    """A completed enrolment in a brand programme of each county, so each county's trainee-times is 1."""
    for county in (county_a, county_b):
        brand = factories.CultivatingBrandFactory(county=county)
        factories.EnrollmentFactory(program=factories.TrainingProgramFactory(brand=brand), completed=True)


def test_city_admin_sets_a_target_drills_down_and_downloads_the_report(
    page: Page, site: str, viewport: str, console_errors: list[str]
):
    year = timezone.localdate().year
    admin = factories.CityAdminFactory(username=f"city_admin_{viewport}")
    make_records(factories.make_county("341524"), factories.make_county("341525"))
    report_year, report_month = last_month()
    snapshots.take_month(report_year, report_month)

    # A target set: stored, and the dashboard measures against it.
    plan = reverse("targets:plan", args=[year])
    log_in(page, site, admin.username, plan)
    form = page.locator("main form[method=post]")
    form.locator("input[name='city-trainee_times']").fill("400")
    submit_form(page, form)
    assert Target.objects.get(year=year, metric="trainee_times", county=None).value == Decimal(400)

    dashboard = reverse("targets:city", args=[year])
    page.goto(site + dashboard)
    records = reverse("targets:records", args=[year, "trainee_times"])
    figure = page.locator(f"main a[href='{records}']")
    expect(figure).to_have_text("2")

    # The figure's records: the list counts what the figure counts.
    with page.expect_navigation():
        figure.click()
    expect(page).to_have_url(site + records)
    expect(page.locator("main table tbody tr")).to_have_count(2)

    # Last month's report, and its workbook.
    report = reverse("targets:report", args=[report_year, report_month])
    page.goto(site + reverse("targets:reports") + f"?year={report_year}")
    with page.expect_navigation():
        page.locator(f"main a[href='{report}']").click()
    with page.expect_download() as download:
        page.locator(
            f"main a[href='{reverse('targets:report_export', args=[report_year, report_month])}']"
        ).click()
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert len(workbook.sheetnames) >= 3  # the city, each county, the brands
    assert console_errors == []


def test_official_sees_only_their_county(page: Page, site: str, viewport: str, console_errors: list[str]):
    year = timezone.localdate().year
    own, other = factories.make_county("341524"), factories.make_county("341525")
    official = factories.OfficialFactory(username=f"official_{viewport}", county=own)
    make_records(own, other)
    snapshots.refresh(year)

    own_dashboard = reverse("targets:county", args=[year, own.pk])
    log_in(page, site, official.username, reverse("accounts:workbench"))
    page.goto(site + reverse("targets:home"))
    expect(page).to_have_url(site + own_dashboard)
    expect(page.locator("main h1")).to_contain_text(own.name)
    expect(page.locator("main")).not_to_contain_text(other.name)
    assert console_errors == []

    # The browser logs the refusals below as failed loads: they are the point.
    for elsewhere in (reverse("targets:county", args=[year, other.pk]), reverse("targets:city", args=[year])):
        response = page.goto(site + elsewhere)
        assert response is not None and response.status == 404


def test_leading_group_reads_the_dashboards_and_changes_nothing(
    page: Page, site: str, viewport: str, console_errors: list[str]
):
    year = timezone.localdate().year
    member = factories.LeadingGroupMemberFactory(username=f"leader_{viewport}")
    make_records(factories.make_county("341524"), factories.make_county("341525"))
    report_year, report_month = last_month()
    snapshots.take_month(report_year, report_month)

    dashboard = reverse("targets:city", args=[year])
    log_in(page, site, member.username, dashboard)
    expect(
        page.locator(f"main a[href='{reverse('targets:records', args=[year, 'trainee_times'])}']")
    ).to_have_text("2")
    # Nothing to change: no link to the targets form, no snapshot button, and the form itself refuses.
    expect(page.locator(f"main a[href='{reverse('targets:plan', args=[year])}']")).to_have_count(0)
    page.goto(site + reverse("targets:report", args=[report_year, report_month]))
    expect(form_with_action(page, "targets:snapshot_take")).to_have_count(0)
    assert console_errors == []
    response = page.goto(site + reverse("targets:plan", args=[year]))
    assert response is not None and response.status == 403
    assert not Target.objects.exists()
