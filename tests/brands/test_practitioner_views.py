"""The register's pages: the list (names shown, ID numbers and phones masked, keyword search, Excel export of
exactly what is shown), adding, editing and removing; for the officials of the brand's county, read by city
admins, 404 for another county's officials and 403 for everyone else."""

import datetime
import io
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from brands.forms import PractitionerForm
from brands.models import Brand, Practitioner
from laborbrand.reference.models import Occupation
from tests import factories
from tests.brands.views_official_helpers import messages_of
from tests.test_markup import uneven_tables

pytestmark = pytest.mark.django_db


def list_url(brand, **query):
    url = reverse("brands:practitioner_list", args=[brand.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def create_url(brand):
    return reverse("brands:practitioner_create", args=[brand.pk])


def update_url(entry):
    return reverse("brands:practitioner_update", args=[entry.brand_id, entry.pk])


def remove_url(entry):
    return reverse("brands:practitioner_remove", args=[entry.brand_id, entry.pk])


@pytest.fixture
def entry(register_brand):
    worker = factories.WorkerFactory(real_name="何素琴")
    return factories.PractitionerFactory(brand=register_brand, worker=worker, contact_phone="13912345678")


def form_data(**changes):
    data = {
        "real_name": "张秀英",
        "id_number": factories.make_id_number(901),
        "contact_phone": "13987654321",
        "occupation": str(Occupation.objects.get(name="育婴员").pk),
        "employer": "",
        "self_employed": "on",
        "township": "",
        "since": "2019-05-01",
    }
    data.update(changes)
    return data


# --- The list --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["official_a", "city_admin"])
def test_the_register_shows_names_with_masked_numbers(client, request, entry, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(list_url(entry.brand))

    assert response.status_code == 200
    html = response.content.decode()
    assert "何素琴" in html
    assert entry.worker.masked_id_number in html
    assert entry.worker.id_number not in html
    assert "139****5678" in html and "13912345678" not in html
    assert list(response.context["page_obj"]) == [entry]


def test_only_the_brands_county_gets_the_buttons_that_change_it(client, official_a, city_admin, entry):
    client.force_login(official_a)
    html = client.get(list_url(entry.brand)).content.decode()
    assert create_url(entry.brand) in html and update_url(entry) in html
    assert f"/imports/practitioners/?target={entry.brand.pk}" in html

    client.force_login(city_admin)
    html = client.get(list_url(entry.brand)).content.decode()
    assert create_url(entry.brand) not in html and update_url(entry) not in html
    assert "/imports/practitioners/" not in html


def test_another_countys_official_gets_404(client, official_b, entry):
    client.force_login(official_b)

    for url in (list_url(entry.brand), create_url(entry.brand), update_url(entry), remove_url(entry)):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("who", ["institution_staff", "employer", "worker", "leading_member"])
def test_other_roles_get_403(client, request, entry, who):
    client.force_login(request.getfixturevalue(who))

    for url in (list_url(entry.brand), create_url(entry.brand), update_url(entry), remove_url(entry)):
        assert client.get(url).status_code == 403, url
    assert client.post(remove_url(entry), {"reason": "x"}).status_code == 403
    entry.refresh_from_db()
    assert entry.is_active


def test_anonymous_visitors_are_sent_to_sign_in(client, entry):
    response = client.get(list_url(entry.brand))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_keyword_finds_by_name_or_employer_and_the_tab_shows_removed(client, official_a, register_brand):
    kept = factories.PractitionerFactory(
        brand=register_brand, worker=factories.WorkerFactory(real_name="王秀兰")
    )
    other = factories.PractitionerFactory(
        brand=register_brand, worker=factories.WorkerFactory(real_name="李桂芳"), employer="梅山镇养老院"
    )
    gone = factories.PractitionerFactory(
        brand=register_brand, worker=factories.WorkerFactory(real_name="王小红"), removed=True
    )
    client.force_login(official_a)

    assert list(client.get(list_url(register_brand, q="王")).context["page_obj"]) == [kept]
    assert list(client.get(list_url(register_brand, q="养老院")).context["page_obj"]) == [other]
    response = client.get(list_url(register_brand, show="removed"))
    assert list(response.context["page_obj"]) == [gone]
    assert "已转行" in response.content.decode()


def test_the_export_holds_exactly_the_filtered_rows_masked(client, official_a, register_brand):
    factories.PractitionerFactory(
        brand=register_brand, worker=factories.WorkerFactory(real_name="王秀兰"), contact_phone="13912345678"
    )
    factories.PractitionerFactory(brand=register_brand, worker=factories.WorkerFactory(real_name="李桂芳"))
    factories.PractitionerFactory(
        brand=register_brand, worker=factories.WorkerFactory(real_name="=HYPERLINK()")
    )
    client.force_login(official_a)

    response = client.get(list_url(register_brand, q="王", export="xlsx"))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    name, id_number, *_rest = rows[1]
    assert name == "王秀兰"
    assert "*" in id_number
    assert "139****5678" in rows[1]

    formula = client.get(list_url(register_brand, q="HYPERLINK", export="xlsx"))
    cell = load_workbook(io.BytesIO(formula.content)).active["A2"]
    assert cell.data_type != "f"


def test_the_list_costs_the_same_queries_for_more_rows(
    client, official_a, register_brand, django_assert_max_num_queries
):
    factories.PractitionerFactory(brand=register_brand)
    client.force_login(official_a)
    with django_assert_max_num_queries(30) as few:
        client.get(list_url(register_brand))
    for _ in range(5):
        factories.PractitionerFactory(brand=register_brand, township=register_brand.county.townships.first())

    with django_assert_max_num_queries(len(few)):
        response = client.get(list_url(register_brand))
    assert len(response.context["page_obj"]) == 6


# --- Adding ----------------------------------------------------------------------------------------------


def test_an_official_adds_a_person_and_a_record_is_opened_for_them(client, official_a, register_brand):
    client.force_login(official_a)

    response = client.post(create_url(register_brand), form_data())

    assert response.status_code == 302
    assert response.url == list_url(register_brand)
    entry = Practitioner.objects.get()
    assert (entry.brand, entry.worker.real_name, entry.self_employed) == (register_brand, "张秀英", True)
    assert entry.contact_phone == "13987654321"
    assert entry.worker.registered is False
    assert "张秀英" in messages_of(response)[0]


def test_save_and_add_another_comes_back_to_an_empty_form(client, official_a, register_brand):
    client.force_login(official_a)

    response = client.post(create_url(register_brand), {**form_data(), "add_another": "1"})

    assert response.url == create_url(register_brand)


def test_bad_input_shows_the_form_again_and_writes_nothing(client, official_a, register_brand):
    client.force_login(official_a)

    response = client.post(create_url(register_brand), form_data(id_number="123", employer="某公司"))

    assert response.status_code == 200
    assert response.context["form"].has_error("id_number")
    assert response.context["form"].has_error("employer", "employer_and_self_employed")
    assert not Practitioner.objects.exists()


def test_two_officials_adding_the_same_person_at_once_get_a_form_error(
    client, official_a, register_brand, worker
):
    factories.PractitionerFactory(brand=register_brand, worker=worker)
    client.force_login(official_a)
    calls = []

    def listed_after_the_first_check(form, found):
        calls.append(found)
        return len(calls) > 1  # the first check ran before the other official's entry was saved

    with mock.patch.object(PractitionerForm, "_listed", listed_after_the_first_check):
        response = client.post(
            create_url(register_brand), form_data(real_name=worker.real_name, id_number=worker.id_number)
        )

    assert response.status_code == 200
    assert response.context["form"].has_error("id_number", "already_listed")
    assert register_brand.practitioners.count() == 1


def test_a_city_admin_may_not_add(client, city_admin, register_brand):
    client.force_login(city_admin)

    assert client.post(create_url(register_brand), form_data()).status_code == 403
    assert not Practitioner.objects.exists()


def test_a_retired_brand_offers_no_form_and_takes_no_post(client, official_a, register_brand):
    Brand.objects.filter(pk=register_brand.pk).update(status=Brand.Status.RETIRED)
    client.force_login(official_a)

    page = client.get(create_url(register_brand))
    assert page.status_code == 200
    assert "form" not in page.context
    assert client.post(create_url(register_brand), form_data()).status_code == 403
    assert not Practitioner.objects.exists()
    assert "/imports/practitioners/" not in client.get(list_url(register_brand)).content.decode()


# --- Editing and removing --------------------------------------------------------------------------------


def test_an_official_edits_the_details(client, official_a, entry):
    client.force_login(official_a)
    page = client.get(update_url(entry))
    assert page.status_code == 200
    assert entry.worker.id_number not in page.content.decode()

    response = client.post(
        update_url(entry),
        {
            "occupation": str(Occupation.objects.get(name="育婴员").pk),
            "employer": "",
            "self_employed": "on",
            "since": "2020-01-01",
            "contact_phone": "",
        },
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.occupation.name, entry.self_employed, entry.contact_phone) == ("育婴员", True, None)


def test_a_removed_entry_offers_no_form(client, official_a, register_brand):
    gone = factories.PractitionerFactory(brand=register_brand, removed=True)
    client.force_login(official_a)

    response = client.post(
        update_url(gone),
        {"occupation": str(gone.occupation_id), "self_employed": "on", "since": "2020-01-01"},
    )

    assert response.status_code == 200
    assert 'name="occupation"' not in response.content.decode()
    gone.refresh_from_db()
    assert not gone.self_employed


def test_removing_asks_for_a_reason_then_keeps_the_entry(client, official_a, entry):
    client.force_login(official_a)
    assert client.get(remove_url(entry)).status_code == 200
    entry.refresh_from_db()
    assert entry.is_active  # opening the page changes nothing

    refused = client.post(remove_url(entry), {"reason": " "})
    assert refused.context["form"].has_error("reason", "required")

    response = client.post(remove_url(entry), {"reason": "外出务工"})

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.is_active, entry.removal_reason, entry.removed_by) == (False, "外出务工", official_a)
    assert timezone.now() - entry.removed_at < datetime.timedelta(minutes=1)


def test_the_brands_page_links_its_register_and_members(client, official_a, entry):
    client.force_login(official_a)

    html = client.get(reverse("brands:manage_detail", args=[entry.brand.pk])).content.decode()

    assert list_url(entry.brand) in html
    assert reverse("training:brand_members", args=[entry.brand.pk]) in html
    assert f"/imports/practitioners/?target={entry.brand.pk}" in html


@pytest.mark.parametrize("who", ["official_a", "city_admin"])
@pytest.mark.parametrize("show", ["", "removed"])
@pytest.mark.parametrize("filled", [False, True])
def test_every_table_row_spans_the_tables_columns(client, request, register_brand, who, show, filled):
    if filled:
        factories.PractitionerFactory(brand=register_brand, removed=show == "removed")
    client.force_login(request.getfixturevalue(who))

    for url in (
        list_url(register_brand, show=show),
        reverse("training:brand_members", args=[register_brand.pk]),
    ):
        assert uneven_tables(client.get(url).content.decode()) == [], url
