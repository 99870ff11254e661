"""County officials register and maintain their county's brands, standards and news through the pages."""

import io
import os

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from brands.models import Brand, BrandEvent, BrandNews, BrandStandard
from laborbrand.accounts.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

Status = Brand.Status
Dimension = BrandStandard.Dimension
Measure = BrandStandard.Measure
CREATE = reverse("brands:brand_create")
MANAGE_LIST = reverse("brands:manage_list")
NEWS_MANAGE_LIST = reverse("brands:news_manage_list")
NEWS_CREATE = reverse("brands:news_create")


@pytest.fixture
def client_a(client, official_a):
    client.force_login(official_a)
    return client


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


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


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


# --- Standards ------------------------------------------------------------------------------------------


def standard_data(**overrides):
    data = {"dimension": Dimension.SKILL, "requirement": "熟练操作数控车床", "measure": "", "target": ""}
    data.update(overrides)
    return data


def test_standard_create_page_preselects_the_dimension(client_a, brand_a):
    response = client_a.get(reverse("brands:standard_create", args=[brand_a.pk]) + "?dimension=service")

    assert response.status_code == 200
    assert response.context["form"].initial["dimension"] == "service"


def test_standard_create_adds_it_to_the_brand(client_a, brand_a, official_a):
    response = client_a.post(
        reverse("brands:standard_create", args=[brand_a.pk]),
        standard_data(measure=Measure.MIN_PRACTICAL_SHARE, target="60"),
    )

    assert response.status_code == 302
    assert response.url == reverse("brands:manage_detail", args=[brand_a.pk])
    standard = brand_a.standards.get()
    assert (standard.dimension, standard.measure, standard.target) == (
        Dimension.SKILL,
        Measure.MIN_PRACTICAL_SHARE,
        60,
    )
    assert standard.history.get().history_user == official_a


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"measure": Measure.MIN_TRAINING_MONTHS}, "target", "required"),
        ({"target": "3"}, "measure", "required"),
        ({"measure": Measure.MIN_PRACTICAL_SHARE, "target": "150"}, "target", "out_of_range"),
        ({"measure": Measure.MIN_CERTIFICATE_LEVEL, "target": "6"}, "target", "out_of_range"),
        ({"measure": Measure.MIN_TRAINING_MONTHS, "target": "x"}, "target", "invalid"),
        ({"requirement": "要" * 501}, "requirement", "max_length"),
        ({"dimension": "nonsense"}, "dimension", "invalid_choice"),
    ],
)
def test_standard_create_with_bad_input_saves_nothing(client_a, brand_a, overrides, field, code):
    response = client_a.post(reverse("brands:standard_create", args=[brand_a.pk]), standard_data(**overrides))

    assert response.status_code == 200
    assert response.context["form"].has_error(field, code)
    assert not brand_a.standards.exists()


def test_duplicate_measure_in_a_brand_is_refused(client_a, brand_a):
    factories.BrandStandardFactory(brand=brand_a, measure=Measure.MIN_TRAINING_MONTHS, target=3)

    response = client_a.post(
        reverse("brands:standard_create", args=[brand_a.pk]),
        standard_data(measure=Measure.MIN_TRAINING_MONTHS, target="4"),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("measure", "duplicate_measure")
    assert "This brand already has a target for this measure." in response.content.decode()
    assert brand_a.standards.count() == 1


def test_standard_update_saves_changes(client_a, brand_a):
    standard = factories.BrandStandardFactory(brand=brand_a, dimension=Dimension.SKILL)
    url = reverse("brands:standard_update", args=[brand_a.pk, standard.pk])
    assert client_a.get(url).status_code == 200

    response = client_a.post(url, standard_data(requirement="改后的要求"))

    assert response.status_code == 302
    standard.refresh_from_db()
    assert standard.requirement == "改后的要求"


def test_standard_update_with_bad_input_changes_nothing(client_a, brand_a):
    standard = factories.BrandStandardFactory(brand=brand_a, dimension=Dimension.SKILL, requirement="原要求")

    response = client_a.post(
        reverse("brands:standard_update", args=[brand_a.pk, standard.pk]),
        standard_data(measure=Measure.MIN_CERTIFICATE_LEVEL, target="6"),
    )

    assert response.status_code == 200
    standard.refresh_from_db()
    assert (standard.requirement, standard.measure, standard.target) == ("原要求", "", None)


def test_standard_delete_removes_it(client_a, brand_a):
    standard = factories.BrandStandardFactory(brand=brand_a)

    response = client_a.post(reverse("brands:standard_delete", args=[brand_a.pk, standard.pk]))

    assert response.status_code == 302
    assert not brand_a.standards.exists()


def test_standard_move_up_and_down(client_a, brand_a):
    first, second = (factories.BrandStandardFactory(brand=brand_a, dimension=Dimension.SKILL) for _ in "12")

    response = client_a.post(reverse("brands:standard_move_up", args=[brand_a.pk, second.pk]))

    assert response.status_code == 302
    assert list(brand_a.standards.order_by("order", "pk")) == [second, first]
    client_a.post(reverse("brands:standard_move_down", args=[brand_a.pk, second.pk]))
    assert list(brand_a.standards.order_by("order", "pk")) == [first, second]


@pytest.mark.parametrize("direction", ["sideways", "UP", "1"])
def test_standard_move_with_an_unknown_direction_is_404(client_a, brand_a, direction):
    standard = factories.BrandStandardFactory(brand=brand_a)
    path = reverse("brands:standard_move_up", args=[brand_a.pk, standard.pk]).replace(
        "move-up", f"move-{direction}"
    )

    response = client_a.post(path)

    assert response.status_code == 404


@pytest.mark.parametrize(
    "name", ["brands:standard_delete", "brands:standard_move_up", "brands:standard_move_down"]
)
def test_standard_changes_are_post_only(client_a, brand_a, name):
    standard = factories.BrandStandardFactory(brand=brand_a)

    assert client_a.get(reverse(name, args=[brand_a.pk, standard.pk])).status_code == 405
    assert brand_a.standards.count() == 1


# --- News -----------------------------------------------------------------------------------------------


@pytest.fixture
def public_brand_a(official_a):
    return factories.CultivatingBrandFactory(name="金寨茶艺", county=official_a.county, created_by=official_a)


def news_data(brand, **overrides):
    data = {"brand": brand.pk, "title": "第一期茶艺师培训开班", "summary": "", "body": "50名学员参加。"}
    data.update(overrides)
    return data


def test_news_create_saves_a_draft(client_a, official_a, public_brand_a):
    response = client_a.post(NEWS_CREATE, news_data(public_brand_a))

    assert response.status_code == 302
    assert response.url == NEWS_MANAGE_LIST
    news = BrandNews.objects.get()
    assert (news.status, news.author, news.published_at) == (BrandNews.Status.DRAFT, official_a, None)


def test_news_create_and_publish(client_a, public_brand_a):
    client_a.post(NEWS_CREATE, {**news_data(public_brand_a), "publish": "1"})

    news = BrandNews.objects.get()
    assert news.status == BrandNews.Status.PUBLISHED
    assert news.published_at is not None


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.RETURNED])
def test_news_cannot_be_written_for_a_brand_the_public_cannot_see(client_a, official_a, status):
    factories.CultivatingBrandFactory(county=official_a.county)  # so the form can be used at all
    brand = factories.BrandFactory(status=status, county=official_a.county)

    response = client_a.post(NEWS_CREATE, news_data(brand))

    assert response.status_code == 200
    assert response.context["form"].has_error("brand", "invalid_choice")
    assert not BrandNews.objects.exists()


