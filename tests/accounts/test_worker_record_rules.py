"""Worker records opened from staff lists (laborbrand/accounts/records.py): one record per ID number, never
merged into another person's, never able to sign in until its owner registers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from laborbrand.accounts.models import User
from laborbrand.accounts.records import claimable_record, known_worker, worker_record
from tests import factories
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db


def test_an_unknown_id_number_opens_a_record_without_a_sign_in():
    record, created = worker_record(real_name=" 张 三 ", id_number=make_id_number(901).lower())

    assert created
    record.refresh_from_db()
    assert (record.role, record.registered, record.real_name) == (User.Role.WORKER, False, "张 三")
    assert record.id_number == make_id_number(901).upper()
    assert not record.has_usable_password()
    assert not record.phone
    assert not record.check_password("")


def test_the_same_person_named_twice_is_one_record():
    first, _ = worker_record(real_name="张三", id_number=make_id_number(902))
    again, created = worker_record(real_name="张 三", id_number=make_id_number(902))

    assert (again.pk, created) == (first.pk, False)
    assert User.objects.by_id_number(make_id_number(902)).count() == 1


def test_a_registered_worker_is_found_and_left_as_they_are():
    worker = factories.WorkerFactory(real_name="李四", id_number=make_id_number(903))

    found, created = worker_record(real_name="李四", id_number=make_id_number(903))

    assert (found.pk, created) == (worker.pk, False)
    worker.refresh_from_db()
    assert worker.registered and worker.has_usable_password()


@pytest.mark.parametrize(
    ("owner", "name", "code"),
    [
        ("worker", "王五", "name_mismatch"),
        ("official", "李四", "id_number_staff"),
    ],
)
def test_a_number_of_someone_else_is_refused_without_saying_whose(owner, name, code):
    factory = {"worker": factories.WorkerFactory, "official": factories.OfficialFactory}[owner]
    factory(real_name="李四", id_number=make_id_number(904))

    with pytest.raises(ValidationError) as raised:
        worker_record(real_name=name, id_number=make_id_number(904))

    assert raised.value.code == code
    assert "李四" not in " ".join(raised.value.messages)
    assert User.objects.by_id_number(make_id_number(904)).count() == 1


def test_known_worker_is_none_for_an_unknown_number():
    assert known_worker(real_name="赵六", id_number=make_id_number(905)) is None


@pytest.mark.parametrize(
    ("registered", "name", "claimable"),
    [(False, "张三", True), (False, "张 三", True), (False, "张四", False), (True, "张三", False)],
)
def test_only_an_unregistered_record_under_the_same_name_can_be_claimed(registered, name, claimable):
    record, _ = worker_record(real_name="张三", id_number=make_id_number(906))
    User.objects.filter(pk=record.pk).update(registered=registered)

    found = claimable_record(real_name=name, id_number=make_id_number(906))

    assert (found is not None) == claimable
