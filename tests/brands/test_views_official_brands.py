"""County officials register and maintain their county's brands through the pages: creating (with a
logo), the manage list and detail, editing and submitting to the city; bad input changes nothing, and the
manage pages run a fixed number of queries."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from brands.models import Brand, BrandEvent
from laborbrand.accounts.models import Notification
from tests import factories
from tests.brands.views_official_helpers import NEWS_MANAGE_LIST, Dimension, Status, messages_of

pytestmark = pytest.mark.django_db

CREATE = reverse("brands:brand_create")
MANAGE_LIST = reverse("brands:manage_list")


def brand_data(**overrides):
    data = {
        "name": "金寨红嫂家政",
        "category": factories.make_category("domestic").pk,
        "occupations": [o.pk for o in factories.make_occupations(2, "domestic")],
        "slogan": "红嫂精神，贴心服务",
        "description": "大别山区的家政服务品牌。",
        "township": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def image_file(size=(64, 64), fmt="PNG", name="logo.png", mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, (30, 90, 160)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def noise_png(side=1500):
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, format="PNG")
    return SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")


# --- Create ---------------------------------------------------------------------------------------------


def test_create_page_opens_with_the_form(client_a):
    response = client_a.get(CREATE)

    assert response.status_code == 200
    assert "county" not in response.context["form"].fields


def test_create_saves_a_draft_of_the_officials_own_county(client_a, official_a, official_b):
    response = client_a.post(CREATE, brand_data(county=official_b.county_id))

    brand = Brand.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("brands:manage_detail", args=[brand.pk])
    assert brand.county == official_a.county
    assert brand.status == Status.DRAFT
    assert brand.created_by == official_a
    assert brand.occupations.count() == 2
    assert brand.events.get().actor == official_a
    records = list(brand.history.order_by("history_id"))
    assert records[0].history_type == "+"
    assert {r.history_user for r in records} == {official_a}
    assert {o.occupation_id for o in records[-1].occupations.all()} == set(
        brand.occupations.values_list("pk", flat=True)
    )


def test_created_brand_is_listed_for_its_county(client_a):
    client_a.post(CREATE, brand_data())

    response = client_a.get(MANAGE_LIST)

    assert [b.name for b in response.context["page_obj"]] == ["金寨红嫂家政"]


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"name": "品" * 51}, "name", "max_length"),
        ({"slogan": "标" * 101}, "slogan", "max_length"),
        ({"description": "述" * 5001}, "description", "max_length"),
        ({"name": ""}, "name", "required"),
        ({"occupations": []}, "occupations", "required"),
        ({"category": "abc"}, "category", "invalid_choice"),
        ({"township": "999999"}, "township", "invalid_choice"),
    ],
)
def test_create_with_bad_input_saves_nothing(client_a, overrides, field, code):
    response = client_a.post(CREATE, brand_data(**overrides))

    assert response.status_code == 200
    assert response.context["form"].has_error(field, code)
    assert not Brand.objects.exists()
    assert not BrandEvent.objects.exists()


def test_duplicate_name_in_the_same_county_is_refused_with_a_message(client_a, brand_a):
    response = client_a.post(CREATE, brand_data(name=brand_a.name), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["form"].has_error("name", "duplicate_name")
    assert "Your county already has a brand with this name." in response.content.decode()
    assert Brand.objects.count() == 1


def test_same_name_as_another_countys_brand_is_fine(client_a, brand_b):
    response = client_a.post(CREATE, brand_data(name=brand_b.name))

    assert response.status_code == 302
    assert Brand.objects.filter(name=brand_b.name).count() == 2


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (lambda: SimpleUploadedFile("logo.png", b"MZ\x90\x00" + os.urandom(2000)), "invalid_image"),
        (lambda: SimpleUploadedFile("logo.png", b"<?php echo 1; ?>\n"), "invalid_image"),
        (lambda: SimpleUploadedFile("logo.png", b""), "empty"),
        (noise_png, "logo_too_large"),
        (lambda: image_file(fmt="GIF", name="logo.gif", mode="P"), "logo_format"),
    ],
    ids=["renamed executable", "text file", "empty file", "over 2 MB", "gif"],
)
def test_bad_logo_is_refused_and_nothing_saved(client_a, upload, code):
    response = client_a.post(CREATE, {**brand_data(), "logo": upload()})

    assert response.status_code == 200
    assert response.context["form"].has_error("logo", code), response.context["form"].errors.as_data()
    assert not Brand.objects.exists()


@pytest.mark.parametrize(
    ("fmt", "size", "stored_size"),
    [("PNG", (2000, 1000), (512, 256)), ("JPEG", (600, 900), (341, 512)), ("PNG", (200, 100), (200, 100))],
)
def test_good_logo_is_stored_as_a_png_of_at_most_512_pixels(client_a, fmt, size, stored_size):
    upload = image_file(size=size, fmt=fmt, name=f"我的标志.{fmt.lower()}")

    response = client_a.post(CREATE, {**brand_data(), "logo": upload})

    assert response.status_code == 302
    brand = Brand.objects.get()
    assert brand.logo.name.endswith(".png")
    assert "我的标志" not in brand.logo.name
    with brand.logo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "PNG"
        assert image.size == stored_size


# --- Detail and edit ------------------------------------------------------------------------------------


def test_manage_detail_shows_standards_missing_dimensions_and_history(client_a, brand_a, official_a):
    factories.BrandStandardFactory(brand=brand_a, dimension=Dimension.SKILL, requirement="会操作数控车床")
    BrandEvent.objects.create(brand=brand_a, old_status="", new_status=Status.DRAFT, actor=official_a)

    response = client_a.get(reverse("brands:manage_detail", args=[brand_a.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["can_edit"] is True
    assert response.context["missing_dimensions"] == [Dimension.ETHICS.label, Dimension.SERVICE.label]
    assert "会操作数控车床" in response.content.decode()
    assert reverse("brands:brand_submit", args=[brand_a.pk]) in response.content.decode()


def test_city_admin_sees_a_brand_read_only(client, city_admin, brand_a):
    client.force_login(city_admin)

    response = client.get(reverse("brands:manage_detail", args=[brand_a.pk]))

    assert response.status_code == 200
    assert response.context["can_edit"] is False
    content = response.content.decode()
    assert reverse("brands:brand_update", args=[brand_a.pk]) not in content
    assert reverse("brands:brand_submit", args=[brand_a.pk]) not in content


def test_city_admin_lists_every_countys_brands(client, city_admin, brand_a, brand_b):
    client.force_login(city_admin)

    response = client.get(MANAGE_LIST)

    assert response.status_code == 200
    assert {b.pk for b in response.context["page_obj"]} == {brand_a.pk, brand_b.pk}
    assert reverse("brands:brand_create") not in response.content.decode()


def test_official_lists_only_their_countys_brands(client_a, brand_a, brand_b):
    response = client_a.get(MANAGE_LIST)

    assert [b.pk for b in response.context["page_obj"]] == [brand_a.pk]
    assert brand_b.name not in response.content.decode()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED])
def test_edit_saves_changes_and_keeps_history_with_the_official(client_a, official_a, status):
    brand = factories.BrandFactory(status=status, county=official_a.county, created_by=official_a)
    url = reverse("brands:brand_update", args=[brand.pk])
    assert client_a.get(url).status_code == 200

    response = client_a.post(url, brand_data(name="新名称", slogan="新口号"))

    assert response.status_code == 302
    assert response.url == reverse("brands:manage_detail", args=[brand.pk])
    brand.refresh_from_db()
    assert (brand.name, brand.slogan, brand.status) == ("新名称", "新口号", status)
    latest = brand.history.first()
    assert (latest.history_type, latest.history_user, latest.name) == ("~", official_a, "新名称")


def test_edit_with_bad_input_changes_nothing(client_a, brand_a):
    history = brand_a.history.count()

    response = client_a.post(reverse("brands:brand_update", args=[brand_a.pk]), brand_data(name="品" * 51))

    assert response.status_code == 200
    assert response.context["form"].has_error("name", "max_length")
    brand_a.refresh_from_db()
    assert brand_a.name == "金寨红嫂家政"
    assert brand_a.history.count() == history


def test_edit_to_a_name_the_county_already_uses_is_refused(client_a, brand_a, official_a):
    other = factories.DraftBrandFactory(name="六安瓜片", county=official_a.county)

    response = client_a.post(reverse("brands:brand_update", args=[other.pk]), brand_data(name=brand_a.name))

    assert response.context["form"].has_error("name", "duplicate_name")
    other.refresh_from_db()
    assert other.name == "六安瓜片"


# --- Submit ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED])
def test_submit_with_all_dimensions_goes_to_the_city(client_a, official_a, city_admin, status):
    brand = factories.BrandFactory(
        status=status, county=official_a.county, created_by=official_a, standards=True
    )

    response = client_a.post(reverse("brands:brand_submit", args=[brand.pk]))

    assert response.status_code == 302
    assert response.url == reverse("brands:manage_detail", args=[brand.pk])
    brand.refresh_from_db()
    assert brand.status == Status.SUBMITTED
    event = brand.events.get()
    assert (event.old_status, event.new_status, event.actor) == (status, Status.SUBMITTED, official_a)
    assert brand.history.first().history_user == official_a
    assert Notification.objects.get().recipient == city_admin


def test_submit_without_every_dimension_says_what_is_missing(client_a, brand_a, city_admin):
    factories.BrandStandardFactory(brand=brand_a, dimension=Dimension.ETHICS)

    response = client_a.post(
        reverse("brands:brand_submit", args=[brand_a.pk]), HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    assert response.status_code == 200
    [message] = messages_of(response)
    assert message.startswith("Add at least one standard in every dimension before submitting.")
    assert "Skill level" in message and "Service norms" in message
    brand_a.refresh_from_db()
    assert brand_a.status == Status.DRAFT
    assert not brand_a.events.exists()
    assert not Notification.objects.exists()


def test_submit_is_post_only(client_a, brand_a):
    assert client_a.get(reverse("brands:brand_submit", args=[brand_a.pk])).status_code == 405


# --- Query counts ---------------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("user", ["official_a", "city_admin"])
def test_manage_list_query_count_does_not_grow_with_brands(client, request, official_a, user):
    client.force_login(request.getfixturevalue(user))
    for _ in range(3):
        factories.BrandFactory(county=official_a.county, standards=True)
    few = count_queries(client, MANAGE_LIST)
    for _ in range(17):
        factories.BrandFactory(county=official_a.county, standards=True)

    assert count_queries(client, MANAGE_LIST) == few


def test_news_manage_list_query_count_does_not_grow_with_news(client_a, public_brand_a, official_a):
    for _ in range(3):
        factories.BrandNewsFactory(brand=factories.CultivatingBrandFactory(county=official_a.county))
    few = count_queries(client_a, NEWS_MANAGE_LIST)
    for _ in range(17):
        factories.BrandNewsFactory(
            brand=factories.CultivatingBrandFactory(county=official_a.county), published=True
        )

    assert count_queries(client_a, NEWS_MANAGE_LIST) == few


def test_manage_detail_query_count_does_not_grow_with_standards_news_and_events(
    client_a, brand_a, official_a
):
    url = reverse("brands:manage_detail", args=[brand_a.pk])

    def add(n):
        for _ in range(n):
            factories.BrandStandardFactory(brand=brand_a, dimension=Dimension.SKILL)
            factories.BrandNewsFactory(brand=brand_a)
            BrandEvent.objects.create(brand=brand_a, new_status=Status.DRAFT, actor=official_a)

    add(3)
    few = count_queries(client_a, url)
    add(20)

    assert count_queries(client_a, url) == few


def test_editing_a_brand_submitted_meanwhile_gives_a_message_not_an_error(
    client_a, brand_b, official_a, monkeypatch
):
    brand = factories.BrandFactory(county=official_a.county, name="金寨新品牌")
    from brands import services

    def submitted_meanwhile(**kwargs):
        raise services.InvalidTransition("Only draft or returned brands can be edited.")

    monkeypatch.setattr(services, "standard_add", submitted_meanwhile)
    response = client_a.post(
        reverse("brands:standard_create", args=[brand.pk]),
        {"dimension": Dimension.ETHICS, "requirement": "爱岗敬业", "measure": "", "target": ""},
    )

    assert response.status_code == 302
    assert response.url == reverse("brands:manage_detail", args=[brand.pk])
    assert messages_of(response) == ["Only draft or returned brands can be edited."]
    assert not brand.standards.exists()
