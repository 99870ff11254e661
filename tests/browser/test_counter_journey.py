"""The service counter in a real browser at phone width (issue 15): a county official opens the counter from
the workbench, registers a worker who is present (the worker's code read from the SMS outbox, as the worker
would read it out), then finds a job for them and applies on their behalf with a second code.

Selectors avoid translated text: input names, URLs and form actions, and the users' own data.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from jobs.models import Application, CounterAct
from laborbrand import sms
from laborbrand.accounts.models import User
from tests import factories
from tests.accounts.sms_codes import last_code
from tests.browser.helpers import log_in, submit_form

REGISTER = reverse("jobs:counter_register")
CONFIRM = reverse("jobs:counter_register_confirm")
APPLY = reverse("jobs:counter_apply")
APPLY_CODE = reverse("jobs:counter_apply_code")
APPLY_CONFIRM = reverse("jobs:counter_apply_confirm")
ACTS = reverse("jobs:counter_acts")


@pytest.mark.parametrize("viewport", ["phone"])
def test_official_registers_a_worker_at_the_counter_and_applies_for_them(
    page: Page, site: str, viewport: str, console_errors: list[str]
):
    official = factories.OfficialFactory(
        username="counter_official", real_name="陈柜台", county=factories.make_county("341524")
    )
    posting = factories.JobPostingFactory(title="数控车工（柜台）")
    factories.JobPostingFactory(title="家政服务员（窗口）")  # a job the search leaves out
    phone = factories.make_phone(5151)
    id_number = factories.make_id_number(5151, birth="19880612")

    # From the workbench's service-counter panel to the registration form.
    log_in(page, site, official.username, reverse("accounts:workbench"))
    with page.expect_navigation():
        page.locator(f"main a[href='{REGISTER}']").first.click()
    form = page.locator("main form[method=post]")
    form.locator("input[name=real_name]").fill("赵春梅")
    form.locator("input[name=id_number]").fill(id_number)
    form.locator("input[name=phone]").fill(phone)
    form.locator("input[name=desired_occupations]").first.check()
    submit_form(page, form)
    expect(page).to_have_url(site + CONFIRM)

    # The worker reads out the code their phone received; the official types it in.
    expect(page.locator("main [data-consent-text]")).to_be_visible()
    form = page.locator("main form[method=post]:not([action])")
    form.locator("input[name=code]").fill(last_code(phone))
    submit_form(page, form)
    expect(page).to_have_url(site + APPLY)
    worker = User.objects.by_phone(phone).get()
    assert worker.phone_verified and not worker.has_usable_password()
    assert sms.outbox[-1].template == "welcome"
    expect(page.locator("main [data-worker]")).to_contain_text(worker.masked_phone)

    # The code for the application follows the registration's at once (another purpose).
    # The official finds the job by keyword and sends the worker the code for it.
    search = page.locator(f"main form[method=get][action='{APPLY}']")
    search.locator("input[name=q]").fill("车工 柜台")
    submit_form(page, search)
    expect(page.locator("main")).to_contain_text(posting.title)
    expect(page.locator("main")).not_to_contain_text("家政服务员（窗口）")
    submit_form(page, page.locator(f"main form[action='{APPLY_CODE}']").first)
    expect(page).to_have_url(site + APPLY_CONFIRM)
    expect(page.locator("main [data-consent-text]")).to_contain_text(posting.employer.name)
    form = page.locator("main form[method=post]:not([action])")
    form.locator("input[name=code]").fill(last_code(phone))
    submit_form(page, form)
    expect(page).to_have_url(site + APPLY)
    application = Application.objects.get(worker=worker, posting=posting)
    assert official.real_name in application.consent_text

    # The counter's record lists both acts with the worker's name.
    page.goto(site + ACTS)
    expect(page.locator("main [data-counter-act]")).to_have_count(2)
    expect(page.locator("main")).to_contain_text("赵春梅")
    assert set(CounterAct.objects.values_list("kind", flat=True)) == {"registered", "applied"}
    assert CounterAct.objects.filter(staff=official, worker=worker).count() == 2

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll

    # The worker sees what was done for them, by whom. (They sign in by code; this test gives the account a
    # password only to open the pages, the code sign-in has a journey of its own.)
    worker.set_password(factories.TEST_PASSWORD)
    worker.save(update_fields=["password"])
    log_in(page, site, worker.username, reverse("jobs:my_applications"))
    expect(page.locator("main [data-counter-act]")).to_contain_text(official.real_name)
    with page.expect_navigation():
        page.locator(f"main [data-counter-act] a[href='{reverse('jobs:counter_done_for_me')}']").click()
    expect(page.locator("main [data-counter-act]")).to_have_count(2)
    expect(page.locator("main")).to_contain_text(official.real_name)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert console_errors == []
