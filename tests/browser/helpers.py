"""Steps the browser journeys share. Selectors use input names, URLs and form actions, never UI text."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.urls import reverse
from playwright.sync_api import Page, expect

from tests import factories
from tests.accounts.sms_codes import last_code


def log_in(page: Page, site: str, username: str, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(site + reverse("login") + "?" + urlencode({"next": next_url}))
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(factories.TEST_PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page).to_have_url(site + next_url)


def submit_form(page: Page, form) -> None:
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def form_with_action(page: Page, name: str, *args):
    return page.locator(f"main form[action='{reverse(name, args=args)}']")


def enter_sms_code(page: Page, phone: str) -> None:
    """On a code step: read the newest code sent to `phone` and submit it."""
    expect(page.get_by_test_id("code-sent")).to_be_visible()
    form = page.locator("main form[method=post]").first
    field = form.locator("input[name=code]")
    expect(field).to_have_accessible_name(re.compile(r"\S"))
    field.fill(last_code(phone))
    submit_form(page, form)
