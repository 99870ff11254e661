"""Files that are not a plain .xlsx workbook are refused with a message, and nothing is written."""

import html
import io
import re

import pytest
from django.urls import reverse

from brands.models import BrandStandard
from laborbrand.accounts.models import User
from laborbrand.imports import files
from laborbrand.imports.engine import ImportFileError
from laborbrand.imports.models import ImportBatch
from tests.imports import hostile
from tests.imports.conftest import start_url, upload_file
from tests.imports.importer import StandardsImporter, workbook

pytestmark = pytest.mark.django_db

# (the file, the words its refusal says, where it is refused: on the upload form, before anything is kept,
# or by the check task, which opens the workbook and reads its rows)
HOSTILE = [
    pytest.param(hostile.renamed_text_file, "is not an Excel workbook (.xlsx)", "form", id="renamed-csv"),
    pytest.param(
        hostile.ole_file, "protected with a password or is an old Excel 97", "form", id="encrypted-or-xls"
    ),
    pytest.param(hostile.macro_workbook, "contains macros", "form", id="xlsm-vba-project"),
    pytest.param(hostile.macro_type_only, "contains macros", "form", id="xlsm-content-type"),
    pytest.param(hostile.zip_bomb, "unpacks to far more data", "form", id="zip-bomb"),
    pytest.param(hostile.high_ratio_part, "unpacks to far more data", "form", id="absurd-ratio"),
    pytest.param(hostile.too_large, "larger than 10.0", "form", id="over-10-mb"),
    pytest.param(hostile.zip_not_workbook, "is not an Excel workbook (.xlsx)", "form", id="zip-not-workbook"),
    pytest.param(hostile.truncated_workbook, "could not be read", "form", id="truncated"),
    pytest.param(hostile.damaged_workbook, "could not be read", "task", id="damaged-workbook-part"),
    pytest.param(hostile.too_many_rows, "more than 50000 rows", "task", id="over-50000-rows"),
    pytest.param(
        lambda: workbook([["遵守职业道德"]], headers=["要求*", "联系人"]),
        "Missing: 维度",
        "task",
        id="missing-header",
    ),
    pytest.param(lambda: workbook([]), "no rows under its column headers", "task", id="no-rows"),
    pytest.param(
        lambda: workbook([["遵守职业道德", "ethics", "", ""]]),
        "only the template's example row",
        "task",
        id="example-only",
    ),
]


@pytest.mark.parametrize(("make", "says", "where"), HOSTILE)
def test_hostile_file_is_refused_with_a_message_and_nothing_written(
    official_client, brand, run_tasks, make, says, where
):
    users = User.objects.count()

    with run_tasks():
        response = official_client.post(start_url(brand), {"file": upload_file(make())})

    if where == "form":
        assert response.status_code == 200
        assert says in response.context["form"].errors["file"][0]
        assert says in html.unescape(response.content.decode())
        assert not ImportBatch.objects.exists()  # nothing kept, not even the file
    else:
        assert response.status_code == 302
        batch = ImportBatch.objects.get()
        assert batch.status == ImportBatch.Status.FAILED
        assert says in batch.message
        assert not batch.file  # a refused file is not kept
        page = official_client.get(response.url)
        assert says in html.unescape(page.content.decode())
        assert "Confirm the import" not in page.content.decode()
    assert not BrandStandard.objects.exists()
    assert User.objects.count() == users


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (hostile.renamed_text_file, "is not an Excel workbook"),
        (hostile.ole_file, "without a password"),
        (hostile.macro_workbook, "macros"),
        (hostile.zip_not_workbook, "is not an Excel workbook"),
        (hostile.truncated_workbook, "could not be read"),
        (lambda: b"", "is not an Excel workbook"),
    ],
)
def test_check_upload_refuses_without_opening_the_workbook(make, says):
    with pytest.raises(ImportFileError, match=says):
        files.check_upload(io.BytesIO(make()))


def test_check_upload_accepts_a_plain_workbook_and_leaves_it_at_its_start():
    file = io.BytesIO(workbook([["诚信服务", "ethics"]]))
    file.seek(10)

    files.check_upload(file)

    assert file.tell() == 0


def test_a_damaged_sheet_is_refused_while_reading(settings):
    content = hostile.rezipped(
        workbook([["诚信服务", "ethics"]]),
        edit=lambda name, data: b"<worksheet><sheetData><row" if name == "xl/worksheets/sheet1.xml" else data,
    )
    files.check_upload(io.BytesIO(content))

    with (
        pytest.raises(ImportFileError, match="could not be read"),
        files.open_cells(io.BytesIO(content)) as (cells, _claimed),
    ):
        list(cells)


def test_the_row_limit_counts_the_rows_read(settings):
    settings.IMPORT_MAX_ROWS = 3
    content = workbook([[f"要求{n}", "ethics"] for n in range(4)])
    with (
        files.open_rows(io.BytesIO(content), StandardsImporter.columns) as rows,
        pytest.raises(ImportFileError, match="more than 3 rows"),
    ):
        list(rows)


def test_formula_cells_are_read_as_their_text_never_evaluated(upload, confirm, brand):
    batch = upload([["=1+1", "ethics"], ['=HYPERLINK("http://example.com","点我")', "skill"]])
    assert batch.to_create == 2, batch.refused_rows

    confirm(batch)

    assert set(brand.standards.values_list("requirement", flat=True)) == {
        "=1+1",
        '=HYPERLINK("http://example.com","点我")',
    }


def test_the_upload_form_names_the_limits_and_accepts_only_xlsx(official_client, brand):
    page = official_client.get(start_url(brand)).content.decode()

    assert 'accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"' in page
    assert "10.0" in page and "50,000 rows" in page
    assert re.search(r'<label\s+for="id_file"', page)
    assert 'aria-describedby="id_file_helptext"' in page


def test_upload_without_a_file_is_a_form_error(official_client, brand):
    response = official_client.post(start_url(brand), {})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Choose the filled-in workbook to upload."]
    assert not ImportBatch.objects.exists()


def test_the_stored_file_has_a_random_name_and_keeps_the_original_one_apart(upload):
    batch = upload([["诚信服务", "ethics"]], name="金寨县 张三 名单.xlsx")

    assert batch.file_name == "金寨县 张三 名单.xlsx"
    assert batch.file.name.startswith("imports/"), (batch.file.name, batch.status, batch.message)
    assert "张三" not in batch.file.name
    assert reverse("imports:batch", args=[batch.pk]) == f"/imports/batch/{batch.pk}/"