def test_news_cannot_be_written_for_another_countys_brand(client_a, official_a, official_b):
    factories.CultivatingBrandFactory(county=official_a.county)
    foreign = factories.CultivatingBrandFactory(county=official_b.county)

    response = client_a.post(NEWS_CREATE, news_data(foreign))

    assert response.context["form"].has_error("brand", "invalid_choice")
    assert not BrandNews.objects.exists()


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "rejected", "retired"])
def test_with_no_public_brand_the_county_is_told_instead_of_a_news_form(client_a, official_a, status):
    brand = factories.BrandFactory(status=status, county=official_a.county)

    response = client_a.get(NEWS_CREATE)

    assert response.status_code == 200
    assert "form" not in response.context
    assert reverse("brands:manage_list") in response.content.decode()
    listing = client_a.get(reverse("brands:news_manage_list")).content.decode()
    assert NEWS_CREATE not in listing
    assert client_a.post(NEWS_CREATE, news_data(brand)).status_code == 403
    assert not BrandNews.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"title": "题" * 101}, "title", "max_length"),
        ({"summary": "摘" * 201}, "summary", "max_length"),
        ({"title": ""}, "title", "required"),
        ({"body": ""}, "body", "required"),
    ],
)
def test_news_with_bad_input_saves_nothing(client_a, public_brand_a, overrides, field, code):
    response = client_a.post(NEWS_CREATE, news_data(public_brand_a, **overrides))

    assert response.status_code == 200
    assert response.context["form"].has_error(field, code)
    assert not BrandNews.objects.exists()


def test_news_update_saves_and_keeps_history(client_a, official_a, public_brand_a):
    news = factories.BrandNewsFactory(brand=public_brand_a)
    url = reverse("brands:news_update", args=[news.pk])
    assert client_a.get(url).status_code == 200

    response = client_a.post(url, news_data(public_brand_a, title="改过的标题"))

    assert response.status_code == 302
    news.refresh_from_db()
    assert news.title == "改过的标题"
    assert news.history.first().history_user == official_a


def test_news_update_with_too_long_title_changes_nothing(client_a, public_brand_a):
    news = factories.BrandNewsFactory(brand=public_brand_a, title="原标题")

    response = client_a.post(
        reverse("brands:news_update", args=[news.pk]), news_data(public_brand_a, title="题" * 101)
    )

    assert response.status_code == 200
    news.refresh_from_db()
    assert news.title == "原标题"


def test_news_publish_and_unpublish(client_a, public_brand_a):
    news = factories.BrandNewsFactory(brand=public_brand_a)

    response = client_a.post(reverse("brands:news_publish", args=[news.pk]))
    assert response.status_code == 302
    news.refresh_from_db()
    assert news.status == BrandNews.Status.PUBLISHED

    client_a.post(reverse("brands:news_unpublish", args=[news.pk]))
    news.refresh_from_db()
    assert news.status == BrandNews.Status.DRAFT


def test_news_of_a_retired_brand_cannot_be_published(client_a, official_a):
    brand = factories.RetiredBrandFactory(county=official_a.county)
    news = factories.BrandNewsFactory(brand=brand)

    response = client_a.post(reverse("brands:news_publish", args=[news.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    [message] = messages_of(response)
    assert message.startswith("News can be published only for brands the public can see")
    news.refresh_from_db()
    assert news.status == BrandNews.Status.DRAFT


def test_news_manage_list_shows_own_countys_news_only(client_a, public_brand_a, official_b):
    own = factories.BrandNewsFactory(brand=public_brand_a)
    factories.BrandNewsFactory(brand=factories.CultivatingBrandFactory(county=official_b.county))

    response = client_a.get(NEWS_MANAGE_LIST)

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [own]


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
