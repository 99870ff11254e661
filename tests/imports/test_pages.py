"""The import pages, by role; the progress JSON; the template and the error report; the nightly clean-up."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from laborbrand.imports import work
from laborbrand.imports.models import ImportBatch
from laborbrand.spreadsheets import XLSX_TYPE
from tests import factories
from tests.imports.conftest import start_url
from tests.imports.importer import KEY

pytestmark = pytest.mark.django_db

Status = ImportBatch.Status


def test_the_import_page_shows_what_it_imports_into_and_how(official_client, brand, upload):
    batch = upload([["诚信服务", "ethics"]])

    page = official_client.get(start_url(brand)).content.decode()

    assert "品牌标准导入（测试）" in page
    assert "金寨红嫂家政" in page
    assert f'href="{reverse("brands:manage_detail", args=[brand.pk])}"' in page
    assert f'href="/imports/{KEY}/template/?target={brand.pk}"' in page
    assert 'enctype="multipart/form-data"' in page
    assert f'href="/imports/batch/{batch.pk}/"' in page  # the recent uploads


@pytest.mark.parametrize("who", ["official_b", "institution_staff", "worker", "employer", "leading_member"])
def test_the_import_page_is_404_to_those_who_may_not_import_into_the_brand(client, brand, request, who):
    client.force_login(request.getfixturevalue(who))

    for url in (start_url(brand), reverse("imports:template", args=[KEY]) + f"?target={brand.pk}"):
        assert client.get(url).status_code == 404
    assert client.post(start_url(brand), {}).status_code == 404


def test_a_city_admin_may_import_into_any_brand(client, city_admin, brand):
    client.force_login(city_admin)

    assert client.get(start_url(brand)).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/imports/no-such-import/?target=1",
        f"/imports/{KEY}/",  # no target
        f"/imports/{KEY}/?target=abc",
        f"/imports/{KEY}/?target=99999999999999999999999",
        f"/imports/{KEY}/?target=999999",
    ],
)
def test_an_unknown_import_or_target_is_404(official_client, url):
    assert official_client.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, brand, upload):
    batch = upload([["诚信服务", "ethics"]])
    client.logout()
    urls = [
        start_url(brand),
        reverse("imports:template", args=[KEY]),
        *(reverse(f"imports:{name}", args=[batch.pk]) for name in ("batch", "batch_status", "batch_errors")),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    for name in ("batch_confirm", "batch_undo"):
        response = client.post(reverse(f"imports:{name}", args=[batch.pk]))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["batch", "batch_status", "batch_errors", "batch_confirm", "batch_undo"])
def test_another_users_batch_is_404(client, upload, official_a, name):
    batch = upload([["诚信服务", "ethics"], ["坏", "cooking"]])
    client.force_login(factories.OfficialFactory(county=official_a.county))  # same county, not the uploader

    response = (
        client.post(reverse(f"imports:{name}", args=[batch.pk]))
        if name
        in (
            "batch_confirm",
            "batch_undo",
        )
        else client.get(reverse(f"imports:{name}", args=[batch.pk]))
    )

    assert response.status_code == 404


def test_a_batch_is_404_once_its_importer_may_no_longer_import_into_the_target(
    official_client, upload, official_a
):
    batch = upload([["诚信服务", "ethics"]])
    official_a.county = factories.make_county("341525")
    official_a.save(update_fields=["county"])

    assert official_client.get(reverse("imports:batch", args=[batch.pk])).status_code == 404


def test_the_batch_page_shows_the_preview_and_the_refused_rows(official_client, upload):
    batch = upload([["诚信服务", "ethics"], ["规范操作", "cooking"], ["", "skill"]])

    page = official_client.get(reverse("imports:batch", args=[batch.pk])).content.decode()

    assert re.search(r'data-count="create">1<', page)
    assert re.search(r'data-count="refused">2<', page)
    assert '<tr data-refused-row="3">' in page and '<tr data-refused-row="4">' in page
    assert "要求: This field is required." in page
    assert f'href="/imports/batch/{batch.pk}/errors/"' in page
    assert "Confirm the import" not in page


def test_the_batch_page_offers_the_confirmation_when_every_row_is_accepted(official_client, upload, confirm):
    batch = upload([["诚信服务", "ethics"], ["规范操作", "skill"]])

    page = official_client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "Confirm to create 2 and update 0 records" in page
    assert f'action="/imports/batch/{batch.pk}/confirm/"' in page

    confirm(batch)
    page = official_client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "Imported on" in page and re.search(r'data-count="create">2<', page)
    assert "Confirm the import" not in page
    assert f'action="/imports/batch/{batch.pk}/undo/"' in page


def test_while_a_task_works_the_page_shows_a_progress_bar_and_loads_its_script(official_client, upload):
    batch = upload([["诚信服务", "ethics"]])
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.COMMITTING, rows_total=400)
    from django.core.cache import cache

    cache.set(f"imports:batch:{batch.pk}:done", 200)

    page = official_client.get(reverse("imports:batch", args=[batch.pk])).content.decode()

    assert f'data-import-status-url="/imports/batch/{batch.pk}/status/"' in page
    assert re.search(r'<progress [^>]*value="200" max="400" aria-labelledby="import-progress-label"', page)
    assert '<script src="/static/js/import_progress.js" defer></script>' in page
    assert f'href="/imports/batch/{batch.pk}/">Refresh</a>' in page  # without JavaScript
    assert "<script>" not in page  # no inline script: the CSP allows the site's own files only


def test_the_status_json_gives_the_step_and_the_rows_done(official_client, upload):
    batch = upload([["诚信服务", "ethics"], ["规范操作", "skill"]])
    url = reverse("imports:batch_status", args=[batch.pk])

    done = official_client.get(url)
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.VALIDATING)
    from django.core.cache import cache

    cache.set(f"imports:batch:{batch.pk}:done", 1)
    working = official_client.get(url)

    assert done.json() == {
        "status": "validated",
        "working": False,
        "rows_done": 2,
        "rows_total": 2,
        "percent": 100,
    }
    assert working.json() == {
        "status": "validating",
        "working": True,
        "rows_done": 1,
        "rows_total": 2,
        "percent": 50,
    }
    assert "no-cache" in working["Cache-Control"]


def test_the_template_has_the_headers_text_columns_drop_downs_and_instructions(official_client, brand):
    response = official_client.get(reverse("imports:template", args=[KEY]) + f"?target={brand.pk}")

    assert response["Content-Type"] == XLSX_TYPE
    assert f'filename="{KEY}-template.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["要求*", "维度*", "联系人", "联系人身份证号"]
    assert [c.value for c in sheet[2]] == ["遵守职业道德", "ethics", None, None]
    assert sheet.column_dimensions["D"].number_format == "@"  # ID numbers stay text
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"ethics,skill,service"'
    assert str(validation.sqref) == "B2:B50001"
    assert book.sheetnames[1] == "填写说明"
    instructions = [row[0] for row in book["填写说明"].iter_rows(values_only=True)]
    assert "Columns whose header ends in * must be filled in." in instructions


def test_a_long_list_goes_to_a_hidden_sheet(official_client, brand, standards_import, monkeypatch):
    from laborbrand.imports.engine import Column

    long_list = [f"工种{n}" for n in range(200)]
    columns = (*standards_import.columns[:1], Column("dimension", "维度", choices=lambda: long_list))
    monkeypatch.setattr(standards_import, "columns", columns)

    response = official_client.get(reverse("imports:template", args=[KEY]) + f"?target={brand.pk}")

    book = load_workbook(io.BytesIO(response.content))
    (validation,) = book.worksheets[0].data_validations.dataValidation
    assert validation.formula1 == "'选项'!$B$2:$B$201"
    assert book["选项"].sheet_state == "hidden"
    assert [
        row[0] for row in book["选项"].iter_rows(min_col=2, max_col=2, min_row=2, values_only=True)
    ] == long_list


def test_the_error_report_is_the_sheet_with_each_rows_reasons(official_client, upload):
    batch = upload(
        [["诚信服务", "ethics"], ['=HYPERLINK("http://x")', "cooking"], [None, None], ["", "skill"]]
    )

    response = official_client.get(reverse("imports:batch_errors", args=[batch.pk]))

    assert response["Content-Type"] == XLSX_TYPE
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("行号", "要求*", "维度*", "联系人", "联系人身份证号", "错误")
    assert rows[1] == (2, "诚信服务", "ethics", None, None, None)
    assert rows[2][:3] == (3, '\'=HYPERLINK("http://x")', "cooking")  # a formula comes back as text
    assert rows[2][5].startswith("维度: Select a valid choice.")
    assert rows[3] == (5, None, "skill", None, None, "要求: This field is required.")


def test_the_corrected_error_report_can_be_uploaded_again(official_client, upload):
    batch = upload([["诚信服务", "ethics"], ["规范操作", "cooking"]])
    report = official_client.get(reverse("imports:batch_errors", args=[batch.pk])).content
    book = load_workbook(io.BytesIO(report))
    book.worksheets[0]["C3"] = "skill"
    buffer = io.BytesIO()
    book.save(buffer)

    again = upload(content=buffer.getvalue())

    assert (again.to_create, again.refused) == (2, 0)


def test_no_personal_data_in_any_url(official_client, upload, confirm):
    number = factories.make_id_number(31)
    batch = upload([["诚信服务", "ethics", "张三", number]], name="张三.xlsx")
    confirm(batch)
    page = official_client.get(reverse("imports:batch", args=[batch.pk]))

    urls = re.findall(r'(?:href|action|src|data-import-status-url)="([^"]*)"', page.content.decode())
    assert urls
    for url in [*urls, page.wsgi_request.get_full_path()]:
        assert number not in url and "张三" not in url


def test_prune_deletes_old_files_and_unimported_batches_and_unsticks_dead_tasks(upload, confirm):
    kept = upload([["诚信服务", "ethics"]])
    confirm(kept)
    unimported = upload([["规范操作", "skill"]])
    stuck = upload([["爱岗敬业", "skill"]])
    ImportBatch.objects.filter(pk=stuck.pk).update(
        status=Status.COMMITTING, status_changed=timezone.now() - datetime.timedelta(hours=2)
    )
    long_ago = timezone.now() - datetime.timedelta(days=31)
    ImportBatch.objects.filter(pk__in=[kept.pk, unimported.pk]).update(created=long_ago)
    storage, name = kept.file.storage, kept.file.name

    result = work.batches_prune()

    assert result == {"stalled": 1, "deleted": 1, "files_deleted": 1}
    assert not ImportBatch.objects.filter(pk=unimported.pk).exists()
    kept.refresh_from_db()
    assert kept.status == Status.COMMITTED and not kept.file and not storage.exists(name)
    stuck.refresh_from_db()
    assert stuck.status == Status.VALIDATED and "nothing was written" in stuck.message


def test_the_error_report_of_a_pruned_file_says_so(official_client, upload):
    batch = upload([["规范操作", "cooking"]])
    ImportBatch.objects.filter(pk=batch.pk).update(file="")

    response = official_client.get(reverse("imports:batch_errors", args=[batch.pk]), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "The uploaded file is no longer kept. Upload it again."
    ]


def test_the_prune_command_runs_the_clean_up(upload):
    from io import StringIO

    from django.core.management import call_command

    batch = upload([["规范操作", "skill"]])
    ImportBatch.objects.filter(pk=batch.pk).update(created=timezone.now() - datetime.timedelta(days=31))
    out = StringIO()

    call_command("prune_imports", stdout=out)

    assert "1 unimported batches" in out.getvalue()
    assert not ImportBatch.objects.exists()


def test_an_undo_in_progress_shows_a_bar_without_figures(official_client, upload):
    batch = upload([["诚信服务", "ethics"]])
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.UNDOING)

    status = official_client.get(reverse("imports:batch_status", args=[batch.pk])).json()
    page = official_client.get(reverse("imports:batch", args=[batch.pk])).content.decode()

    assert status == {
        "status": "undoing",
        "working": True,
        "rows_done": 1,
        "rows_total": None,
        "percent": None,
    }
    assert (
        re.search(r"<progress [^>]*aria-labelledby", page)
        and '<progress class="w-100" id="import-progress" value' not in page
    )
