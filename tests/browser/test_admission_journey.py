"""A training institution's way to admission (准入), in a real browser, on a desktop and on a phone-width
screen: it applies with evidence, the city asks for changes, it resubmits, the city approves, and the
institution sees it is qualified.

Selectors avoid translated text (the zh-hans catalogue changes independently): input names and values, URLs
(links, form actions), CSS classes that carry a status value, and the users' own data.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from laborbrand.accounts.models import Notification
from tests import factories
from tests.browser.helpers import form_with_action, log_in, submit_form
from training.models import AdmissionApplication, ApplicationReview, Institution

Status = AdmissionApplication.Status


def decide(page: Page, site: str, application: AdmissionApplication, decision: str, reason: str, until=None):
    """Take the application into review and record a decision, as a city admin on the review page."""
    review = reverse("training:review_detail", args=[application.pk])
    submit_form(page, form_with_action(page, "training:review_start", application.pk))
    expect(page).to_have_url(site + review)
    form = form_with_action(page, "training:review_decide", application.pk)
    for name, value in (
        ("faculty_verdict", "meets"),
        ("facilities_verdict", "partly" if decision == "request_changes" else "meets"),
        ("employment_verdict", "meets"),
        ("decision", decision),
    ):
        form.locator(f"input[name={name}][value={value}]").check()
    form.locator("textarea[name=reason]").fill(reason)
    if until is not None:
        form.locator("input[name=qualified_until]").fill(until.isoformat())
    submit_form(page, form)
    expect(page).to_have_url(site + review)


def test_institution_applies_is_asked_for_changes_resubmits_and_is_admitted(
    page: Page, site: str, viewport: str, console_errors: list[str], tmp_path
):
    staff = factories.InstitutionStaffFactory(username=f"institution_a_{viewport}")
    institution = factories.InstitutionFactory(name=f"金寨县技工学校（{viewport}）", staff=[staff])
    city_admin = factories.CityAdminFactory(username=f"city_admin_{viewport}")
    occupations = factories.make_occupations(2)
    evidence = tmp_path / "师资名册.pdf"
    evidence.write_bytes(factories.PDF_BYTES)
    until = timezone.localdate() + datetime.timedelta(days=3 * 365)

    # The institution fills in the application and saves a draft.
    log_in(page, site, staff.username, reverse("training:application_create"))
    form = page.locator("main form[method=post]")
    for name, value in (
        ("teacher_count", "36"),
        ("double_qualified_share", "55"),
        ("senior_title_count", "6"),
        ("training_space_m2", "2800"),
        ("placement_rate", "90"),
    ):
        form.locator(f"input[name={name}]").fill(value)
    form.locator("textarea[name=equipment]").fill("数控车床 10 台\n工业机器人 2 台")
    form.locator("textarea[name=partner_employers]").fill("六安江淮电机有限公司")
    form.locator("select[name=occupations]").select_option([str(o.pk) for o in occupations])
    submit_form(page, form)

    application = AdmissionApplication.objects.get(institution=institution)
    detail = reverse("training:application_detail", args=[application.pk])
    expect(page).to_have_url(site + detail)
    assert application.status == Status.DRAFT
    assert set(application.occupations.all()) == set(occupations)

    # It attaches its evidence through the file chooser, then submits.
    upload = form_with_action(page, "training:attachment_upload", application.pk)
    upload.locator("select[name=criterion]").select_option("faculty")
    upload.locator("input[name=file]").set_input_files(str(evidence))
    submit_form(page, upload)
    expect(page).to_have_url(site + detail)
    attachment = application.attachments.get()
    assert (attachment.name, attachment.content_type) == ("师资名册.pdf", "application/pdf")
    expect(
        page.locator(f"main a[href='{reverse('training:attachment_download', args=[attachment.pk])}']")
    ).to_have_text("师资名册.pdf")
    submit_form(page, form_with_action(page, "training:application_submit", application.pk))
    expect(page).to_have_url(site + detail)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    expect(
        page.locator(f"main a[href='{reverse('training:application_update', args=[application.pk])}']")
    ).to_have_count(0)

    # The city admin finds it in the queue, starts the review and asks for changes.
    log_in(page, site, city_admin.username, reverse("training:review_queue"))
    review = reverse("training:review_detail", args=[application.pk])
    with page.expect_navigation():
        page.locator(f"main a[href='{review}']").first.click()
    expect(page).to_have_url(site + review)
    decide(page, site, application, "request_changes", "请补充实训设备清单和安全制度。")
    application.refresh_from_db()
    assert application.status == Status.CHANGES_REQUESTED
    assert application.reviews.get().decision == ApplicationReview.Decision.REQUEST_CHANGES

    # The institution reads the request, edits the application and submits it again.
    log_in(page, site, staff.username, detail)
    expect(page.locator("main")).to_contain_text("请补充实训设备清单和安全制度。")
    with page.expect_navigation():
        page.locator(
            f"main a[href='{reverse('training:application_update', args=[application.pk])}']"
        ).click()
    form = page.locator("main form[method=post]")
    form.locator("textarea[name=equipment]").fill("数控车床 10 台\n工业机器人 2 台\n安全制度见附件")
    form.locator("input[name=training_space_m2]").fill("3000")
    submit_form(page, form)
    expect(page).to_have_url(site + detail)
    submit_form(page, form_with_action(page, "training:application_submit", application.pk))
    expect(page).to_have_url(site + detail)
    application.refresh_from_db()
    assert (application.status, application.round, application.training_space_m2) == (
        Status.SUBMITTED,
        2,
        3000,
    )

    # The city admin reviews round 2 and approves it until a date.
    log_in(page, site, city_admin.username, review)
    decide(page, site, application, "approve", "师资、设施和就业渠道均符合要求。", until=until)
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    institution.refresh_from_db()
    assert (institution.status, institution.qualified_until) == (Institution.Status.QUALIFIED, until)
    assert set(institution.occupations.all()) == set(occupations)
    assert Notification.objects.filter(recipient=staff).count() >= 4  # review started ×2, changes, approval

    # The institution sees it is qualified: on its workbench and on the application.
    log_in(page, site, staff.username, reverse("accounts:workbench"))
    expect(page.locator(f"main a[href='{detail}']")).to_have_count(1)
    expect(page.locator("main .application-status-approved")).to_have_count(1)
    expect(page.locator("main")).to_contain_text(until.isoformat())
    page.goto(site + detail)
    expect(page.locator("main .application-status-approved")).to_have_count(1)
    expect(page.locator("main")).to_contain_text(until.isoformat())

    # And the public list of qualified institutions now shows it.
    page.context.clear_cookies()
    page.goto(site + reverse("training:institution_public_list"))
    expect(page.locator("main")).to_contain_text(institution.name)
    assert console_errors == []
