"""A worker's first visit, in a real browser, on a desktop and on a phone-width screen.

Selectors avoid translated text (the zh-hans catalogue changes independently): input names, URLs,
data-testid, ARIA attributes and the user's own data.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from laborbrand.accounts.models import User
from tests.browser.helpers import enter_sms_code
from tests.factories import make_id_number, make_phone

PASSWORD = "Hx7#mountain-Tea"


def worker_role_label() -> str:
    with translation.override("zh-hans"):
        return str(User.Role.WORKER.label)


def expect_on_workbench(page: Page, site: str, real_name: str) -> None:
    expect(page).to_have_url(site + reverse("accounts:workbench"))
    expect(page.get_by_test_id("role")).to_have_text(worker_role_label())
    expect(page.locator("main")).to_contain_text(real_name)


def log_out(page: Page, viewport: str, real_name: str) -> None:
    toggler = page.locator("button[aria-controls=main-nav]")
    logout = page.locator(f"#main-nav form[action='{reverse('logout')}'] button[type=submit]")
    expect(logout).to_be_hidden()
    if viewport == "phone":
        expect(toggler).to_be_visible()
        toggler.click()
        # Bootstrap's collapse animates ("collapsing") before it is "show": a click on the menu during the
        # animation can be lost.
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    else:
        expect(toggler).to_be_hidden()
    page.locator("#main-nav").get_by_role("button", name=re.compile(re.escape(real_name))).click()
    expect(logout).to_be_visible()
    with page.expect_navigation():
        logout.click()
    expect(page.locator(f"#main-nav form[action='{reverse('logout')}']")).to_have_count(0)


def test_worker_registers_logs_out_and_logs_in_with_mobile_number(page: Page, site: str, viewport: str):
    real_name = "王小明"
    username = f"wangxm_{viewport}"
    id_number = make_id_number(7)
    phone = make_phone(4242)

    page.goto(site + reverse("home"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.locator(f"main a[href='{reverse('accounts:register')}']").first.click()
    expect(page).to_have_url(site + reverse("accounts:register"))
    page.locator(f"main a[href='{reverse('accounts:register_worker')}']").click()
    expect(page).to_have_url(site + reverse("accounts:register_worker"))

    form = page.locator("main form[method=post]")
    for name, value in [
        ("real_name", real_name),
        ("id_number", id_number),
        ("phone", phone),
        ("username", username),
        ("password1", PASSWORD),
        ("password2", PASSWORD),
    ]:
        field = form.locator(f"input[name={name}]")
        expect(field).to_have_accessible_name(re.compile(r"\S"))  # a <label> is tied to every field
        field.fill(value)
    consent = form.locator("input[name=privacy_consent]")
    expect(consent).to_have_accessible_name(re.compile(r"\S"))
    consent.check()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(site + reverse("accounts:register_worker_confirm"))
    enter_sms_code(page, phone)

    expect_on_workbench(page, site, real_name)
    user = User.objects.get(username=username)
    assert user.role == User.Role.WORKER
    assert user.real_name == real_name
    assert user.phone == phone
    assert user.privacy_consent_at is not None

    log_out(page, viewport, real_name)
    expect(page).to_have_url(site + reverse("home"))
    expect(page.get_by_test_id("role")).to_have_count(0)

    page.locator(f"main a[href='{reverse('login')}']").click()
    expect(page).to_have_url(re.compile(re.escape(site + reverse("login"))))
    login_form = page.locator("main form[method=post]")
    login_form.locator("input[name=username]").fill(phone)
    login_form.locator("input[name=password]").fill(PASSWORD)
    login_form.locator("button[type=submit]").click()

    expect_on_workbench(page, site, real_name)


@pytest.mark.parametrize("url_name", ["home", "accounts:register", "accounts:register_worker"])
def test_page_has_no_console_errors_or_csp_violations(
    page: Page, console_errors: list[str], site: str, viewport: str, url_name: str
):
    response = page.goto(site + reverse(url_name))
    assert response is not None
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")

    # Bootstrap's bundle ran under the policy: the collapsed navbar opens on a phone.
    assert page.evaluate("typeof window.bootstrap") == "object"
    if viewport == "phone":
        page.locator("button[aria-controls=main-nav]").click()
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))

    assert console_errors == []
