"""The three training imports through the import pages (laborbrand/imports: upload, check, preview, confirm,
undo), from the programme and session pages' links: what the user sees and what is stored.

The import pages come with the import app; until it is installed (issue 16's engine branch), these tests are
skipped."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from laborbrand.accounts.models import User
from tests import factories
from tests.training.import_helpers import xlsx
from tests.training.program_views_helpers import logged_in
from training.models import Enrollment, EthicsAttendance, TrainingProgram

pytest.importorskip("laborbrand.imports.models", reason="the import app is not installed yet")

from laborbrand.imports.models import ImportBatch

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TODAY = timezone.localdate()


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def import_page(key, target):
    return f"{reverse('imports:start', args=[key])}?target={target.pk}"


def upload(client, run_tasks, key, target, content) -> ImportBatch:
    with run_tasks():
        response = client.post(
            import_page(key, target), {"file": SimpleUploadedFile("名单.xlsx", content, content_type=XLSX)}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ImportBatch.objects.latest("pk")
    batch.refresh_from_db()
    return batch


def confirm(client, run_tasks, batch) -> ImportBatch:
    with run_tasks():
        client.post(reverse("imports:batch_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    return batch


def undo(client, run_tasks, batch) -> ImportBatch:
    with run_tasks():
        client.post(reverse("imports:batch_undo", args=[batch.pk]))
    batch.refresh_from_db()
    return batch


def preview(batch):
    return (batch.to_create, batch.to_update, batch.unchanged, batch.refused)


@pytest.fixture
def staff_client(client, institution_staff, qualified_institution_a):
    return logged_in(client, institution_staff)


def test_an_institution_imports_its_class_roster_fixes_two_rows_and_undoes_it(
    staff_client, run_tasks, program_a
):
    registered = factories.WorkerFactory(real_name="王小明")
    detail = staff_client.get(reverse("training:program_detail", args=[program_a.pk])).content.decode()
    assert f'href="{import_page("roster", program_a)}"' in detail

    template = staff_client.get(reverse("imports:template", args=["roster"]) + f"?target={program_a.pk}")
    headers = [cell.value for cell in load_workbook(BytesIO(template.content)).worksheets[0][1]]
    assert [h.rstrip("*") for h in headers[:2]] == ["姓名", "身份证号"]

    new_number = factories.make_id_number(750_001)
    bad = xlsx(
        ["姓名", "身份证号"],
        [
            [registered.real_name, registered.id_number],
            ["王大明", registered.id_number],  # the registered worker under another name
            ["赵新", new_number[:-1]],  # a digit short
        ],
    )
    batch = upload(staff_client, run_tasks, "roster", program_a, bad)
    assert preview(batch) == (1, 0, 0, 2)
    assert [row["row"] for row in batch.refused_rows] == [3, 4]
    page = staff_client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert registered.id_number not in page
    assert not Enrollment.objects.exists()

    good = xlsx(["姓名", "身份证号"], [[registered.real_name, registered.id_number], ["赵新", new_number]])
    batch = confirm(staff_client, run_tasks, upload(staff_client, run_tasks, "roster", program_a, good))
    assert batch.status == ImportBatch.Status.COMMITTED
    record = User.objects.by_id_number(new_number).get()
    assert record.registered is False
    assert set(program_a.enrollments.values_list("worker", "status", "walk_in")) == {
        (registered.pk, Enrollment.Status.ACCEPTED, True),
        (record.pk, Enrollment.Status.ACCEPTED, True),
    }

    again = upload(staff_client, run_tasks, "roster", program_a, good)
    assert preview(again) == (0, 0, 2, 0)

    assert undo(staff_client, run_tasks, batch).status == ImportBatch.Status.UNDONE
    assert not Enrollment.objects.exists()
    assert not User.objects.by_id_number(new_number).exists()
    assert User.objects.filter(pk=registered.pk).exists()


def test_an_institution_imports_its_class_results_and_undoes_them(staff_client, run_tasks, program_a):
    passing, failing = factories.EnrollmentFactory.create_batch(2, program=program_a, accepted=True)
    end = TODAY - datetime.timedelta(days=1)
    TrainingProgram.objects.filter(pk=program_a.pk).update(
        status=TrainingProgram.Status.RUNNING, start_date=end - datetime.timedelta(days=120), end_date=end
    )
    detail = staff_client.get(reverse("training:program_detail", args=[program_a.pk])).content.decode()
    assert f'href="{import_page("results", program_a)}"' in detail

    sheet = xlsx(
        ["姓名", "身份证号", "理论成绩", "实操成绩"],
        [
            [passing.worker.real_name, passing.worker.id_number, 88, 75.5],
            [failing.worker.real_name, failing.worker.id_number, 52, 90],
        ],
    )
    batch = upload(staff_client, run_tasks, "results", program_a, sheet)
    assert preview(batch) == (0, 2, 0, 0)
    batch = confirm(staff_client, run_tasks, batch)
    assert batch.status == ImportBatch.Status.COMMITTED
    for enrollment, scores, passed in ((passing, ("88", "75.5"), True), (failing, ("52", "90"), False)):
        enrollment.refresh_from_db()
        assert (
            enrollment.status,
            enrollment.theory_score,
            enrollment.practical_score,
            enrollment.passed,
        ) == (
            Enrollment.Status.COMPLETED,
            *(Decimal(s) for s in scores),
            passed,
        )

    assert undo(staff_client, run_tasks, batch).status == ImportBatch.Status.UNDONE
    for enrollment in (passing, failing):
        enrollment.refresh_from_db()
        assert (enrollment.status, enrollment.theory_score, enrollment.passed, enrollment.completed_at) == (
            Enrollment.Status.ACCEPTED,
            None,
            None,
            None,
        )


def test_an_official_imports_a_sessions_attendance(client, run_tasks, official_a):
    session = factories.EthicsSessionFactory(county=official_a.county)
    registered = factories.WorkerFactory()
    logged_in(client, official_a)
    detail = client.get(reverse("training:ethics_detail", args=[session.pk])).content.decode()
    assert f'href="{import_page("ethics_attendance", session)}"' in detail

    new_number = factories.make_id_number(750_101)
    sheet = xlsx(["姓名", "身份证号"], [[registered.real_name, registered.id_number], ["钱新", new_number]])
    batch = confirm(client, run_tasks, upload(client, run_tasks, "ethics_attendance", session, sheet))
    assert batch.status == ImportBatch.Status.COMMITTED
    assert set(EthicsAttendance.objects.values_list("worker__real_name", flat=True)) == {
        registered.real_name,
        "钱新",
    }


@pytest.mark.parametrize(
    ("persona", "key"),
    [
        ("institution_b_staff", "roster"),
        ("institution_b_staff", "results"),
        ("city_admin", "roster"),
        ("official_a", "results"),
        ("worker", "roster"),
        ("employer", "results"),
    ],
)
def test_another_partys_programme_import_page_is_404(client, request, program_a, persona, key):
    logged_in(client, request.getfixturevalue(persona))
    assert client.get(import_page(key, program_a)).status_code == 404


@pytest.mark.parametrize("persona", ["official_b", "institution_staff", "city_admin", "worker"])
def test_another_partys_session_import_page_is_404(client, request, official_a, persona):
    session = factories.EthicsSessionFactory(county=official_a.county)
    logged_in(client, request.getfixturevalue(persona))
    assert client.get(import_page("ethics_attendance", session)).status_code == 404
