"""Two markup rules templates get wrong with some data or for some role only, checked fast without a
browser (the browser tests validate the pages they visit in full, with the Nu Html Checker):

- every row of every table spans exactly as many columns as the table's first row, on every page of each
  role's menu, with an empty site (each list's empty-state row, whose colspan must follow the columns the
  role is shown) and with one record in each list;
- every `<time datetime>` is a valid HTML date or date and time, also for times with microseconds (what
  `timezone.now()` stores; Django's "c" format prints all six digits, HTML allows three).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from jobs import services as job_services
from tests import factories

pytestmark = pytest.mark.django_db


class TableWidths(HTMLParser):
    """The width (cells, counting colspan) of each row, per table, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[int]] = []
        self._open: list[list[int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._open.append([])
        elif tag == "tr" and self._open:
            self._open[-1].append(0)
        elif tag in ("td", "th") and self._open and self._open[-1]:
            self._open[-1][-1] += int(dict(attrs).get("colspan") or 1)

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._open:
            self.tables.append(self._open.pop())


def uneven_tables(html: str) -> list[list[int]]:
    parser = TableWidths()
    parser.feed(html)
    return [widths for widths in parser.tables if len(set(widths)) > 1]


def menu_paths(html: str) -> list[str]:
    class Links(HTMLParser):
        paths: list[str] = []

        def handle_starttag(self, tag, attrs):
            href = dict(attrs).get("href") or ""
            if tag == "a" and href.startswith("/") and not href.startswith("/static/"):
                self.paths.append(href)

    links = Links()
    links.paths = []
    links.feed(html)
    return list(dict.fromkeys(links.paths))


@pytest.mark.parametrize(
    ("html", "uneven"),
    [
        ("<table><tr><th>a</th><th>b</th></tr><tr><td colspan='2'>none</td></tr></table>", []),
        ("<table><tr><th>a</th><th>b</th></tr><tr><td colspan='3'>none</td></tr></table>", [[2, 3]]),
        ("<table><tr><th>a</th><th>b</th></tr><tr><td>1</td></tr></table>", [[2, 1]]),
        (
            "<table><tr><th>a</th></tr><tr><td><table><tr><td>x</td><td>y</td></tr></table></td></tr></table>",
            [],
        ),
    ],
)
def test_the_table_rule_itself(html: str, uneven: list[list[int]]):
    assert uneven_tables(html) == uneven


def with_one_record_each(personas) -> None:
    """One record in the lists each role sees, so rows other than the empty state are checked too."""
    official, staff, employer_staff = (
        personas["county_official"],
        personas["institution_staff"],
        personas["employer"],
    )
    institution = staff.institutions.get()
    factories.DraftBrandFactory(county=official.county, created_by=official)
    program = factories.TrainingProgramFactory(institution=institution)
    factories.EnrollmentFactory(program=program, worker=personas["worker"])
    posting = factories.JobPostingFactory(employer=employer_staff.employers.get())
    factories.ApplicationFactory(posting=posting, worker=personas["worker"])


@pytest.mark.parametrize("filled", [False, True], ids=["empty", "one record each"])
@pytest.mark.parametrize("role", ["city_admin", "county_official", "institution_staff", "employer", "worker"])
def test_every_table_row_spans_the_tables_columns_on_each_menu_page(client, personas, role, filled):
    if filled:
        with_one_record_each(personas)
    client.force_login(personas[role])
    paths = menu_paths(client.get(reverse("accounts:workbench")).content.decode())
    assert len(paths) > 5

    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert uneven_tables(response.content.decode()) == [], path


# HTML's valid date string, or global date and time string (a time zone offset with or without a colon).
HTML_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2}))?"
)


class TimeValues(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "time" and "datetime" in dict(attrs):
            self.values.append(dict(attrs)["datetime"] or "")


def time_values(html: str) -> list[str]:
    parser = TimeValues()
    parser.feed(html)
    return parser.values


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2026-12-07", True),
        ("2026-12-07T19:52:45+0800", True),
        ("2026-12-07T19:52:45.526+08:00", True),
        ("2026-12-07T19:52:45.526269+08:00", False),
        ("2026-12-07T19:52", False),
        ("", False),
    ],
)
def test_the_datetime_rule_itself(value: str, valid: bool):
    assert bool(HTML_DATETIME.fullmatch(value)) is valid


def test_every_time_element_carries_a_valid_datetime_on_pages_showing_times(client, worker):
    news = factories.BrandNewsFactory(published=True)
    assert news.published_at.microsecond  # as stored by a real publication, not a round demo time
    employer = factories.EmployerStaffFactory()
    posting = factories.JobPostingFactory(employer=factories.VerifiedEmployerFactory(staff=[employer]))
    factories.WorkerProfileFactory(user=worker)
    application = job_services.application_submit(posting=posting, worker=worker, consent=True)
    pages = {
        None: [
            reverse("brands:news_list"),
            reverse("brands:news_detail", args=[news.pk]),
            reverse("brands:brand_detail", args=[news.brand.slug]),
            reverse("jobs:search"),
            reverse("jobs:posting_detail", args=[posting.pk]),
        ],
        worker: [reverse("jobs:my_applications")],
        employer: [reverse("jobs:applicant_detail", args=[application.pk])],
    }

    checked = 0
    for user, paths in pages.items():
        if user:
            client.force_login(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            values = time_values(response.content.decode())
            assert [v for v in values if not HTML_DATETIME.fullmatch(v)] == [], path
            checked += len(values)
    assert checked >= 8
