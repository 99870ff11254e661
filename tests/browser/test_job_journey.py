"""A job from search to hire, in a real browser, on a desktop and on a phone-width screen: a worker searches
the public job board, opens a posting and applies with the separate consent; the employer opens the
applicant, marks it viewed, invites them to an interview and then records the hire; the worker sees "hired"
on their applications page and in their notifications.

Selectors avoid translated text: input names and values, URLs and form actions, and the users' own data.
"""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page, expect

from jobs.models import Application
from tests import factories
from tests.browser.helpers import form_with_action, log_in, submit_form


def test_worker_searches_applies_employer_interviews_and_hires_worker_sees_it(
    page: Page, site: str, viewport: str, console_errors: list[str]
):
    staff = factories.EmployerStaffFactory(username=f"employer_a_{viewport}")
    employer = factories.VerifiedEmployerFactory(name=f"六安精工机械有限公司（{viewport}）", staff=[staff])
    posting = factories.JobPostingFactory(employer=employer, title=f"数控车工（{viewport}）", headcount=3)
    factories.JobPostingFactory(title=f"家政服务员（{viewport}）")  # another job the search leaves out
    worker = factories.WorkerFactory(username=f"worker_a_{viewport}", real_name=f"张伟{viewport}")
    factories.WorkerProfileFactory(user=worker)
    search = reverse("jobs:search")
    my_applications = reverse("jobs:my_applications")

    # The worker searches by keyword, finds the posting and applies, giving the separate consent.
    log_in(page, site, worker.username, search)
    form = page.locator(f"main form[method=get][action='{search}']")
    form.locator("input[name=q]").fill(posting.title)
    submit_form(page, form)
    results = page.locator("main")
    expect(results).to_contain_text(posting.title)
    expect(results).not_to_contain_text(f"家政服务员（{viewport}）")
    detail = reverse("jobs:posting_detail", args=[posting.pk])
    with page.expect_navigation():
        page.locator(f"main a[href='{detail}']").first.click()
    apply = reverse("jobs:apply", args=[posting.pk])
    with page.expect_navigation():
        page.locator(f"main a[href='{apply}']").first.click()
    expect(page.locator("main")).to_contain_text(employer.name)  # the consent names the employer
    form = page.locator("main form[method=post]")
    form.locator("input[name=consent]").check()
    submit_form(page, form)
    expect(page).to_have_url(site + my_applications)
    application = Application.objects.get(posting=posting, worker=worker)
    assert application.status == Application.Status.SUBMITTED
    assert employer.name in application.consent_text

    def step(name: str) -> str:
        return reverse(f"jobs:applicant_{name}", args=[application.pk])

    # The employer opens the applicant (which changes nothing) and marks it viewed, invites them to an
    # interview, then hires.
    applicant = reverse("jobs:applicant_detail", args=[application.pk])
    log_in(page, site, staff.username, applicant)
    expect(page.locator("main")).to_contain_text(worker.phone)  # the applicant's phone, for this employer
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    submit_form(page, form_with_action(page, "jobs:applicant_mark_viewed", application.pk))
    expect(page).to_have_url(site + applicant)
    expect(page.locator("main [data-application-status]").first).to_have_attribute(
        "data-application-status", "viewed"
    )
    page.locator("main textarea[name=note]").fill("11月30日上午9点，公司人事部面试。")
    with page.expect_navigation():
        page.locator(f"main button[formaction='{step('interview')}']").click()
    application.refresh_from_db()
    assert application.status == Application.Status.INTERVIEW
    with page.expect_navigation():
        page.locator(f"main button[formaction='{step('offer')}']").click()
    # A hire is final: it is confirmed on its own page, which then makes it.
    with page.expect_navigation():
        page.locator(f"main a[href='{step('hire_confirm')}']").click()
    submit_form(page, form_with_action(page, "jobs:applicant_hire", application.pk))
    expect(page).to_have_url(site + applicant)
    application.refresh_from_db()
    assert application.status == Application.Status.HIRED
    assert [e.new_status for e in application.events.all()] == [
        "submitted",
        "viewed",
        "interview",
        "offered",
        "hired",
    ]

    # The worker sees the hire on their applications page and among their notifications.
    log_in(page, site, worker.username, my_applications)
    expect(page.locator("main")).to_contain_text(posting.title)
    expect(page.locator("main [data-application-status]").first).to_have_attribute(
        "data-application-status", "hired"
    )
    page.goto(site + reverse("accounts:notification_list"))
    expect(page.locator("main")).to_contain_text(posting.title)
    assert worker.notifications.filter(title__contains=posting.title).count() >= 3
    assert console_errors == []


def test_a_visitor_searches_two_words_from_the_home_page_and_opens_a_latest_job(
    page: Page, site: str, viewport: str, console_errors: list[str]
):
    welder = factories.JobPostingFactory(title=f"电焊工（{viewport}）", description="苏州工业园区。")
    factories.JobPostingFactory(title=f"焊工学徒（{viewport}）", description="六安市。")  # not in 苏州
    search = reverse("jobs:search")

    page.goto(site + reverse("home"))
    form = page.locator(f"main form[method=get][action='{search}']")
    form.locator("input[name=q]").fill("焊工\u3000苏州")
    submit_form(page, form)
    results = page.locator("main")
    expect(results).to_contain_text(welder.title)
    expect(results).not_to_contain_text(f"焊工学徒（{viewport}）")

    # The home page's latest jobs lead to the posting.
    page.goto(site + reverse("home"))
    detail = reverse("jobs:posting_detail", args=[welder.pk])
    with page.expect_navigation():
        page.locator(f"main a[href='{detail}']").click()
    expect(page.locator("main h1")).to_contain_text(welder.title)
    assert console_errors == []
