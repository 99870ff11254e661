"""Every page a browser test visits is checked twice, without the test asking:

- accessibility: axe-core (bundled by axe-playwright-python) runs in every page the browser loads, once it has
  loaded; the browser does not leave a page (nor the test end) before axe has reported on it. Violations of
  serious or critical impact fail;
- HTML: the Nu Html Checker (vnu.jar from the npm package vnu-jar, run with Java as a local HTTP service)
  validates every HTML response the live server sent; errors fail, warnings do not.

axe arrives as a Playwright init script and reports through an exposed binding: the DevTools protocol runs
both outside the page's Content-Security-Policy, so the site's policy (no inline scripts) stays as in
production.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from playwright.sync_api import Page, Route

from tests.browser.sent_pages import SentPage

FAILING_IMPACTS = {"serious", "critical"}
VNU_JAR = Path(os.environ.get("VNU_JAR") or settings.BASE_DIR / "node_modules/vnu-jar/build/dist/vnu.jar")
VNU_START_TIMEOUT_S = 90
AXE_TIMEOUT_S = 30
# Once the document has loaded, in the top frame of HTML documents only (not in a downloaded file's view).
AXE_ON_LOAD = """
(() => {
  if (window !== window.top || document.contentType !== "text/html") return;
  const documentId = Math.random().toString(36).slice(2);
  window.__pageChecksStarted(documentId);
  window.addEventListener("load", () => {
    axe.run(document, {resultTypes: ["violations"]})
      .then(results => window.__pageChecksDone(documentId, location.href, results.violations, ""))
      .catch(error => window.__pageChecksDone(documentId, location.href, null, String(error)));
  });
})();
"""


class HtmlCheckerUnavailable(Exception):
    pass


class NuHtmlChecker:
    """The Nu Html Checker's web service on a free local port, started once per test session (the JVM takes
    several seconds to load its schemas; a page then takes milliseconds)."""

    def __init__(self) -> None:
        java = shutil.which("java")
        if java is None:
            raise HtmlCheckerUnavailable("no java on PATH (the HTML checker vnu.jar needs Java 11+)")
        if not VNU_JAR.is_file():
            raise HtmlCheckerUnavailable(f"no {VNU_JAR} (run `npm ci` in the project root)")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/?out=json"
        self.process = subprocess.Popen(
            [
                java,
                "-Xss4m",  # the schema's deep patterns overflow the default stack
                "-Xmx512m",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + VNU_START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HtmlCheckerUnavailable(f"vnu.jar exited with {self.process.returncode}")
            try:
                self.messages(b"<!doctype html><html lang=en><title>t</title></html>")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        self.close()
        raise HtmlCheckerUnavailable(f"vnu.jar did not answer within {VNU_START_TIMEOUT_S} s")

    def messages(self, html: bytes) -> list[dict]:
        request = urllib.request.Request(  # noqa: S310 - a local http URL built above
            self.url, data=html, headers={"Content-Type": "text/html; charset=utf-8"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return json.load(response)["messages"]

    def errors(self, html: bytes) -> list[str]:
        return [
            f"line {m.get('lastLine', '?')}: {m['message']} [{m.get('extract', '').strip()}]"
            for m in self.messages(html)
            if m["type"] in {"error", "non-document-error"}
        ]

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class PageChecks:
    """Attached to a fresh page, before its first navigation."""

    def __init__(self, page: Page, html_checker: NuHtmlChecker) -> None:
        self.page = page
        self.html_checker = html_checker
        self.findings: list[str] = []
        self._unreported: set[str] = set()
        page.expose_binding("__pageChecksStarted", self._axe_started)
        page.expose_binding("__pageChecksDone", self._axe_done)
        page.add_init_script(AXE_SCRIPT + "\n" + AXE_ON_LOAD)
        # Static files never replace the document; everything else might (links, forms, redirects, goto).
        page.route(lambda url: "/static/" not in url, self._before_request)

    def _axe_started(self, _source, document: str) -> None:
        # One top-level document at a time: a document still unreported when the next one starts was left
        # before it finished loading (a goto during a redirect), so nobody saw it and axe never will.
        self._unreported = {document}

    def _axe_done(self, _source, document: str, url: str, violations: list[dict] | None, error: str) -> None:
        self._unreported.discard(document)
        if violations is None:
            self.findings.append(f"axe could not check {url}: {error}")
            return
        for violation in violations:
            if violation["impact"] in FAILING_IMPACTS:
                targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"])
                self.findings.append(
                    f"axe {violation['impact']} on {url}: {violation['id']}: {violation['help']} → {targets}"
                )

    def _before_request(self, route: Route) -> None:
        request = route.request
        # A redirect's later hops are not routed again, so this runs once per navigation, while the page being
        # left is still there.
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.wait_for_axe()
        route.fallback()

    def wait_for_axe(self) -> None:
        """Until axe has reported on the page shown. The page cannot be evaluated from here while a
        navigation waits (the DevTools protocol holds the call), but its own scripts run and report through
        the binding."""
        deadline = time.monotonic() + AXE_TIMEOUT_S
        while self._unreported and time.monotonic() < deadline:
            self.page.wait_for_timeout(25)
        if self._unreported:
            self.findings.append(f"axe did not finish on {self.page.url} within {AXE_TIMEOUT_S} s")
            self._unreported.clear()

    def check_sent_html(self, sent_pages: list[SentPage]) -> None:
        checked: set[bytes] = set()
        for sent in sent_pages:
            if sent.html in checked:
                continue
            checked.add(sent.html)
            for error in self.html_checker.errors(sent.html):
                self.findings.append(f"HTML {sent.method} {sent.path} ({sent.status}): {error}")
