"""A worker chooses how notifications reach them, in a real browser on a desktop and at phone width, by
keyboard: from the notification list to the settings table, a box ticked with the space bar, saved.

Selectors avoid translated text: URLs, input names and data-testid.
"""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page, expect

from laborbrand.accounts.models import WORKER_KINDS, Notification
from tests import factories
from tests.browser.helpers import log_in

SETTINGS = reverse("accounts:notification_settings")


def test_a_worker_turns_on_sms_for_job_alerts_by_keyboard(page: Page, site: str, viewport: str):
    worker = factories.WorkerFactory(username=f"notify_{viewport}", email="")

    log_in(page, site, worker.username, reverse("accounts:notification_list"))
    with page.expect_navigation():
        page.locator(f"main a[href='{SETTINGS}']").click()
    expect(page).to_have_url(site + SETTINGS)
    expect(page.get_by_test_id("no-email")).to_be_visible()
    table = page.locator("main table")
    expect(table.locator("tbody tr")).to_have_count(len(WORKER_KINDS))
    # The table fits the screen: no sideways scrolling at phone width.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    box = page.locator(f"input[name=sms_{Notification.Kind.JOB_ALERT}]")
    expect(box).not_to_be_checked()
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").press("Enter")

    expect(page).to_have_url(site + SETTINGS)
    expect(page.locator(f"input[name=sms_{Notification.Kind.JOB_ALERT}]")).to_be_checked()
    preference = worker.notification_preferences.get(kind=Notification.Kind.JOB_ALERT)
    assert (preference.sms, preference.email) == (True, True)
