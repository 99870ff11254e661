"""Numbers taken from a request are range-checked before they reach the database or Python's date functions:
query parameters, choice fields, page numbers and ids in paths. A year or an id of twenty digits gives a
form error, a 404 or the default, never a 5xx (an OverflowError on SQLite, a DataError on PostgreSQL)."""

from __future__ import annotations

import importlib

import pytest
from django import forms
from django.urls import reverse
from django.urls.converters import IntConverter
from django.utils import timezone

from brands.models import Brand
from laborbrand.accounts.models import User
from laborbrand.forms import (
    ID_MAX,
    FilterForm,
    KeyChoiceField,
    KeyMultipleChoiceField,
    parse_id,
    parse_int,
)
from laborbrand.reference.models import County, Occupation
from tests import factories
from tests.jobs.factories_coop import PartnerRegionFactory
from tests.test_project import URLS, named_url_entries
from training.models import AdmissionApplication, EthicsAttendance

pytestmark = pytest.mark.django_db

# Zero, negative, past PostgreSQL's integer and bigint, twenty digits, a float, an Arabic-Indic digit three,
# more digits than Python converts to an int.
BAD_NUMBERS = ["0", "-1", str(2**31), str(2**63), str(10**20), "1e5", "٣", "9" * 5000]


def short(value: str) -> str:
    return value if len(value) < 30 else f"{len(value)}-digits"


FORM_MODULES = [
    "laborbrand.forms",
    "laborbrand.accounts.forms",
    "brands.forms",
    *(f"training.forms.{name}" for name in ("admission", "agreements", "certificates", "common")),
    *(f"training.forms.{name}" for name in ("enrollment", "ethics", "institutions", "programs")),
    *(f"jobs.forms.{name}" for name in ("applications", "apprenticeships", "board", "cooperation")),
    *(f"jobs.forms.{name}" for name in ("employers", "postings")),
    "jobs.matching.forms",
]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        ("0042", 42),
        (str(ID_MAX), ID_MAX),
        (7, 7),
        ("0", None),
        ("-1", None),
        (str(ID_MAX + 1), None),
        (str(10**20), None),
        ("1" * 5000, None),
        ("1e5", None),
        ("٣", None),
        (" 7", None),
        ("+7", None),
        ("1_000", None),
        ("", None),
        (None, None),
        ("abc", None),
    ],
)
def test_parse_id_takes_only_ascii_digits_within_the_id_range(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026", 2026), ("2000", 2000), ("1999", None), ("2101", None), ("-2026", None), ("-5", -5)],
)
def test_parse_int_keeps_to_its_bounds(value, expected):
    low = -10 if value == "-5" else 2000
    assert parse_int(value, low=low, high=2100) == expected


# --- Choice fields ------------------------------------------------------------------------------------------


def project_form_classes() -> list[type[forms.BaseForm]]:
    for module in FORM_MODULES:
        importlib.import_module(module)
    found, pending = [], [forms.BaseForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__ in FORM_MODULES:
                found.append(subclass)
    return found


def test_the_form_walk_finds_the_project_forms():
    names = {form.__name__ for form in project_form_classes()}
    assert {"BrandForm", "ApplicationForm", "AttendanceForm", "DockingFairForm", "PostingSearchForm"} <= names


@pytest.mark.parametrize("form_class", project_form_classes(), ids=lambda form: form.__name__)
def test_every_choice_of_a_row_is_range_checked(form_class):
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.ModelChoiceField):
            assert isinstance(field, KeyChoiceField | KeyMultipleChoiceField), f"{form_class.__name__}.{name}"


@pytest.mark.parametrize("value", BAD_NUMBERS, ids=short)
def test_a_bad_number_is_no_valid_choice(value):
    single = KeyChoiceField(queryset=County.objects.all())
    several = KeyMultipleChoiceField(queryset=Occupation.objects.all())

    with pytest.raises(forms.ValidationError) as one:
        single.clean(value)
    with pytest.raises(forms.ValidationError) as many:
        several.clean([str(Occupation.objects.first().pk), value])

    assert one.value.code == "invalid_choice"
    assert many.value.code in {"invalid_choice", "invalid_pk_value"}


def test_real_choices_are_still_accepted():
    county = County.objects.first()
    occupations = list(Occupation.objects.order_by("pk")[:2])

    assert KeyChoiceField(queryset=County.objects.all()).clean(str(county.pk)) == county
    chosen = KeyMultipleChoiceField(queryset=Occupation.objects.all()).clean([str(o.pk) for o in occupations])
    assert list(chosen.order_by("pk")) == occupations


@pytest.mark.parametrize("value", BAD_NUMBERS, ids=short)
@pytest.mark.parametrize("field", ["occupations", "township", "category"])
def test_brand_form_refuses_a_bad_number_and_saves_nothing(client, official_a, field, value):
    client.force_login(official_a)
    data = {"name": "测试品牌", "description": "说明", "occupations": [], field: value}

    response = client.post(reverse("brands:brand_create"), data)

    assert response.status_code == 200
    assert response.context["form"].has_error(field)
    assert not Brand.objects.filter(name="测试品牌").exists()


