"""From enrolment to a certificate anyone can check, in a real browser, on a desktop and on a phone-width
screen: a worker applies to a programme; the institution accepts them, records a pass for the class and then
an assessment from the trainee list, which issues a certificate; the worker opens it to show or print (one
A4 page, its QR code inline); an anonymous visitor verifies the certificate on the public page by its number
and the holder's name, and by opening the link the QR code holds.

Selectors avoid translated text: input names, URLs and form actions, and the users' own data.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlencode, urlsplit

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.helpers import form_with_action, log_in, submit_form
from training.models import Certificate, Enrollment


def test_enrolment_to_a_publicly_verified_certificate(
    page: Page, site: str, viewport: str, console_errors: list[str]
):
    staff = factories.InstitutionStaffFactory(username=f"institution_a_{viewport}")
    brand = factories.add_measured_standards(
        factories.CultivatingBrandFactory(name=f"金寨数控技工（{viewport}）", standards=False),
        months=3,
        share=50,
        level=3,
    )
    institution = factories.QualifiedInstitutionFactory(name=f"六安技师学院（{viewport}）", staff=[staff])
    # A class that reaches its last day today, so its results can be recorded once it is running.
    today = timezone.localdate()
    program = factories.TrainingProgramFactory(
        institution=institution,
        brand=brand,
        enrolling=True,
        title=f"数控车工三级培训班（{viewport}）",
        start_date=today - datetime.timedelta(days=120),
        end_date=today,
    )
    institution.occupations.add(program.occupation)
    worker = factories.WorkerFactory(username=f"worker_b_{viewport}", real_name=f"李建国{viewport}")
    detail = reverse("training:program_detail", args=[program.pk])

    # The worker enrols on the programme's public page.
    log_in(page, site, worker.username, reverse("training:program_public_detail", args=[program.pk]))
    submit_form(page, form_with_action(page, "training:enrollment_apply", program.pk))
    expect(page).to_have_url(site + reverse("training:my_training"))
    enrollment = Enrollment.objects.get(program=program, worker=worker)

    # The institution accepts, starts the programme and records a pass for the class.
    log_in(page, site, staff.username, detail)
    submit_form(page, form_with_action(page, "training:enrollment_accept", enrollment.pk))
    submit_form(page, form_with_action(page, "training:program_start", program.pk))
    page.goto(site + reverse("training:program_results", args=[program.pk]))
    form = page.locator("main form[method=post]")
    form.locator(f"input[name=theory_{enrollment.pk}]").fill("91")
    form.locator(f"input[name=practical_{enrollment.pk}]").fill("88")
    submit_form(page, form)
    expect(page).to_have_url(site + detail)

    # From the trainee list it records the assessment: both scores pass, so a certificate is issued.
    assess = reverse("training:assessment_create") + "?" + urlencode({"enrollment": enrollment.pk})
    with page.expect_navigation():
        page.locator(f"main a[href='{assess}']").click()
    form = page.locator("main form[method=post]")
    form.locator("input[name=theory_score]").fill("82")
    form.locator("input[name=practical_score]").fill("90.5")
    submit_form(page, form)
    expect(page).to_have_url(site + detail)
    certificate = Certificate.objects.get(worker=worker)
    assert (certificate.occupation, certificate.level, certificate.institution) == (
        program.occupation,
        program.target_level,
        institution,
    )
    expect(page.locator("main")).to_contain_text(certificate.number)

    # The worker finds it on "My training" and opens it to show or print.
    log_in(page, site, worker.username, reverse("training:my_training"))
    printable = reverse("training:certificate_print", args=[certificate.pk])
    with page.expect_navigation():
        page.locator(f"main a[href='{printable}']").click()
    sheet = page.locator("main article[data-certificate-status=valid]")
    for shown in (worker.real_name, certificate.number, institution.name, program.occupation.name):
        expect(sheet).to_contain_text(shown)
    qr = sheet.locator("svg[role=img]")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] > 150  # about 5 cm: large enough to scan from a phone screen too
    check_url = sheet.locator(".certificate-check-url").inner_text().strip()
    assert f"number={certificate.number}&key=" in check_url
    main_text = page.locator("main").inner_text()
    assert worker.id_number not in main_text and worker.phone not in main_text
    # On paper: the navigation goes, the certificate stays, on one A4 page.
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar").first).to_be_hidden()
    expect(sheet).to_be_visible()
    pdf = page.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    page.emulate_media(media="screen")

    # Anyone can verify it by number and holder's name; the page shows no ID or phone number.
    page.context.clear_cookies()
    verify = reverse("training:certificate_verify")
    page.goto(site + verify)
    form = page.locator(f"main form[method=post][action='{verify}']")
    form.locator("input[name=number]").fill(certificate.number.lower())
    form.locator("input[name=holder_name]").fill(worker.real_name)
    submit_form(page, form)
    result = page.locator("main [data-certificate-status]")
    expect(result).to_have_attribute("data-certificate-status", "valid")
    expect(result).to_contain_text(certificate.number)
    expect(result).to_contain_text(institution.name)
    main_text = page.locator("main").inner_text()
    assert worker.id_number not in main_text and worker.phone not in main_text

    # The QR code's link (on this test server rather than at SITE_URL) answers at once, without the name.
    link = urlsplit(check_url)
    page.goto(f"{site}{link.path}?{link.query}")
    expect(page.locator("main input[name=number]")).to_have_value(certificate.number)
    result = page.locator("main [data-certificate-status]")
    expect(result).to_have_attribute("data-certificate-status", "valid")
    expect(result).to_contain_text(worker.real_name)
    expect(result).to_contain_text(certificate.number)
    assert console_errors == []
