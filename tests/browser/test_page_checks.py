"""The checks every browser test gets (page_checks.py) find what they are for: a serious axe violation on a
page the browser leaves and on the last page, invalid HTML, and the HTML the server sent."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.urls import reverse

from tests.browser import sent_pages
from tests.browser.page_checks import NuHtmlChecker, PageChecks

HEAD = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
# No Content-Security-Policy on these pages, so the inline style applies: #bbb on white is 1.9:1.
PAGES = {
    "/low-contrast": HEAD + '<body><main style="color:#bbb"><h1>Pale heading</h1></main></body></html>',
    "/fine": HEAD + "<body><main><h1>Plain heading</h1></main></body></html>",
}


def test_axe_reports_the_page_left_and_the_last_page_each_once(browser, html_checker: NuHtmlChecker):
    context = browser.new_context()
    page = context.new_page()
    page.route(
        "http://checks.test/**",
        lambda route: route.fulfill(content_type="text/html", body=PAGES[urlparse(route.request.url).path]),
    )
    checks = PageChecks(page, html_checker)  # routed after, so it runs first and falls back to the pages

    page.goto("http://checks.test/low-contrast")
    page.goto("http://checks.test/fine")
    page.goto("http://checks.test/low-contrast")
    checks.wait_for_axe()
    context.close()

    assert [finding.split(":")[0:3] for finding in checks.findings] == [
        ["axe serious on http", "//checks.test/low-contrast", " color-contrast"],
    ] * 2


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("<table><tr><th>a</th><th>b</th></tr><tr><td colspan='3'>none</td></tr></table>", "Table column 3"),
        ("<p><time datetime='2026-12-07T19:52:45.526269+08:00'>today</time></p>", "fraction of a second"),
        ("<span><form method='post'><button>go</button></form></span>", "“form” not allowed"),
    ],
)
def test_the_html_checker_reports_errors(html_checker: NuHtmlChecker, body: str, error: str):
    [message] = html_checker.errors((HEAD + f"<body>{body}</body></html>").encode())

    assert error in message
    assert html_checker.errors(PAGES["/fine"].encode()) == []


@pytest.mark.django_db
def test_the_html_sent_is_recorded_only_while_recording(client):
    client.get(reverse("home"))
    with sent_pages.recording() as sent:
        client.get(reverse("home"))
        client.get(reverse("jobs:search"))
    client.get(reverse("home"))

    assert [(page.method, page.path, page.status) for page in sent] == [
        ("GET", reverse("home"), 200),
        ("GET", reverse("jobs:search"), 200),
    ]
    assert sent[0].html.lower().startswith(b"<!doctype html>")
