"""A brand training programme from application to result, in a real browser, on a desktop and on a
phone-width screen: a worker finds an enrolling programme in the public search and enrols on its page; the
institution accepts them, starts the programme, completes it early with the reason (the class finished its
hours) and records the class's theory and practical scores; the worker sees the pass on their training page.

Selectors avoid translated text (the zh-hans catalogue changes independently): input names and values, URLs
(links, form actions), and the users' own data.
"""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.helpers import form_with_action, log_in, submit_form
from training.models import Enrollment, TrainingProgram


def test_worker_applies_institution_accepts_runs_and_records_a_pass_worker_sees_it(
    page: Page, site: str, viewport: str, console_errors: list[str]
):
    staff = factories.InstitutionStaffFactory(username=f"institution_a_{viewport}")
    institution = factories.QualifiedInstitutionFactory(name=f"金寨县技工学校（{viewport}）", staff=[staff])
    brand = factories.add_measured_standards(
        factories.CultivatingBrandFactory(name=f"金寨红嫂家政（{viewport}）", standards=False),
        months=3,
        share=50,
        level=3,
    )
    program = factories.TrainingProgramFactory(
        institution=institution, brand=brand, enrolling=True, title=f"家政服务员四级培训班（{viewport}）"
    )
    worker = factories.WorkerFactory(username=f"worker_b_{viewport}", real_name=f"王秀英{viewport}")
    search = reverse("training:program_search")
    my_training = reverse("training:my_training")
    detail = reverse("training:program_detail", args=[program.pk])

    # The worker finds the programme in the public search, filtered by its brand, and applies.
    log_in(page, site, worker.username, search)
    filters = page.locator(f"main form[method=get][action='{search}']")
    filters.locator("select[name=brand]").select_option(str(brand.pk))
    submit_form(page, filters)
    expect(page.locator("main")).to_contain_text(program.title)
    public = reverse("training:program_public_detail", args=[program.pk])
    with page.expect_navigation():
        page.locator(f"main a[href='{public}']").first.click()
    submit_form(page, form_with_action(page, "training:enrollment_apply", program.pk))
    expect(page).to_have_url(site + my_training)
    enrollment = Enrollment.objects.get(program=program, worker=worker)
    assert enrollment.status == Enrollment.Status.APPLIED
    expect(page.locator("main")).to_contain_text(program.title)
    withdraw = reverse("training:enrollment_withdraw_confirm", args=[enrollment.pk])
    expect(page.locator(f"main a[href='{withdraw}']")).to_have_count(1)

    # The institution accepts the application on the programme page and starts the programme.
    log_in(page, site, staff.username, detail)
    expect(page.locator("main")).to_contain_text(worker.real_name)
    submit_form(page, form_with_action(page, "training:enrollment_accept", enrollment.pk))
    expect(page).to_have_url(site + detail)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACCEPTED
    expect(form_with_action(page, "training:enrollment_accept", enrollment.pk)).to_have_count(0)
    submit_form(page, form_with_action(page, "training:program_start", program.pk))
    expect(page).to_have_url(site + detail)
    program.refresh_from_db()
    assert program.status == TrainingProgram.Status.RUNNING

    # Results wait for the end date; the class finished early, so the institution completes it, with why.
    results = reverse("training:program_results", args=[program.pk])
    expect(page.locator(f"main a[href='{results}']")).to_have_count(0)
    early = form_with_action(page, "training:program_complete_early", program.pk)
    early.locator("textarea[name=reason]").fill("学员已提前完成全部课时。")
    submit_form(page, early)
    program.refresh_from_db()
    assert program.status == TrainingProgram.Status.COMPLETED
    expect(page.locator("main")).to_contain_text("学员已提前完成全部课时。")

    # It records the class's results: theory and practical scores, from which the pass follows.
    with page.expect_navigation():
        page.locator(f"main a[href='{results}']").click()
    expect(page).to_have_url(site + results)
    form = page.locator("main form[method=post]")
    form.locator(f"input[name=theory_{enrollment.pk}]").fill("88.5")
    form.locator(f"input[name=practical_{enrollment.pk}]").fill("76")
    submit_form(page, form)
    expect(page).to_have_url(site + detail)
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.passed, str(enrollment.theory_score)) == (
        Enrollment.Status.COMPLETED,
        True,
        "88.5",
    )
    assert enrollment.completed_at is not None

    # The worker sees the result on their training page; a completed enrolment can no longer be withdrawn.
    log_in(page, site, worker.username, my_training)
    card = page.locator(f"main article[aria-labelledby='enrollment-{enrollment.pk}']")
    expect(card).to_contain_text(program.title)
    expect(card).to_contain_text("88.5")
    expect(page.locator(f"main a[href='{withdraw}']")).to_have_count(0)
    assert console_errors == []
