"""Undoing an import: by its importer, within IMPORT_UNDO_DAYS, while nothing depends on its rows."""

import datetime

import pytest
from django.urls import reverse

from brands.models import BrandStandard
from laborbrand.accounts.models import User
from laborbrand.imports import services, undo
from laborbrand.imports.models import ImportBatch
from tests import factories

pytestmark = pytest.mark.django_db

Status = ImportBatch.Status


@pytest.fixture
def committed(upload, confirm, brand):
    """A committed import that created a standard with a contact's worker record and changed another."""
    BrandStandard.objects.create(brand=brand, dimension="ethics", requirement="守时")
    batch = upload([["诚信服务", "skill", "张三", factories.make_id_number(21)], ["守时", "service"]])
    confirm(batch)
    assert batch.status == Status.COMMITTED
    return batch


@pytest.fixture
def undo_it(official_client, run_tasks):
    def do(batch, client=None):
        with run_tasks():
            response = (client or official_client).post(reverse("imports:batch_undo", args=[batch.pk]))
        batch.refresh_from_db()
        return response

    return do


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_undo_deletes_what_the_import_created_and_puts_back_what_it_changed(
    committed, undo_it, brand, official_a
):
    response = undo_it(committed)

    assert response.status_code == 302 and messages_of(response) == []
    assert committed.status == Status.UNDONE
    assert committed.undone_by == official_a and committed.undone_at is not None
    assert list(brand.standards.values_list("requirement", "dimension")) == [("守时", "ethics")]
    assert not User.objects.filter(real_name="张三").exists()
    reverted = brand.standards.get().history.latest()
    assert reverted.history_user == official_a
    assert reverted.history_change_reason == f"import #{committed.pk} undone"


def test_undo_is_offered_on_the_batch_page_until_it_is_too_late(committed, official_client, settings):
    page = official_client.get(reverse("imports:batch", args=[committed.pk])).content.decode()
    assert "Undo this import" in page

    ImportBatch.objects.filter(pk=committed.pk).update(
        committed_at=committed.committed_at - datetime.timedelta(days=settings.IMPORT_UNDO_DAYS, seconds=1)
    )
    page = official_client.get(reverse("imports:batch", args=[committed.pk])).content.decode()
    assert "Undo this import" not in page
    assert "can be undone for 7 days after it was written" in page


def test_undo_is_refused_after_the_undo_days(committed, undo_it, brand):
    ImportBatch.objects.filter(pk=committed.pk).update(
        committed_at=committed.committed_at - datetime.timedelta(days=8)
    )

    response = undo_it(committed)

    assert messages_of(response) == [
        "An import can be undone for 7 days after it was written; this one is older."
    ]
    assert committed.status == Status.COMMITTED
    assert brand.standards.count() == 2


def test_undo_is_refused_when_a_record_it_wrote_was_changed_since(committed, undo_it, brand):
    standard = brand.standards.get(requirement="守时")
    standard.dimension = "skill"
    standard.save()

    undo_it(committed)

    assert committed.message == (
        "Records this import wrote have been changed since (brand standards (1)): undoing it would lose "
        "those changes."
    )
    assert committed.status == Status.COMMITTED
    assert brand.standards.count() == 2


def test_undo_is_refused_when_a_record_it_created_was_changed_since(committed, undo_it):
    worker = User.objects.get(real_name="张三")
    worker.real_name = "张三丰"
    worker.save()

    undo_it(committed)

    assert "Records this import wrote have been changed since (users (1))" in committed.message
    assert committed.status == Status.COMMITTED
    assert User.objects.filter(pk=worker.pk).exists()


def test_undo_is_refused_when_something_depends_on_what_it_created(
    committed, undo_it, brand, official_client
):
    worker = User.objects.get(real_name="张三")
    factories.NotificationFactory(recipient=worker)  # deleting the record would delete it

    undo_it(committed)

    assert committed.message == (
        "Other records now depend on the records this import created (notifications (1)): undoing it would "
        "delete or change them, so it cannot be undone."
    )
    assert committed.status == Status.COMMITTED
    assert User.objects.filter(pk=worker.pk).exists()
    assert brand.standards.count() == 2
    page = official_client.get(reverse("imports:batch", args=[committed.pk])).content.decode()
    assert "Other records now depend on the records this import created" in page


def test_undo_is_refused_when_a_protected_record_depends_on_what_it_created(committed, undo_it):
    worker = User.objects.get(real_name="张三")
    factories.BrandFactory(created_by=worker)  # PROTECT: deleting the record is blocked

    undo_it(committed)

    assert (
        "Other records now depend on the records this import created (labour brands (1))" in committed.message
    )
    assert committed.status == Status.COMMITTED


def test_a_record_the_import_only_found_may_change_without_blocking_the_undo(upload, confirm, undo_it, brand):
    worker = factories.WorkerFactory(real_name="王五")
    batch = upload([["诚信服务", "skill", "王五", worker.id_number]])
    confirm(batch)
    assert batch.written.filter(created=False).count() == 1  # the worker's record, found
    worker.real_name = "王五"
    worker.department = ""
    worker.save()  # a change after the import, to a record the import did not change

    undo_it(batch)

    assert batch.status == Status.UNDONE
    assert User.objects.filter(pk=worker.pk).exists()  # found, not created: kept
    assert not brand.standards.exists()


def test_another_user_cannot_undo_and_does_not_see_the_batch(committed, client, official_a, undo_it):
    colleague = factories.OfficialFactory(county=official_a.county)
    client.force_login(colleague)

    response = undo_it(committed, client=client)

    assert response.status_code == 404
    assert committed.status == Status.COMMITTED
    assert (
        services.cannot_undo(committed, colleague)
        == "Only the person who imported the file may undo the import."
    )


def test_undo_twice_is_refused_the_second_time(committed, undo_it):
    undo_it(committed)

    response = undo_it(committed)

    assert messages_of(response) == ["This import has already been undone."]
    assert committed.status == Status.UNDONE


def test_an_undo_task_that_finds_something_depending_gives_up(committed, official_a):
    """The undo task asks what depends on the rows: found something, it undoes nothing."""
    ImportBatch.objects.filter(pk=committed.pk).update(status=Status.UNDOING, undone_by=official_a)
    factories.NotificationFactory(recipient=User.objects.get(real_name="张三"))

    undo.batch_undo(committed.pk)

    committed.refresh_from_db()
    assert committed.status == Status.COMMITTED
    assert committed.undone_by is None
    assert "Other records now depend" in committed.message


def test_undoing_an_import_that_wrote_nothing_just_marks_it_undone(upload, confirm, undo_it, brand):
    BrandStandard.objects.create(brand=brand, dimension="ethics", requirement="守时")
    batch = upload([["守时", "ethics"]])
    confirm(batch)

    undo_it(batch)

    assert batch.status == Status.UNDONE
    assert brand.standards.count() == 1


def test_an_import_that_updated_a_record_without_an_earlier_version_cannot_be_undone(
    committed, undo_it, brand
):
    standard = brand.standards.get(requirement="守时")
    standard.history.filter(history_date__lt=committed.commit_started_at).delete()

    undo_it(committed)

    assert "earlier versions are not kept (brand standards (1))" in committed.message
    assert committed.status == Status.COMMITTED and committed.undone_by is None
