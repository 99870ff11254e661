"""The register's forms: adding a person (name and ID number checked as the registration form checks them,
the details with them) and editing an entry's details. Every bad input is refused on the field it
concerns."""

import datetime

import pytest
from django.utils import timezone

from brands.forms import PractitionerDetailsForm, PractitionerForm
from laborbrand.reference.models import Occupation, Township
from tests import factories

pytestmark = pytest.mark.django_db


def valid_data(brand, **changes):
    data = {
        "real_name": "张秀英",
        "id_number": factories.make_id_number(901),
        "contact_phone": "",
        "occupation": str(Occupation.objects.get(name="家政服务员").pk),
        "employer": "金寨县红嫂家政服务有限公司",
        "township": str(Township.objects.get(county=brand.county, name="梅山镇").pk),
        "since": "2019-05-01",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_good_details_are_cleaned_for_the_services(register_brand):
    number = factories.make_id_number_ending_in_x()
    form = PractitionerForm(
        valid_data(register_brand, contact_phone="+86 139 1234 5678", id_number=f" {number.lower()} "),
        brand=register_brand,
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["id_number"] == number
    assert form.cleaned_data["worker"] is None
    assert form.details() == {
        "occupation": Occupation.objects.get(name="家政服务员"),
        "since": datetime.date(2019, 5, 1),
        "employer": "金寨县红嫂家政服务有限公司",
        "self_employed": False,
        "township": Township.objects.get(county=register_brand.county, name="梅山镇"),
        "contact_phone": "13912345678",
    }


def test_a_registered_workers_number_finds_their_account(register_brand, worker):
    form = PractitionerForm(
        valid_data(register_brand, real_name=worker.real_name, id_number=worker.id_number),
        brand=register_brand,
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["worker"] == worker


def _future():
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


BAD = [
    ("no name", {"real_name": "   "}, "real_name", "required"),
    ("ID number too short", {"id_number": "34152419900101"}, "id_number", "id_number_length"),
    ("ID number check character", {"id_number": factories.make_id_number(901)[:-1] + "0"}, "id_number", None),
    ("ID number not a region", {"id_number": "000000199001010010"}, "id_number", None),
    ("under sixteen", {"id_number": factories.make_id_number(5, birth="20200101")}, "id_number", "too_young"),
    ("phone not a mobile", {"contact_phone": "0564-1234567"}, "contact_phone", "invalid_phone"),
    ("no occupation", {"occupation": ""}, "occupation", "required"),
    ("an occupation of no brand's", {"occupation": "数控车工"}, "occupation", "invalid_choice"),
    (
        "an impossible occupation id",
        {"occupation": "99999999999999999999999"},
        "occupation",
        "invalid_choice",
    ),
    ("a township elsewhere", {"township": "999999"}, "township", "invalid_choice"),
    ("employer and self-employed", {"self_employed": "on"}, "employer", "employer_and_self_employed"),
    ("neither", {"employer": "  "}, "employer", "no_employer"),
    ("no start date", {"since": ""}, "since", "required"),
    ("not a date", {"since": "2019-13-45"}, "since", "invalid"),
    ("a start in the future", {"since": _future()}, "since", "since_future"),
    ("a start before birth", {"since": "1999-12-31"}, "since", "since_before_birth"),
    ("a name too long", {"real_name": "张" * 51}, "real_name", "max_length"),
]


@pytest.mark.parametrize(("case", "changes", "field", "code"), BAD, ids=[case for case, *_ in BAD])
def test_bad_input_is_refused_on_its_field(register_brand, case, changes, field, code):
    if changes.get("occupation") == "数控车工":
        changes = {"occupation": str(Occupation.objects.get(name="数控车工").pk)}
    if changes.get("township") == "999999":
        changes = {"township": str(Township.objects.filter(county__code="341525").first().pk)}

    form = PractitionerForm(valid_data(register_brand, **changes), brand=register_brand)

    assert not form.is_valid()
    assert field in form.errors, form.errors
    if code is not None:
        assert form.has_error(field, code), form.errors


def test_a_known_number_under_another_name_is_refused_on_the_name(register_brand, worker):
    form = PractitionerForm(
        valid_data(register_brand, real_name="王五", id_number=worker.id_number), brand=register_brand
    )

    assert not form.is_valid()
    assert form.has_error("real_name", "name_mismatch")
    assert worker.real_name not in str(form.errors)


def test_a_staff_accounts_number_is_refused(register_brand, official_a):
    staff = factories.InstitutionStaffFactory(real_name="赵老师", id_number=factories.make_id_number(950))

    form = PractitionerForm(
        valid_data(register_brand, real_name="赵老师", id_number=staff.id_number), brand=register_brand
    )

    assert form.has_error("id_number", "id_number_staff")


def test_a_person_on_the_register_is_refused_but_one_removed_is_not(register_brand, worker):
    data = valid_data(register_brand, real_name=worker.real_name, id_number=worker.id_number)
    entry = factories.PractitionerFactory(brand=register_brand, worker=worker)

    assert PractitionerForm(data, brand=register_brand).has_error("id_number", "already_listed")

    entry.removed_at, entry.removal_reason = timezone.now(), "已转行"
    entry.save()
    assert PractitionerForm(data, brand=register_brand).is_valid()


def test_the_edit_form_starts_from_the_entry_and_checks_the_start_against_the_birth(register_brand):
    worker = factories.WorkerFactory(id_number=factories.make_id_number(7, birth="19900101"))
    entry = factories.PractitionerFactory(brand=register_brand, worker=worker, contact_phone="13912345678")

    form = PractitionerDetailsForm(brand=register_brand, practitioner=entry)
    assert form.initial["contact_phone"] == "13912345678"
    assert form.initial["occupation"] == entry.occupation_id
    assert "id_number" not in form.fields and "real_name" not in form.fields

    data = {"occupation": str(entry.occupation_id), "employer": "某公司", "since": "1989-12-31"}
    bound = PractitionerDetailsForm(data, brand=register_brand, practitioner=entry)
    assert bound.has_error("since", "since_before_birth")
