"""A worker on a phone (390 px wide) registers with an SMS code, signs out and signs back in by code.

The live server runs in the test process, so the text messages are in laborbrand.sms.outbox (the locmem
backend). Selectors avoid translated text: input names, URLs, data-testid and the user's own data. The lead
extends this journey (a saved search, an alert, an application)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from laborbrand.accounts.models import User
from tests.browser.helpers import enter_sms_code, submit_form
from tests.browser.test_worker_journey import expect_on_workbench, log_out
from tests.factories import make_id_number, make_phone

PASSWORD = "Hx7#mountain-Tea"


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_worker_registers_with_an_sms_code_and_signs_in_by_code(page: Page, site: str, viewport: str):
    real_name = "刘春燕"
    phone = make_phone(5150)

    # Registration, step 1: the form, without a user name; the password rules are there before typing.
    page.goto(site + reverse("accounts:register_worker"))
    form = page.locator("main form[method=post]")
    expect(form.locator("#id_password1_helptext")).to_be_visible()
    expect(form.locator("input[name=password1]")).to_have_attribute(
        "aria-describedby", "id_password1_helptext"
    )
    for name, value in [
        ("real_name", real_name),
        ("id_number", make_id_number(5150)),
        ("phone", phone),
        ("password1", PASSWORD),
        ("password2", PASSWORD),
    ]:
        form.locator(f"input[name={name}]").fill(value)
    form.locator("input[name=privacy_consent]").check()
    submit_form(page, form)

    # Step 2: the code from the text message; the account exists, signed in, its user name shown.
    expect(page).to_have_url(site + reverse("accounts:register_worker_confirm"))
    assert not User.objects.filter(real_name=real_name).exists()
    enter_sms_code(page, phone)
    expect_on_workbench(page, site, real_name)
    worker = User.objects.get(real_name=real_name)
    assert worker.phone_verified
    expect(page.locator("main")).to_contain_text(worker.username)

    # Sign out, then back in by code from the sign-in page (another purpose: no resend wait).
    log_out(page, viewport, real_name)
    page.goto(site + reverse("login"))
    page.get_by_test_id("code-sign-in").click()
    expect(page).to_have_url(site + reverse("accounts:code_sign_in"))
    form = page.locator("main form[method=post]")
    form.locator("input[name=phone]").fill(phone)
    submit_form(page, form)
    expect(page).to_have_url(site + reverse("accounts:code_sign_in_confirm"))
    enter_sms_code(page, phone)
    expect_on_workbench(page, site, real_name)
