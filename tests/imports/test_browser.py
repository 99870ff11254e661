"""The import pages in a real browser, at desktop and phone width, each page checked for accessibility and
valid HTML (the browser tests' `page` fixture): an official downloads the template, uploads a sheet with a bad
row, reads the refusal, uploads the corrected sheet, confirms and undoes; and the progress bar follows a
working batch with the site's own script (no CSP violation) and reloads the page when the work is done.

Selectors avoid translated text: input names, URLs, form actions and data attributes.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from brands.models import BrandStandard
from laborbrand.imports.models import ImportBatch
from tests import factories
from tests.browser.helpers import form_with_action, log_in, submit_form
from tests.imports.importer import KEY, workbook

Status = ImportBatch.Status


@pytest.fixture
def official_and_brand(site):
    official = factories.OfficialFactory(username="import_official", county=factories.make_county("341524"))
    brand = factories.DraftBrandFactory(name="金寨导入测试", county=official.county, created_by=official)
    return official, brand


def test_official_imports_a_sheet_after_correcting_it_and_undoes_it(
    page: Page, site: str, official_and_brand, tmp_path, console_errors: list[str]
):
    official, brand = official_and_brand
    start = f"{reverse('imports:start', args=[KEY])}?target={brand.pk}"
    log_in(page, site, official.username, start)

    with page.expect_download() as download:
        page.locator(f"main a[href='{reverse('imports:template', args=[KEY])}?target={brand.pk}']").click()
    template = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert [c.value for c in template.worksheets[0][1]] == ["要求*", "维度*", "联系人", "联系人身份证号"]

    bad = tmp_path / "标准.xlsx"
    bad.write_bytes(workbook([["诚信服务", "ethics"], ["规范操作", "cooking"]]))
    form = page.locator("main form[enctype='multipart/form-data']")
    form.locator("input[name=file]").set_input_files(str(bad))
    submit_form(page, form)
    batch = ImportBatch.objects.get()
    expect(page).to_have_url(site + reverse("imports:batch", args=[batch.pk]))
    expect(page.locator("main [data-refused-row='3']")).to_contain_text("维度")
    expect(
        page.locator(f"main form[action='{reverse('imports:batch_confirm', args=[batch.pk])}']")
    ).to_have_count(0)
    with page.expect_download() as download:
        page.locator(f"main a[href='{reverse('imports:batch_errors', args=[batch.pk])}']").click()
    report = load_workbook(io.BytesIO(download.value.path().read_bytes())).worksheets[0]
    assert report["F1"].value == "错误" and report["F3"].value.startswith("维度")

    good = tmp_path / "标准（改）.xlsx"
    good.write_bytes(workbook([["诚信服务", "ethics"], ["规范操作", "skill"]]))
    page.goto(site + start)
    form = page.locator("main form[enctype='multipart/form-data']")
    form.locator("input[name=file]").set_input_files(str(good))
    submit_form(page, form)
    batch = ImportBatch.objects.latest("pk")
    expect(page.locator("main [data-count='create']")).to_have_text("2")
    submit_form(page, form_with_action(page, "imports:batch_confirm", batch.pk))
    expect(page.locator("main [data-batch-status]")).to_have_attribute("data-batch-status", Status.COMMITTED)
    assert set(brand.standards.values_list("requirement", flat=True)) == {"诚信服务", "规范操作"}

    submit_form(page, form_with_action(page, "imports:batch_undo", batch.pk))
    expect(page.locator("main [data-batch-status]")).to_have_attribute("data-batch-status", Status.UNDONE)
    assert not BrandStandard.objects.filter(brand=brand).exists()
    assert console_errors == []


@pytest.mark.parametrize("viewport", ["phone"])
def test_the_progress_bar_follows_the_task_and_reloads_when_it_is_done(
    page: Page, site: str, official_and_brand, viewport: str, console_errors: list[str]
):
    official, brand = official_and_brand
    batch = ImportBatch.objects.create(
        importer=KEY,
        target_id=brand.pk,
        target_label=brand.name,
        user=official,
        file_name="标准.xlsx",
        status=Status.COMMITTING,
        rows_total=400,
    )
    from django.core.cache import cache

    cache.set(f"imports:batch:{batch.pk}:done", 100)
    log_in(page, site, official.username, reverse("imports:batch", args=[batch.pk]))
    bar = page.locator("main progress")
    expect(bar).to_have_attribute("max", "400")

    cache.set(f"imports:batch:{batch.pk}:done", 200)
    expect(page.locator("main [data-rows-done]")).to_have_text("200")
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.COMMITTED, rows_done=400)
    expect(page.locator("main [data-batch-status]")).to_have_attribute("data-batch-status", Status.COMMITTED)
    expect(page.locator("main progress")).to_have_count(0)
    assert console_errors == []
