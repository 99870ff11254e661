"""Checking and committing a batch: the preview's counts, refused rows and their reasons, all or nothing,
importing the same file twice, and a commit that finds the records changed since the check."""

import pytest
from django.urls import reverse

from brands.models import BrandStandard
from laborbrand.accounts.models import User
from laborbrand.exceptions import InvalidTransition
from laborbrand.imports import services, work
from laborbrand.imports.models import ImportBatch, ImportedObject
from tests import factories

pytestmark = pytest.mark.django_db

Status = ImportBatch.Status


def test_the_preview_counts_rows_to_create_update_leave_and_refuse(upload, brand):
    BrandStandard.objects.create(brand=brand, dimension="ethics", requirement="守时")
    BrandStandard.objects.create(brand=brand, dimension="ethics", requirement="诚信")

    batch = upload(
        [
            ["新标准一", "skill"],
            ["新标准二", "service"],
            ["守时", "skill"],  # update: the dimension changes
            ["诚信", "ethics"],  # unchanged
            ["", "ethics"],  # refused: requirement missing
            ["坏维度", "cooking"],  # refused: not a dimension
        ]
    )

    assert batch.status == Status.VALIDATED
    assert (batch.to_create, batch.to_update, batch.unchanged, batch.refused) == (2, 1, 1, 2)
    assert [entry["row"] for entry in batch.refused_rows] == [6, 7]
    assert batch.refused_rows[0]["errors"] == ["要求: This field is required."]
    assert batch.refused_rows[1]["errors"][0].startswith("维度: Select a valid choice.")
    assert batch.rows_total == 6 and batch.rows_done == 6
    assert BrandStandard.objects.count() == 2  # checking writes nothing


def test_a_row_repeating_an_earlier_row_of_the_file_is_refused(upload):
    batch = upload([["诚信服务", "ethics"], ["规范操作", "skill"], ["诚信服务", "skill"]])

    assert batch.refused_rows == [{"row": 4, "errors": ["Row 4 is the same record as row 2 of this file."]}]
    assert (batch.to_create, batch.refused) == (2, 1)


def test_the_template_example_row_left_in_is_not_imported(upload):
    batch = upload([["遵守职业道德", "ethics"], ["诚信服务", "skill"]])

    assert (batch.to_create, batch.refused, batch.rows_total) == (1, 0, 1)


def test_empty_rows_and_unknown_columns_are_ignored(upload):
    from tests.imports.importer import workbook

    content = workbook(
        [["诚信服务", "x", "ethics"], [None, None, None], ["规范操作", "y", "skill"]],
        headers=["要求", "备注", "维度*"],
    )
    batch = upload(content=content)

    assert (batch.to_create, batch.refused) == (2, 0)


@pytest.mark.parametrize(
    ("row", "says"),
    [
        (["诚信服务", "ethics", "张三", "341524200001010001"], "联系人身份证号: The last character"),
        (["诚信服务", "341524200001010001", "", ""], "维度: Select a valid choice. *** is not one"),
        (["诚信服务", "13900000001", "", ""], "维度: Select a valid choice. *** is not one"),
        (["诚信服务", "139 0000 0001", "", ""], "维度: Select a valid choice. *** is not one"),
    ],
)
def test_refusal_reasons_never_repeat_an_id_number_or_a_phone(upload, row, says):
    batch = upload([row])

    reasons = " ".join(batch.refused_rows[0]["errors"])
    assert says in reasons
    for number in ("341524200001010001", "13900000001", "0000 0001"):
        assert number not in reasons


def test_a_name_that_does_not_match_the_id_number_is_refused_without_saying_whose_it_is(upload):
    worker = factories.WorkerFactory(real_name="李四")

    batch = upload([["诚信服务", "ethics", "张三", worker.id_number]])

    assert batch.refused_rows[0]["errors"] == [
        "联系人身份证号: The name does not match the name registered with this ID number."
    ]


def test_confirming_writes_every_row_and_records_what_it_wrote(upload, confirm, brand, official_a):
    existing = BrandStandard.objects.create(brand=brand, dimension="ethics", requirement="守时")
    id_number = factories.make_id_number(7)
    batch = upload([["诚信服务", "skill", "张三", id_number], ["守时", "service"]])

    response = confirm(batch)

    assert response.status_code == 302 and response.url == reverse("imports:batch", args=[batch.pk])
    assert batch.status == Status.COMMITTED and batch.committed_at is not None
    assert (batch.to_create, batch.to_update, batch.unchanged, batch.refused) == (1, 1, 0, 0)
    created = brand.standards.get(requirement="诚信服务")
    existing.refresh_from_db()
    assert existing.dimension == "service"
    record = User.objects.by_id_number(id_number).get()
    assert (record.real_name, record.registered) == ("张三", False)
    written = {(o.content_type.model, o.object_id, o.created) for o in batch.written.all()}
    assert written == {
        ("user", record.pk, True),
        ("brandstandard", created.pk, True),
        ("brandstandard", existing.pk, False),
    }
    # The history names the importer, though the rows were written by a task.
    assert created.history.get().history_user == official_a
    assert existing.history.latest().history_user == official_a


def test_one_refused_row_means_nothing_can_be_confirmed(upload, confirm, official_client):
    batch = upload([["诚信服务", "ethics"], ["规范操作", "cooking"]])

    page = official_client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    response = confirm(batch)

    assert "Confirm the import" not in page
    assert "Download the error report" in page
    assert batch.status == Status.VALIDATED
    assert not BrandStandard.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "Rows were refused: correct them in the file and upload it again. Nothing is imported until "
        "every row is accepted."
    ]


