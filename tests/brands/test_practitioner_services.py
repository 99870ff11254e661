"""The practitioner register's services: putting a person on a brand's register (their worker record found
by ID number, or opened without a sign-in), changing an entry, removing one with a reason; who may, and what
is refused with nothing written."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from brands import services
from brands.models import Brand, Practitioner
from laborbrand.accounts.models import User
from laborbrand.exceptions import InvalidTransition
from laborbrand.reference.models import Occupation, Township
from tests import factories

pytestmark = pytest.mark.django_db

SINCE = datetime.date(2019, 5, 1)


def occupation(name="家政服务员"):
    return Occupation.objects.get(name=name)


def add(brand, actor, **extra):
    data = {
        "brand": brand,
        "actor": actor,
        "real_name": "张秀英",
        "id_number": factories.make_id_number(901),
        "occupation": occupation(),
        "since": SINCE,
        "employer": "金寨县红嫂家政服务有限公司",
    }
    data.update(extra)
    return services.practitioner_add(**data)


def test_an_unknown_id_number_opens_a_record_without_a_sign_in(register_brand, official_a):
    practitioner, opened = add(register_brand, official_a, contact_phone="13912345678")

    assert opened
    worker = practitioner.worker
    worker.refresh_from_db()
    assert (worker.real_name, worker.id_number, worker.role) == (
        "张秀英",
        factories.make_id_number(901),
        "worker",
    )
    assert worker.registered is False
    assert not worker.has_usable_password()
    assert worker.phone is None  # the county's contact phone is not the account's
    practitioner.refresh_from_db()
    assert practitioner.brand == register_brand
    assert practitioner.occupation == occupation()
    assert practitioner.contact_phone == "13912345678"
    assert practitioner.source == Practitioner.Source.ENTERED
    assert practitioner.created_by == official_a
    assert practitioner.is_active
    assert practitioner.history.count() == 1


def test_a_registered_workers_id_number_joins_their_account_untouched(register_brand, official_a, worker):
    phone, users = worker.phone, User.objects.count()

    practitioner, opened = add(
        register_brand, official_a, real_name=f" {worker.real_name} ", id_number=worker.id_number
    )

    assert not opened
    assert practitioner.worker == worker
    worker.refresh_from_db()
    assert worker.phone == phone and worker.registered
    assert User.objects.count() == users


def test_the_contact_phone_is_stored_encrypted(register_brand, official_a):
    practitioner, _ = add(register_brand, official_a, contact_phone="13912345678")

    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM brands_practitioner WHERE id = %s", [practitioner.pk])
        stored = cursor.fetchone()[0]
    assert "13912345678" not in stored
    assert practitioner.masked_contact_phone == "139****5678"


def test_a_self_employed_practitioner_keeps_no_employer(register_brand, official_a):
    practitioner, _ = add(register_brand, official_a, self_employed=True, employer="某公司")

    assert (practitioner.self_employed, practitioner.employer) == (True, "")
    assert practitioner.workplace  # "Self-employed", in the page's language


REFUSED = {
    "a staff account's ID number": lambda brand, staff: {
        "id_number": staff.id_number,
        "real_name": staff.real_name,
    },
    "another name for a known ID number": lambda brand, staff: {
        "id_number": factories.WorkerFactory(real_name="李四").id_number,
        "real_name": "王五",
    },
    "an occupation of no brand's": lambda brand, staff: {"occupation": occupation("数控车工")},
    "a township of another county": lambda brand, staff: {
        "township": Township.objects.filter(county__code="341525").first()
    },
    "a start in the future": lambda brand, staff: {
        "since": timezone.localdate() + datetime.timedelta(days=1)
    },
    "neither employed nor self-employed": lambda brand, staff: {"employer": "  ", "self_employed": False},
}


@pytest.mark.parametrize("case", REFUSED)
def test_refused_additions_write_nothing(register_brand, official_a, case):
    staff = factories.InstitutionStaffFactory(real_name="赵老师", id_number=factories.make_id_number(950))
    refused = REFUSED[case](register_brand, staff)
    users = User.objects.count()

    with pytest.raises(InvalidTransition):
        add(register_brand, official_a, **refused)

    assert not Practitioner.objects.exists()
    assert User.objects.count() == users


@pytest.mark.parametrize(
    "who",
    ["official_b", "city_admin", "institution_staff", "worker"],
)
def test_only_the_brands_county_keeps_its_register(register_brand, request, who):
    with pytest.raises(PermissionDenied):
        add(register_brand, request.getfixturevalue(who))

    assert not Practitioner.objects.exists()


def test_a_retired_brands_register_no_longer_changes(register_brand, official_a):
    entry = factories.PractitionerFactory(brand=register_brand)
    Brand.objects.filter(pk=register_brand.pk).update(status=Brand.Status.RETIRED)
    register_brand.refresh_from_db()

    with pytest.raises(PermissionDenied):
        add(register_brand, official_a)
    with pytest.raises(PermissionDenied):
        services.practitioner_remove(practitioner=entry, actor=official_a, reason="品牌退出")
    entry.refresh_from_db()
    assert entry.is_active


def test_a_person_is_on_a_brands_register_once(register_brand, official_a):
    add(register_brand, official_a)

    with pytest.raises(IntegrityError), transaction.atomic():
        add(register_brand, official_a, occupation=occupation("育婴员"))
    assert Practitioner.objects.count() == 1


def test_the_same_person_may_be_on_two_brands_registers(register_brand, official_a):
    other = factories.CultivatingBrandFactory(
        county=official_a.county, occupations=[occupation()], category=factories.make_category("domestic")
    )

    first, _ = add(register_brand, official_a)
    second, opened = add(other, official_a)

    assert second.worker == first.worker and not opened


def test_a_removed_practitioner_can_be_registered_again(register_brand, official_a):
    first, _ = add(register_brand, official_a)
    services.practitioner_remove(practitioner=first, actor=official_a, reason="外出务工")

    again, opened = add(register_brand, official_a)

    assert not opened and again.worker == first.worker
    assert list(register_brand.practitioners.active()) == [again]
    assert register_brand.practitioners.count() == 2


def test_removal_keeps_the_entry_with_who_when_and_why(register_brand, official_a):
    entry, _ = add(register_brand, official_a)

    services.practitioner_remove(practitioner=entry, actor=official_a, reason="  已转行  ")

    entry.refresh_from_db()
    assert not entry.is_active
    assert entry.removed_by == official_a
    assert entry.removal_reason == "已转行"
    assert timezone.now() - entry.removed_at < datetime.timedelta(minutes=1)
    assert entry.history.count() == 2


@pytest.mark.parametrize("reason", ["", "   "])
def test_removal_needs_a_reason(register_brand, official_a, reason):
    entry, _ = add(register_brand, official_a)

    with pytest.raises(InvalidTransition):
        services.practitioner_remove(practitioner=entry, actor=official_a, reason=reason)

    entry.refresh_from_db()
    assert entry.is_active


def test_a_removed_entry_is_neither_removed_again_nor_changed(register_brand, official_a):
    entry = factories.PractitionerFactory(brand=register_brand, removed=True)

    with pytest.raises(InvalidTransition):
        services.practitioner_remove(practitioner=entry, actor=official_a, reason="again")
    with pytest.raises(InvalidTransition):
        services.practitioner_update(
            practitioner=entry,
            actor=official_a,
            occupation=occupation("育婴员"),
            since=SINCE,
            self_employed=True,
        )
    entry.refresh_from_db()
    assert entry.removal_reason == "已转行" and entry.occupation == occupation()


def test_an_update_changes_the_details_not_the_person(register_brand, official_a):
    entry, _ = add(register_brand, official_a, contact_phone="13912345678")
    township = Township.objects.get(county=register_brand.county, name="梅山镇")

    services.practitioner_update(
        practitioner=entry,
        actor=official_a,
        occupation=occupation("育婴员"),
        since=datetime.date(2020, 1, 2),
        self_employed=True,
        employer="旧公司",
        township=township,
        contact_phone="",
    )

    entry.refresh_from_db()
    assert (entry.occupation, entry.since, entry.self_employed, entry.employer, entry.township) == (
        occupation("育婴员"),
        datetime.date(2020, 1, 2),
        True,
        "",
        township,
    )
    assert entry.contact_phone is None
    assert entry.worker.id_number == factories.make_id_number(901)
    assert entry.history.count() == 2


def test_the_database_keeps_employer_or_self_employed_exclusive(register_brand):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.PractitionerFactory(brand=register_brand, self_employed=True, employer="某公司")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.PractitionerFactory(brand=register_brand, self_employed=False, employer="")
