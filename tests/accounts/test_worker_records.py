"""Worker records known from staff lists (laborbrand/accounts/records.py): found by ID number and vetted by
name and role, opened without a sign-in one at a time or many at once (an import), and found again rather
than opened twice."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from laborbrand.accounts.models import User
from laborbrand.accounts.records import (
    known_worker,
    new_worker_record,
    open_worker_records,
    users_by_id_number,
    vetted_worker,
    worker_record,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_record_is_opened_once_and_found_after(official_a):
    number = factories.make_id_number_ending_in_x()

    record, opened = worker_record(real_name=" 王秀兰 ", id_number=number.lower())
    again, opened_again = worker_record(real_name="王 秀兰", id_number=number)

    assert opened and not opened_again and again == record
    assert (record.real_name, record.id_number, record.registered) == ("王秀兰", number, False)
    assert not record.has_usable_password() and record.phone is None
    assert record.username.startswith("w") and len(record.username) == 9


@pytest.mark.parametrize(
    ("holder", "name", "code"),
    [("worker", "王五", "name_mismatch"), ("institution_staff", None, "id_number_staff")],
)
def test_a_number_under_another_name_or_a_staff_account_is_refused(request, holder, name, code):
    user = request.getfixturevalue(holder)
    if user.id_number is None:
        user.id_number = factories.make_id_number(950)
        user.save()

    with pytest.raises(ValidationError) as refused:
        known_worker(real_name=name or user.real_name, id_number=user.id_number)

    assert refused.value.code == code
    assert user.real_name not in str(refused.value)


def test_many_are_looked_up_in_one_query_and_vetted_alike(worker, django_assert_num_queries):
    unknown = factories.make_id_number(903)

    with django_assert_num_queries(1):
        found = users_by_id_number({worker.id_number, unknown})

    assert found == {worker.id_number: worker}
    assert vetted_worker(found[worker.id_number], real_name=worker.real_name) == worker
    with pytest.raises(ValidationError):
        vetted_worker(found[worker.id_number], real_name="王五")


def test_many_records_are_opened_at_once_with_names_hashes_and_history(
    official_a, django_assert_max_num_queries
):
    records = [
        new_worker_record(real_name=f"张{n}", id_number=factories.make_id_number(910 + n)) for n in range(5)
    ]

    with django_assert_max_num_queries(4):
        open_worker_records(records, actor=official_a)

    assert all(record.pk for record in records)
    assert len({record.username for record in records}) == 5
    for record in records:
        assert User.objects.by_id_number(record.id_number).get() == record
        assert record.history.get().history_user == official_a
    again, opened = worker_record(real_name="张0", id_number=factories.make_id_number(910))
    assert again == records[0] and not opened


def test_opening_a_number_registered_meanwhile_fails_as_a_whole(worker):
    records = [
        new_worker_record(real_name="张1", id_number=factories.make_id_number(920)),
        new_worker_record(real_name=worker.real_name, id_number=worker.id_number),
    ]

    with pytest.raises(IntegrityError), transaction.atomic():
        open_worker_records(records)

    assert not User.objects.by_id_number(factories.make_id_number(920)).exists()
