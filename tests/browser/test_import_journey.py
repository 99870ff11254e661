"""Issue 16's journey in a real browser, at desktop and phone width, every page checked for accessibility and
valid HTML (the `page` fixture): a county official downloads the practitioner template, uploads a sheet with
two bad rows, reads the refusals, uploads the corrected sheet and imports it; the institution imports its
class results; the brand's member figures change accordingly.

Selectors avoid translated text: input names, URLs, form actions, data attributes and the user's own data.
"""

from __future__ import annotations

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect

from brands.models import Practitioner
from laborbrand.imports.links import start_url
from laborbrand.imports.models import ImportBatch
from tests import factories
from tests.browser.helpers import form_with_action, log_in, submit_form
from training.models import Enrollment, TrainingProgram

Status = ImportBatch.Status
PRACTITIONER_HEADERS = ["姓名", "身份证号", "工种", "是否个体/自雇", "从业起始日期"]


def sheet(path, headers: list[str], rows: list[list]):
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return str(path)


def upload(page: Page, site: str, start: str, file: str) -> ImportBatch:
    page.goto(site + start)
    form = page.locator("main form[enctype='multipart/form-data']")
    form.locator("input[name=file]").set_input_files(file)
    submit_form(page, form)
    batch = ImportBatch.objects.latest("pk")
    expect(page).to_have_url(site + reverse("imports:batch", args=[batch.pk]))
    return batch


def confirm(page: Page, batch: ImportBatch) -> None:
    submit_form(page, form_with_action(page, "imports:batch_confirm", batch.pk))
    expect(page.locator("main [data-batch-status]")).to_have_attribute("data-batch-status", Status.COMMITTED)


def member_counts(page: Page, site: str, brand) -> list[str]:
    page.goto(site + reverse("training:brand_members", args=[brand.pk]))
    return page.locator("main [data-testid=member-counts] dd").all_inner_texts()


def test_an_official_imports_the_register_and_an_institution_its_results(
    page: Page, site: str, viewport: str, tmp_path, console_errors: list[str]
):
    official = factories.OfficialFactory(
        username=f"imp_official_{viewport}", county=factories.make_county("341524")
    )
    brand = factories.CultivatingBrandFactory(name=f"金寨导入品牌{viewport}", county=official.county)
    occupation = brand.occupations.order_by("pk").first().name
    staff = factories.InstitutionStaffFactory(username=f"imp_institution_{viewport}")
    program = factories.TrainingProgramFactory(
        brand=brand, institution=factories.QualifiedInstitutionFactory(staff=[staff]), enrolling=True
    )
    passing, failing = factories.EnrollmentFactory.create_batch(2, program=program, accepted=True)
    end = timezone.localdate() - datetime.timedelta(days=1)
    TrainingProgram.objects.filter(pk=program.pk).update(
        status=TrainingProgram.Status.RUNNING, start_date=end - datetime.timedelta(days=120), end_date=end
    )
    register = reverse("brands:practitioner_list", args=[brand.pk])
    start = start_url("practitioners", brand)

    # The official goes from the register to its import and downloads the template.
    log_in(page, site, official.username, register)
    assert member_counts(page, site, brand)[:3] == ["0", "0", "0"]
    page.goto(site + register)
    page.locator(f"main a[href='{start}']").first.click()
    expect(page).to_have_url(site + start)
    with page.expect_download() as download:
        page.locator(f"main a[href^='{reverse('imports:template', args=['practitioners'])}']").click()
    headers = [
        c.value for c in load_workbook(io.BytesIO(download.value.path().read_bytes())).worksheets[0][1]
    ]
    assert {"姓名*", "身份证号*", "工种*", "从业起始日期*"} <= set(headers)

    # A sheet with two bad rows: a wrong check character, a start date in the future.
    people = [("何素琴", factories.make_id_number(811)), ("储秀云", factories.make_id_number(812))]
    people += [("汪春梅", factories.make_id_number(813)), ("方桂英", factories.make_id_number(814))]
    wrong = people[1][1][:-1] + ("0" if people[1][1][-1] != "0" else "1")
    rows = [[name, number, occupation, "是", "2015-03-01"] for name, number in people]
    rows[1][1] = wrong
    rows[3][4] = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    batch = upload(page, site, start, sheet(tmp_path / "台账.xlsx", PRACTITIONER_HEADERS, rows))
    expect(page.locator("main [data-refused-row='3']")).to_contain_text("身份证号")
    expect(page.locator("main [data-refused-row='5']")).to_contain_text("从业起始日期")
    expect(page.locator("main [data-count='create']")).to_have_text("2")
    expect(form_with_action(page, "imports:batch_confirm", batch.pk)).to_have_count(0)
    assert not Practitioner.objects.filter(brand=brand).exists()

    # Fixed, the whole sheet goes in.
    rows[1][1] = people[1][1]
    rows[3][4] = "2015-03-01"
    batch = upload(page, site, start, sheet(tmp_path / "台账（改）.xlsx", PRACTITIONER_HEADERS, rows))
    expect(page.locator("main [data-count='create']")).to_have_text("4")
    confirm(page, batch)
    assert Practitioner.objects.filter(brand=brand).count() == 4
    assert member_counts(page, site, brand)[:3] == ["4", "4", "0"]

    # The institution imports the class results from its programme's page: one pass, one fail.
    results = start_url("results", program)
    log_in(page, site, staff.username, reverse("training:program_detail", args=[program.pk]))
    expect(page.locator(f"main a[href='{results}']")).to_have_count(1)
    scores = [
        [passing.worker.real_name, passing.worker.id_number, 88, 75],
        [failing.worker.real_name, failing.worker.id_number, 52, 90],
    ]
    batch = upload(
        page,
        site,
        results,
        sheet(tmp_path / "成绩.xlsx", ["姓名", "身份证号", "理论成绩", "实操成绩"], scores),
    )
    expect(page.locator("main [data-count='update']")).to_have_text("2")
    confirm(page, batch)
    passing.refresh_from_db()
    assert (passing.status, passing.passed) == (Enrollment.Status.COMPLETED, True)

    # The brand's figures: one more member, trained under the brand.
    log_in(page, site, official.username, register)
    assert member_counts(page, site, brand)[:3] == ["5", "4", "1"]
    assert console_errors == []
