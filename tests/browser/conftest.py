"""Browser tests: Playwright (sync API) driving Debian's chromium against pytest-django's `live_server`.

Playwright cannot download its own browsers here, so the system chromium is launched through
`executable_path`. Without it (or without the HTML checker, see page_checks.py) the tests skip, unless
REQUIRE_BROWSER_TESTS=1 (CI), where they fail instead.

Every page a test visits is checked for accessibility (axe-core) and valid HTML (the Nu Html Checker) by the
`page` fixture itself, so a new test cannot forget it; findings fail the test at teardown.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import sent_pages
from tests.browser.page_checks import HtmlCheckerUnavailable, NuHtmlChecker, PageChecks

# Playwright's sync API runs an asyncio event loop in the test thread; Django would otherwise refuse ORM calls
# made from that thread (fixtures, assertions on the database) as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
TIMEOUT_MS = 15_000


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
        pytest.fail(f"REQUIRE_BROWSER_TESTS=1 but {reason}", pytrace=False)
    pytest.skip(reason)


# Module scope: while Playwright runs, its event loop is "running" in this thread; end it with the module.
@pytest.fixture(scope="module")
def browser() -> Iterator:
    path = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        _unavailable(f"no chromium executable at {path} (set CHROMIUM_PATH)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def html_checker() -> Iterator[NuHtmlChecker]:
    try:
        checker = NuHtmlChecker()
    except HtmlCheckerUnavailable as exc:
        _unavailable(f"the HTML checker cannot start: {exc}")
    yield checker
    checker.close()


@pytest.fixture
def page(browser, viewport: str, html_checker: NuHtmlChecker) -> Iterator:
    context = browser.new_context(locale="zh-CN", **VIEWPORTS[viewport])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    checks = PageChecks(page, html_checker)
    with sent_pages.recording() as sent:
        yield page
        checks.wait_for_axe()
    context.close()
    checks.check_sent_html(sent)
    if checks.findings:
        report = "\n".join(["Pages failed the accessibility or HTML checks:", *checks.findings])
        pytest.fail(report, pytrace=False)


@pytest.fixture
def console_errors(page) -> list[str]:
    """Console errors (CSP violations among them), uncaught page errors and reported CSP violations."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    # Init scripts are injected by the browser itself, so the page's own CSP does not block this listener.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return errors


@pytest.fixture
def site(live_server, committed_db) -> str:
    """The live server's base URL, with reference data in place."""
    return live_server.url
