"""Mobile numbers written every common way — with +86, 0086 or 86 in front, with spaces, dashes, dots or
brackets, in full-width forms — mean the same account in registration, in sign-in and in every form that
looks a worker up by phone (or ID) number. One function, pii.normalize_phone, does it for all of them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.forms.apprenticeships import ApprenticeshipForm
from laborbrand import sms
from laborbrand.accounts import pii
from laborbrand.accounts.models import User
from tests import factories
from tests.accounts.sms_codes import last_code
from training.forms.certificates import AssessmentForm
from training.forms.enrollment import WalkInForm
from training.forms.ethics import AttendanceForm

PHONE = "13912345678"

WRITINGS = [
    "13912345678",
    " 13912345678 ",
    "139 1234 5678",
    "139-1234-5678",
    "139.1234.5678",
    "139 - 1234 - 5678",
    "+8613912345678",
    "+86 139 1234 5678",
    "+86-139-1234-5678",
    "+86.139.1234.5678",
    "(+86) 139 1234 5678",
    "+86 (139) 1234-5678",
    "008613912345678",
    "0086 139 1234 5678",
    "0086-139-1234-5678",
    "8613912345678",
    "86 139 1234 5678",
    "１３９１２３４５６７８",
    "＋８６　１３９　１２３４　５６７８",
    "１３９－１２３４－５６７８",
    "139—1234—5678",
]

NOT_MOBILE = [
    "",
    "1391234567",  # ten digits
    "139123456789",  # twelve digits
    "12912345678",  # no mobile network starts 12
    "+85213912345678",  # another country code
    "+1 139 1234 5678",
    "860 13912345678",
    "00086 13912345678",
    "+86 0139 1234 5678",
    "0564-3345678",  # a landline
    "1391234567x",
    "phone_worker",
]


@pytest.mark.parametrize("typed", WRITINGS)
def test_every_writing_normalises_to_the_eleven_digits(typed):
    assert pii.normalize_phone(typed) == PHONE
    assert pii.is_mobile(typed)
    assert pii.validate_mobile(typed) == PHONE


@pytest.mark.parametrize("typed", NOT_MOBILE)
def test_other_input_is_not_a_mobile_number(typed):
    assert not pii.is_mobile(typed)


# --- Registration and account forms -------------------------------------------------------------------------

REGISTRATION = {
    "username": "sun_li",
    "real_name": "孙丽",
    "id_number": factories.make_id_number(3, birth="19950505"),
    "password1": "Str0ng#pass",
    "password2": "Str0ng#pass",
    "privacy_consent": "on",
}


@pytest.mark.django_db
@pytest.mark.parametrize("typed", WRITINGS)
def test_registration_stores_the_number_once_however_written(client, send_now, typed):
    response = client.post(reverse("accounts:register_worker"), {**REGISTRATION, "phone": typed})
    assert response.status_code == 302, response.context["form"].errors
    assert sms.outbox[-1].phone == PHONE  # the code goes to the number however written
    response = client.post(reverse("accounts:register_worker_confirm"), {"code": last_code()})

    assert response.status_code == 302
    assert User.objects.get(username="sun_li").phone == PHONE


@pytest.mark.django_db
@pytest.mark.parametrize("typed", WRITINGS)
def test_registration_refuses_a_number_already_registered_however_written(client, typed):
    factories.WorkerFactory(phone=PHONE)

    response = client.post(reverse("accounts:register_worker"), {**REGISTRATION, "phone": typed})

    assert response.context["form"].has_error("phone", "phone_taken")
    assert not User.objects.filter(username="sun_li").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("typed", NOT_MOBILE[1:])
def test_registration_refuses_what_is_not_a_mobile_number(client, typed):
    response = client.post(reverse("accounts:register_worker"), {**REGISTRATION, "phone": typed})

    assert response.context["form"].has_error("phone", "invalid_phone")


@pytest.mark.django_db
@pytest.mark.parametrize("typed", WRITINGS[::4])
def test_city_admin_creates_and_edits_officials_with_any_writing(client, city_admin, typed):
    client.force_login(city_admin)
    county = factories.make_county("341502").pk
    client.post(
        reverse("accounts:official_create"),
        {
            "username": "official_c",
            "real_name": "赵敏",
            "county": county,
            "phone": typed,
            "password1": "Init#pass2026",
            "password2": "Init#pass2026",
        },
    )
    official = User.objects.get(username="official_c")
    assert official.phone == PHONE

    official.phone = ""
    official.save(update_fields=["phone"])
    client.post(
        reverse("accounts:official_update", args=[official.pk]),
        {"real_name": "赵敏", "county": county, "email": "", "phone": typed},
    )
    official.refresh_from_db()
    assert official.phone == PHONE


# --- Sign-in ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("typed", WRITINGS)
def test_sign_in_with_any_writing(client, typed):
    worker = factories.WorkerFactory(phone=PHONE)

    response = client.post(reverse("login"), {"username": typed, "password": factories.TEST_PASSWORD})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == worker.pk


# --- Forms that look a worker up by phone or ID number ------------------------------------------------------

ID_NUMBER = "34152419900101004X"
ID_WRITINGS = [
    ID_NUMBER,
    ID_NUMBER.lower(),
    "341524 19900101 004x",
    "341524-19900101-004X",
    "３４１５２４１９９００１０１００４ｘ",
]


@pytest.fixture
def school(db):
    return factories.QualifiedInstitutionFactory()


@pytest.fixture
def lookups(school):
    """Each form that takes a typed number, with how it reports the worker it found."""
    company = factories.EmployerFactory(verified_at=timezone.now())
    return {
        "walk-in": (lambda typed: WalkInForm({"identifier": typed}), lambda form: form.worker),
        "assessment": (
            lambda typed: AssessmentForm({"identifier": typed}, institution=school),
            lambda form: form.worker,
        ),
        "ethics attendance": (
            lambda typed: AttendanceForm({"identifiers": f"{typed}\n"}, candidates=User.objects.none()),
            lambda form: form.typed_workers[0],
        ),
        "apprenticeship, by the institution": (
            lambda typed: ApprenticeshipForm({"identifier": typed}, institution=school),
            lambda form: form.worker,
        ),
        "apprenticeship, by the employer": (
            lambda typed: ApprenticeshipForm({"identifier": typed}, employer=company),
            lambda form: form.worker,
        ),
    }


FORMS = [
    "walk-in",
    "assessment",
    "ethics attendance",
    "apprenticeship, by the institution",
    "apprenticeship, by the employer",
]


@pytest.mark.parametrize("typed", WRITINGS + ID_WRITINGS)
@pytest.mark.parametrize("name", FORMS)
def test_each_lookup_form_finds_the_worker_however_the_number_is_written(lookups, name, typed):
    worker = factories.WorkerFactory(phone=PHONE, id_number=ID_NUMBER)
    build, found = lookups[name]

    form = build(typed)
    form.is_valid()

    assert "identifier" not in form.errors and "identifiers" not in form.errors, form.errors
    assert found(form) == worker


@pytest.mark.parametrize("typed", ["13912345679", "+86 139 1234 5679", "341524199001010058", "13912345678 9"])
@pytest.mark.parametrize("name", FORMS)
def test_each_lookup_form_reports_a_number_no_worker_has(lookups, name, typed):
    factories.WorkerFactory(phone=PHONE, id_number=ID_NUMBER)
    build, _found = lookups[name]

    form = build(typed)

    assert not form.is_valid()
    field = "identifiers" if name == "ethics attendance" else "identifier"
    assert form.has_error(field, "not_found")
