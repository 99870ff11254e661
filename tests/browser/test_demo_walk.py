"""Every main page of every role, in a real browser, on a desktop and on a phone-width screen: a visitor and
one account of each role open every page of their menu and the workbench, and the public detail pages, once
with the demo data (`seed_demo`: lists full, records in every state) and once on an empty site (every list's
empty state). Each page answers 200; the `page` fixture checks each one for accessibility (axe-core) and valid
HTML, so this walk is what keeps every page of the menu under those checks.

Links are read from the menu itself, so a page added to the menu is walked without changing this test.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page

from brands.models import Brand, BrandNews
from jobs.models import JobPosting
from tests import factories
from tests.browser.helpers import log_in

DEMO_ACCOUNTS = ["city_admin", "official_a", "institution_a", "employer_a", "worker_a", "leader_a"]
# Links of the menu and the footer (the account menu's own pages among them); "#" opens a dropdown.
MENU_LINKS = "#main-nav a[href^='/'], footer a[href^='/']"


def menu_paths(page: Page) -> list[str]:
    hrefs = page.locator(MENU_LINKS).evaluate_all("links => links.map(link => link.getAttribute('href'))")
    return list(dict.fromkeys(hrefs))


def visit(page: Page, site: str, path: str, visited: set[str]) -> None:
    response = page.goto(site + path)
    assert response is not None and response.status == 200, f"{path} answered {response and response.status}"
    visited.add(path)


def public_detail_paths() -> list[str]:
    paths = [reverse("login"), reverse("accounts:register"), reverse("accounts:register_worker")]
    # A recognised brand: its public page shows every section.
    brand = Brand.objects.filter(status=Brand.Status.RECOGNISED).order_by("-pk").first()
    news = BrandNews.objects.public().order_by("pk").first()
    posting = JobPosting.objects.public().order_by("pk").first()
    if brand:
        paths.append(reverse("brands:brand_detail", args=[brand.slug]))
    if news:
        paths.append(reverse("brands:news_detail", args=[news.pk]))
    if posting:
        paths.append(reverse("jobs:posting_detail", args=[posting.pk]))
    return paths


def seed_demo() -> list[str]:
    call_command("seed_demo", "--password", factories.TEST_PASSWORD, stdout=StringIO())
    return DEMO_ACCOUNTS


def create_one_account_per_role() -> list[str]:
    """Accounts with their organisations and nothing else: every list is empty."""
    institution_staff = factories.InstitutionStaffFactory()
    factories.InstitutionFactory(staff=[institution_staff])
    employer_staff = factories.EmployerStaffFactory()
    factories.EmployerFactory(staff=[employer_staff])
    users = [
        factories.CityAdminFactory(),
        factories.OfficialFactory(county=factories.make_county("341524")),
        institution_staff,
        employer_staff,
        factories.WorkerFactory(),
        factories.LeadingGroupMemberFactory(),
    ]
    return [user.username for user in users]


@pytest.fixture(params=[seed_demo, create_one_account_per_role], ids=["demo", "empty"])
def accounts(request, site: str) -> list[str]:
    return request.param()


def test_visitor_and_each_role_open_every_page_of_their_menu(page: Page, site: str, accounts: list[str]):
    visited: set[str] = set()

    page.goto(site + reverse("home"))
    for path in [*menu_paths(page), *public_detail_paths()]:
        visit(page, site, path, visited)
    public = set(visited)

    for username in accounts:
        log_in(page, site, username, reverse("accounts:workbench"))
        for path in menu_paths(page):
            if path not in public:  # the public pages once, each role's own pages for each role
                visit(page, site, path, visited)

    # Each role's own pages were among them (a role whose menu lost its links would pass unnoticed).
    for name in [
        "brands:review_queue",
        "brands:manage_list",
        "training:program_list",
        "jobs:posting_manage_list",
        "jobs:recommended",
    ]:
        assert reverse(name) in visited, name