def test_a_commit_that_finds_a_row_refused_now_writes_nothing(upload, confirm, brand):
    """The records changed between the check and the confirmation: the last row is refused at commit, and the
    rows before it, already written in the transaction, are rolled back."""
    worker_number = factories.make_id_number(8)
    batch = upload(
        [
            ["诚信服务", "ethics", "张三", factories.make_id_number(9)],
            ["规范操作", "skill", "王五", worker_number],
        ]
    )
    assert batch.refused == 0
    factories.WorkerFactory(real_name="赵六", id_number=worker_number)  # someone registered meanwhile
    users = User.objects.count()

    confirm(batch)

    assert batch.status == Status.VALIDATED
    assert batch.refused == 1 and batch.refused_rows[0]["row"] == 3
    assert "Nothing was imported" in batch.message
    assert not BrandStandard.objects.exists()
    assert User.objects.count() == users  # the first row's worker record was rolled back too
    assert not ImportedObject.objects.exists()


def test_a_write_the_database_refuses_refuses_the_row_and_writes_nothing(upload, confirm, brand, monkeypatch):
    from django.db import IntegrityError

    from tests.imports.importer import StandardsImporter

    batch = upload([["诚信服务", "ethics"], ["规范操作", "skill"]])
    original = StandardsImporter.write

    def clash(self, cleaned, existing):
        if cleaned["requirement"] == "规范操作":
            raise IntegrityError("duplicate key value violates unique constraint (secret 341524200001010001)")
        return original(self, cleaned, existing)

    monkeypatch.setattr(StandardsImporter, "write", clash)
    confirm(batch)

    assert batch.status == Status.VALIDATED
    assert batch.refused_rows == [
        {
            "row": 3,
            "errors": ["This row clashes with a record saved meanwhile. Check the file and try again."],
        }
    ]
    assert not BrandStandard.objects.exists()


def test_importing_the_same_file_twice_changes_nothing_the_second_time(upload, confirm, brand):
    rows = [["诚信服务", "ethics", "张三", factories.make_id_number(11)], ["规范操作", "skill"]]
    first = upload(rows)
    confirm(first)
    standards = list(BrandStandard.objects.values_list("pk", "dimension", "requirement"))
    users = User.objects.count()
    histories = BrandStandard.history.count()

    second = upload(rows)
    assert (second.to_create, second.to_update, second.unchanged, second.refused) == (0, 0, 2, 0)
    confirm(second)

    assert second.status == Status.COMMITTED  # recorded with its counts
    assert (second.to_create, second.to_update, second.unchanged) == (0, 0, 2)
    assert list(BrandStandard.objects.values_list("pk", "dimension", "requirement")) == standards
    assert User.objects.count() == users
    assert BrandStandard.history.count() == histories
    assert not second.written.exists()


@pytest.mark.parametrize(
    "status", [Status.VALIDATING, Status.COMMITTING, Status.COMMITTED, Status.UNDONE, Status.FAILED]
)
def test_a_batch_past_its_check_cannot_be_confirmed_again(upload, confirm, status):
    batch = upload([["诚信服务", "ethics"]])
    ImportBatch.objects.filter(pk=batch.pk).update(status=status)

    response = confirm(batch)

    assert response.status_code == 302
    assert batch.status == status
    assert not BrandStandard.objects.exists()


def test_confirming_twice_writes_once(upload, confirm):
    batch = upload([["诚信服务", "ethics"]])

    confirm(batch)
    response = confirm(batch)

    assert [str(m) for m in response.wsgi_request._messages] == ["This file has already been imported."]
    assert BrandStandard.objects.count() == 1
    assert batch.written.count() == 1


def test_a_commit_task_delivered_twice_writes_once(upload, confirm):
    batch = upload([["诚信服务", "ethics"]])
    confirm(batch)

    work.batch_commit(batch.pk)  # the broker delivers the task again

    assert BrandStandard.objects.count() == 1
    assert batch.written.count() == 1


def test_only_the_uploader_may_confirm(upload, official_a):
    batch = upload([["诚信服务", "ethics"]])
    colleague = factories.OfficialFactory(county=official_a.county)

    with pytest.raises(InvalidTransition, match="Only the person who uploaded"):
        services.batch_confirm(batch=batch, user=colleague)


def test_a_task_that_fails_unexpectedly_moves_the_batch_back_and_logs_no_row_values(
    upload, confirm, monkeypatch, caplog
):
    from tests.imports.importer import StandardsImporter

    batch = upload([["诚信服务", "ethics"]])

    def broken(self, cleaned, existing):
        message = "boom " + "341524200001010001"  # an error quoting a value, as a database's detail may
        raise RuntimeError(message)

    monkeypatch.setattr(StandardsImporter, "write", broken)
    confirm(batch)

    assert batch.status == Status.VALIDATED
    assert "nothing was written" in batch.message
    assert batch.commit_started_at is None
    assert "RuntimeError" in caplog.text
    assert "341524200001010001" not in caplog.text


def test_a_batch_whose_importer_lost_access_fails_its_check(upload, official_a, brand, run_tasks):
    from laborbrand.imports import services as moves

    batch = upload([["诚信服务", "ethics"]])
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.VALIDATING)
    official_a.county = factories.make_county("341525")
    official_a.save(update_fields=["county"])

    work.batch_validate(batch.pk)

    batch.refresh_from_db()
    assert batch.status == Status.FAILED
    assert batch.message == "You may no longer import into this."
    assert moves.cannot_confirm(batch) == "This file cannot be imported."
