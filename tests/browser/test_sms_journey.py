"""A worker on a phone (390 px wide) registers with an SMS code, saves a job search, signs out and back in by
code, finds the alert of a job posted since in the site's notifications and applies to it.

The live server runs in the test process, so the text messages are in laborbrand.sms.outbox (the locmem
backend) and the alert task runs here as beat would run it. Selectors avoid translated text: input names,
URLs, data-testid and the user's own data. The counter's journey is tests/browser/test_counter_journey.py."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from jobs.alerts import send_job_alerts
from jobs.models import Application, SavedSearch
from laborbrand.accounts.models import Notification, User
from tests import factories
from tests.browser.helpers import enter_sms_code, form_with_action, submit_form
from tests.browser.test_worker_journey import expect_on_workbench, log_out
from tests.factories import make_id_number, make_phone

PASSWORD = "Hx7#mountain-Tea"


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_worker_registers_by_code_saves_a_search_signs_in_by_code_and_applies_to_an_alerted_job(
    page: Page, site: str, viewport: str
):
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

    # The worker searches the job board and saves the search (its name suggested from the keyword).
    page.goto(site + reverse("jobs:search") + "?q=数控")
    with page.expect_navigation():
        page.locator("main a[data-save-search]").first.click()
    submit_form(page, page.locator("main form[method=post]"))
    expect(page).to_have_url(site + reverse("jobs:saved_search_list"))
    saved = SavedSearch.objects.get(worker=worker)
    expect(page.locator("main")).to_contain_text(saved.name)

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

    # A job matching the search is posted; the next morning's alert task tells the worker in the site.
    factories.WorkerProfileFactory(user=worker)  # the job profile an application needs (its own journey)
    posting = factories.JobPostingFactory(title="数控车工（新岗位）")
    next_morning = timezone.localtime().replace(hour=8, minute=5) + datetime.timedelta(days=1)
    send_job_alerts(next_morning)
    alert = worker.notifications.get(kind=Notification.Kind.JOB_ALERT)
    page.goto(site + reverse("accounts:notification_list"))
    expect(page.locator("main")).to_contain_text(saved.name)
    submit_form(page, form_with_action(page, "accounts:notification_open", alert.pk))
    expect(page.locator("main")).to_contain_text(posting.title)

    # From the alert's search to the job, and an application with the separate consent.
    with page.expect_navigation():
        page.locator(f"main a[href='{reverse('jobs:posting_detail', args=[posting.pk])}']").first.click()
    with page.expect_navigation():
        page.locator(f"main a[href='{reverse('jobs:apply', args=[posting.pk])}']").first.click()
    form = page.locator("main form[method=post]")
    form.locator("input[name=consent]").check()
    submit_form(page, form)
    expect(page).to_have_url(site + reverse("jobs:my_applications"))
    assert Application.objects.filter(posting=posting, worker=worker).exists()
