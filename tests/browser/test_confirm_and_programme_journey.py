"""Enrolling after reading about a programme, and confirming before a move that cannot be undone, in a real
browser on a desktop and on a phone-width screen: a visitor opens a programme's page from the search,
registers from it and comes back to it, enrols, then withdraws after reading what withdrawing means; a worker
cancels and then confirms withdrawing a job application; "recommended for you" stays a few screens long.

Selectors avoid translated text: input names, URLs, form actions, data attributes and the users' own data.
"""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page, expect

from jobs.models import Application
from laborbrand.accounts.models import User
from tests import factories
from tests.browser.helpers import enter_sms_code, form_with_action, log_in, submit_form
from tests.jobs.factories_apps import apply
from tests.jobs.factories_matching import MatchRunFactory, RecommendationFactory
from training.models import Enrollment

PASSWORD = "Hx7#mountain-Tea"


def no_sideways_scrolling(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_visitor_reads_a_programme_registers_from_it_comes_back_enrols_and_withdraws(
    page: Page, site: str, viewport: str, console_errors: list[str]
):
    program = factories.TrainingProgramFactory(enrolling=True, title=f"家政服务员四级培训班（{viewport}）")
    program.institution.address = "金寨县梅山镇红军路8号"
    program.institution.save(update_fields=["address"])
    public = reverse("training:program_public_detail", args=[program.pk])

    # From the search, the visitor opens the programme's page: what, when, where, fee, contact, places.
    page.goto(site + reverse("training:program_search"))
    with page.expect_navigation():
        page.locator(f"main a[href='{public}']").first.click()
    main = page.locator("main")
    for text in (program.title, program.institution.name, program.place, program.institution.contact_phone):
        expect(main).to_contain_text(text)
    expect(main.locator("[data-places-left]")).to_have_attribute("data-places-left", str(program.capacity))
    expect(form_with_action(page, "training:enrollment_apply", program.pk)).to_have_count(0)
    no_sideways_scrolling(page)

    # They register from the page and come back to it, signed in.
    with page.expect_navigation():
        page.locator(f"main a[href='{reverse('accounts:register_worker')}?next={public}']").click()
    form = page.locator("main form[method=post]")
    username = f"trainee_{viewport}"
    for name, value in [
        ("real_name", "陈秀兰"),
        ("id_number", factories.make_id_number(4100 + (viewport == "phone"))),
        ("phone", factories.make_phone(4100 + (viewport == "phone"))),
        ("username", username),
        ("password1", PASSWORD),
        ("password2", PASSWORD),
    ]:
        form.locator(f"input[name={name}]").fill(value)
    form.locator("input[name=privacy_consent]").check()
    submit_form(page, form)
    enter_sms_code(page, factories.make_phone(4100 + (viewport == "phone")))
    expect(page).to_have_url(site + public)
    worker = User.objects.get(username=username)

    # They enrol on the page.
    submit_form(page, form_with_action(page, "training:enrollment_apply", program.pk))
    expect(page).to_have_url(site + reverse("training:my_training"))
    enrollment = Enrollment.objects.get(program=program, worker=worker)
    assert enrollment.status == Enrollment.Status.APPLIED

    # Back on the programme's page they withdraw: a page says what it means first, and changes nothing.
    page.goto(site + public)
    confirm = reverse("training:enrollment_withdraw_confirm", args=[enrollment.pk])
    with page.expect_navigation():
        page.locator(f"main a[href='{confirm}']").click()
    expect(page.locator("main [data-confirm-consequences]")).to_be_visible()
    no_sideways_scrolling(page)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.APPLIED
    submit_form(page, form_with_action(page, "training:enrollment_withdraw", enrollment.pk))
    expect(page).to_have_url(site + reverse("training:my_training"))
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.WITHDRAWN
    assert console_errors == []


def test_withdrawing_a_job_application_is_confirmed_first(
    page: Page, site: str, viewport: str, console_errors: list[str]
):
    worker = factories.WorkerFactory(username=f"worker_w_{viewport}")
    posting = factories.JobPostingFactory(title=f"装配钳工（{viewport}）")
    application = apply(posting, worker)
    mine = reverse("jobs:my_applications")
    confirm = reverse("jobs:application_withdraw_confirm", args=[application.pk])

    log_in(page, site, worker.username, mine)
    expect(form_with_action(page, "jobs:application_withdraw", application.pk)).to_have_count(0)
    with page.expect_navigation():
        page.locator(f"main a[href='{confirm}']").click()
    main = page.locator("main")
    expect(main).to_contain_text(posting.title)
    expect(main).to_contain_text(posting.employer.name)
    expect(main.locator("[data-confirm-consequences]")).to_be_visible()
    no_sideways_scrolling(page)

    # Cancelling leaves the application as it was.
    with page.expect_navigation():
        main.locator(f"a[href='{mine}']").last.click()
    expect(page).to_have_url(site + mine)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED

    # Confirming withdraws it.
    with page.expect_navigation():
        page.locator(f"main a[href='{confirm}']").click()
    submit_form(page, form_with_action(page, "jobs:application_withdraw", application.pk))
    expect(page).to_have_url(site + mine)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    expect(page.locator(f"main a[href='{confirm}']")).to_have_count(0)
    assert console_errors == []


def test_twenty_recommendations_fit_in_a_few_screens(page: Page, site: str, viewport: str):
    worker = factories.WorkerProfileFactory(
        user=factories.WorkerFactory(username=f"worker_r_{viewport}")
    ).user
    run = MatchRunFactory()
    for rank in range(1, 21):
        RecommendationFactory(run=run, worker=worker, posting=factories.JobPostingFactory(), worker_rank=rank)
    log_in(page, site, worker.username, reverse("jobs:recommended"))
    cards = page.locator("main [data-recommendation]")
    expect(cards).to_have_count(20)
    expect(cards.first.locator("[data-main-reasons] li")).to_have_count(2)
    height = page.evaluate("document.querySelector('main').scrollHeight / window.innerHeight")
    # Measured with these cards: 10.4 screens on a phone and 8.4 on a desktop before the explanations were
    # folded away, 5.4 and 2.5 after.
    assert height < (7 if viewport == "phone" else 4), height
    no_sideways_scrolling(page)