@pytest.mark.parametrize("value", BAD_NUMBERS, ids=short)
def test_admission_form_refuses_a_bad_occupation_and_saves_nothing(client, institution_staff, value):
    client.force_login(institution_staff)

    response = client.post(reverse("training:application_create"), {"occupations": [value]})

    assert response.status_code == 200
    assert response.context["form"].has_error("occupations")
    assert not AdmissionApplication.objects.exists()


@pytest.mark.parametrize("value", BAD_NUMBERS, ids=short)
def test_ethics_attendance_refuses_a_bad_worker_and_records_nothing(client, official_a, value):
    session = factories.EthicsSessionFactory(county=official_a.county)
    client.force_login(official_a)

    response = client.post(reverse("training:ethics_attendance_add", args=[session.pk]), {"workers": [value]})

    assert response.status_code < 500
    assert not EthicsAttendance.objects.exists()


@pytest.mark.parametrize("value", BAD_NUMBERS, ids=short)
def test_docking_fair_form_ignores_bad_employer_and_posting_ids(client, official_a, value):
    PartnerRegionFactory()
    factories.VerifiedEmployerFactory()
    client.force_login(official_a)
    data = {"title": "对接会", "employers": [value], "postings": [value], "show_postings": "1"}

    response = client.post(reverse("jobs:fair_create"), data)

    assert response.status_code == 200


# --- Query parameters ---------------------------------------------------------------------------------------


def numeric_parameters() -> set[str]:
    """Every parameter a GET page reads: the fields of the filter forms, pages, the overview's year, the
    assessment form's enrolment."""
    names = {"page", "year", "enrollment"}
    for form_class in project_form_classes():
        if issubclass(form_class, FilterForm):
            names |= set(form_class.base_fields)
    return names


def test_the_parameter_list_covers_the_filters():
    assert {"page", "year", "occupation", "brand", "level", "county", "salary_min"} <= numeric_parameters()


@pytest.fixture
def users(personas):
    return {"anonymous": None, **personas}


def test_bad_numbers_in_query_parameters_never_give_a_server_error(client, users):
    """Each page once, as the first role that may open it, with every parameter set to each bad number."""
    failures, tested, pages = [], set(), sorted(URLS.items())
    for role, user in users.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        unseen = []
        for name, url in pages:
            if name == "logout" or client.get(url).status_code != 200:
                unseen.append((name, url))
                continue
            tested.add(name)
            for value in BAD_NUMBERS:
                status = client.get(url, dict.fromkeys(numeric_parameters(), value)).status_code
                if status not in {200, 404}:  # the page with its defaults, or no such record
                    failures.append(f"{name} as {role} with {value!r}: {status}")
        pages = unseen
    assert failures == []
    assert {"jobs:search", "training:agreement_overview", "training:assessment_create"} <= tested


@pytest.mark.parametrize("value", [*BAD_NUMBERS, "9999", "1999"], ids=short)
def test_agreements_overview_shows_this_year_for_an_impossible_year(client, city_admin, value):
    client.force_login(city_admin)

    response = client.get(reverse("training:agreement_overview"), {"year": value})

    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


def test_agreements_overview_shows_a_year_asked_for(client, city_admin):
    client.force_login(city_admin)
    last_year = timezone.localdate().year - 1

    assert (
        client.get(reverse("training:agreement_overview"), {"year": last_year}).context["year"] == last_year
    )


@pytest.mark.parametrize("value", BAD_NUMBERS, ids=short)
def test_assessment_form_ignores_an_impossible_enrolment(
    client, institution_staff, qualified_institution_a, value
):
    client.force_login(institution_staff)

    response = client.get(reverse("training:assessment_create"), {"enrollment": value})

    assert response.status_code in {200, 404}
    if response.status_code == 200:
        assert response.context["form"].enrollment is None


@pytest.mark.parametrize("value", BAD_NUMBERS, ids=short)
def test_a_bad_page_number_shows_a_real_page(client, value):
    factories.JobPostingFactory.create_batch(3)

    response = client.get(reverse("jobs:search"), {"page": value})

    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


# --- Ids in paths -------------------------------------------------------------------------------------------


# Every named URL with an <int:…> part, with its converters.
PATH_PATTERNS = {
    name: entry.pattern.converters
    for name, entry in named_url_entries()
    if any(isinstance(converter, IntConverter) for converter in entry.pattern.converters.values())
}


def test_the_path_walk_finds_the_pages_with_ids():
    expected = {"jobs:posting_detail", "brands:manage_detail", "training:ethics_attendance_remove"}
    assert expected <= set(PATH_PATTERNS)


def url_with(name: str, value: int) -> str:
    kwargs = {
        key: value if isinstance(converter, IntConverter) else "x"
        for key, converter in PATH_PATTERNS[name].items()
    }
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("role", User.Role.values)
def test_an_impossible_id_in_a_path_is_never_a_server_error(client, personas, role):
    client.force_login(personas[role])
    failures = []
    for name in sorted(PATH_PATTERNS):
        url = url_with(name, 2**63)  # the first number past PostgreSQL's bigint
        for response in (client.get(url), client.post(url)):
            if response.status_code >= 500 or response.status_code == 200:
                method = response.request["REQUEST_METHOD"]
                failures.append(f"{method} {url}: {response.status_code}")
    assert failures == []
