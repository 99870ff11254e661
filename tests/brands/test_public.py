"""The public pages: showcase, a brand's page, brand news and logos. Only cultivating and recognised brands
and the published news of those brands are public; whatever people typed is shown as text."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from brands import services
from brands.models import Brand, BrandNews
from tests import factories

pytestmark = pytest.mark.django_db

Status = Brand.Status
PUBLIC = [Status.CULTIVATING, Status.RECOGNISED]
NOT_PUBLIC = [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.REJECTED, Status.RETIRED]
SHOWCASE = reverse("brands:showcase")
NEWS_LIST = reverse("brands:news_list")
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def query_count(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context)


def detail_url(brand):
    return reverse("brands:brand_detail", args=[brand.slug])


# --- Showcase -------------------------------------------------------------------------------------------


def test_showcase_lists_only_cultivating_and_recognised_brands(client, official_a):
    brands = {
        status: factories.BrandFactory(status=status, county=official_a.county) for status in Status.values
    }

    response = client.get(SHOWCASE)

    assert response.status_code == 200
    assert {b.status for b in response.context["page_obj"]} == set(PUBLIC)
    content = response.content.decode()
    for status in NOT_PUBLIC:
        assert brands[status].name not in content
    for status in PUBLIC:
        assert detail_url(brands[status]) in content


def test_showcase_filters_by_county_category_and_name(client, official_a, official_b):
    domestic = factories.make_category("domestic")
    match = factories.CultivatingBrandFactory(
        name="金寨红嫂家政", county=official_a.county, category=domestic
    )
    factories.CultivatingBrandFactory(name="霍山红嫂家政", county=official_b.county, category=domestic)
    factories.CultivatingBrandFactory(name="金寨红嫂机械", county=official_a.county)
    factories.CultivatingBrandFactory(name="金寨巧手家政", county=official_a.county, category=domestic)
    factories.DraftBrandFactory(name="金寨红嫂月嫂", county=official_a.county, category=domestic)

    assert {b.name for b in client.get(SHOWCASE, {"county": official_a.county_id}).context["page_obj"]} == {
        "金寨红嫂家政",
        "金寨红嫂机械",
        "金寨巧手家政",
    }
    assert len(client.get(SHOWCASE, {"category": domestic.pk}).context["page_obj"]) == 3
    assert len(client.get(SHOWCASE, {"q": "红嫂"}).context["page_obj"]) == 3
    response = client.get(SHOWCASE, {"county": official_a.county_id, "category": domestic.pk, "q": "红嫂"})
    assert list(response.context["page_obj"]) == [match]


@pytest.mark.parametrize(
    "params",
    [{"county": "nonsense"}, {"category": "999999"}, {"q": "x" * 500}, {"page": "abc"}, {"page": "-1"}],
)
def test_showcase_with_nonsense_parameters_still_answers(client, params):
    factories.CultivatingBrandFactory()

    assert client.get(SHOWCASE, params).status_code == 200


def test_showcase_is_paginated_and_keeps_filters(client, official_a):
    for _ in range(15):
        factories.CultivatingBrandFactory(county=official_a.county)

    first = client.get(SHOWCASE, {"county": official_a.county_id})
    second = client.get(SHOWCASE, {"county": official_a.county_id, "page": 2})

    assert len(first.context["page_obj"]) == 12
    assert len(second.context["page_obj"]) == 3
    assert f"county={official_a.county_id}&amp;page=2" in first.content.decode()
    assert not set(first.context["page_obj"]) & set(second.context["page_obj"])


def test_showcase_query_count_does_not_grow_with_brands(client, official_a, official_b):
    def add(n):
        for i in range(n):
            factories.BrandFactory(
                status=PUBLIC[i % 2],
                county=(official_a, official_b)[i % 2].county,
                township=official_a.county.townships.first() if i % 2 == 0 else None,
                slogan="口号",
            )

    add(3)
    few = query_count(client, SHOWCASE)
    add(9)  # 12: a full page

    assert query_count(client, SHOWCASE) == few


# --- A brand's page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", PUBLIC)
def test_public_brand_page_shows_the_brand_its_standards_and_published_news(client, official_a, status):
    brand = factories.BrandFactory(status=status, name="霍山黄芽茶艺师", county=official_a.county)
    shown = factories.BrandNewsFactory(brand=brand, published=True, title="茶艺大赛举行")
    factories.BrandNewsFactory(brand=brand, title="尚未发布的稿件")

    response = client.get(reverse("brands:brand_detail", args=["霍山黄芽茶艺师"]))

    assert response.status_code == 200
    assert response.context["brand"] == brand
    assert response.context["news"] == [shown]
    content = response.content.decode()
    assert "茶艺大赛举行" in content
    assert "尚未发布的稿件" not in content
    for standard in brand.standards.all():
        assert standard.requirement in content


@pytest.mark.parametrize("status", NOT_PUBLIC)
def test_brand_page_of_a_brand_the_public_cannot_see_is_404(client, official_a, city_admin, status):
    brand = factories.BrandFactory(status=status, county=official_a.county)

    assert client.get(detail_url(brand)).status_code == 404
    client.force_login(city_admin)
    assert client.get(detail_url(brand)).status_code == 404


def test_unknown_slug_is_404(client):
    assert client.get(reverse("brands:brand_detail", args=["没有这个品牌"])).status_code == 404


def test_brand_named_news_does_not_hide_the_news_page(client, official_a):
    brand = services.brand_create(
        actor=official_a,
        county=official_a.county,
        name="news",
        category=factories.make_category(),
        occupations=factories.make_occupations(),
        description="x",
    )
    Brand.objects.filter(pk=brand.pk).update(status=Status.CULTIVATING)

    assert brand.slug != "news"
    assert client.get(NEWS_LIST).resolver_match.view_name == "brands:news_list"
    response = client.get(detail_url(brand))
    assert response.status_code == 200
    assert response.context["brand"] == brand


def test_brand_page_query_count_does_not_grow_with_standards_and_news(client, official_a):
    brand = factories.CultivatingBrandFactory(county=official_a.county)

    def add(n):
        for i in range(n):
            factories.BrandStandardFactory(brand=brand, dimension=("ethics", "skill", "service")[i % 3])
            factories.BrandNewsFactory(brand=brand, published=True)
        brand.occupations.add(*factories.make_occupations(n, "machining"))

    add(2)
    few = query_count(client, detail_url(brand))
    add(8)

    assert query_count(client, detail_url(brand)) == few


# --- Escaping -------------------------------------------------------------------------------------------


def test_markup_typed_into_a_brand_is_shown_as_text(client, official_a):
    brand = factories.CultivatingBrandFactory(
        name=SCRIPT, slug="xss", county=official_a.county, slogan=SCRIPT, description=f"{SCRIPT}\n<b>粗体</b>"
    )
    brand.standards.update(requirement=SCRIPT)

    for url in (detail_url(brand), SHOWCASE):
        content = client.get(url).content.decode()
        assert ESCAPED in content, url
        assert "<script>alert" not in content, url
        assert "<b>粗体</b>" not in content
    assert "&lt;b&gt;粗体&lt;/b&gt;" in client.get(detail_url(brand)).content.decode()


def test_markup_typed_into_news_is_shown_as_text(client, official_a):
    news = factories.BrandNewsFactory(title=SCRIPT, summary=SCRIPT, body=SCRIPT, published=True)

    for url in (reverse("brands:news_detail", args=[news.pk]), NEWS_LIST, detail_url(news.brand)):
        content = client.get(url).content.decode()
        assert ESCAPED in content, url
        assert "<script>alert" not in content, url


def test_markup_stays_text_through_the_officials_own_pages(client, official_a, city_admin):
    client.force_login(official_a)
    client.post(
        reverse("brands:brand_create"),
        {
            "name": SCRIPT,
            "category": factories.make_category().pk,
            "occupations": [o.pk for o in factories.make_occupations()],
            "description": SCRIPT,
        },
    )
    brand = Brand.objects.get()
    assert brand.name == SCRIPT

    for user, url in [
        (official_a, reverse("brands:manage_detail", args=[brand.pk])),
        (official_a, reverse("brands:manage_list")),
        (city_admin, reverse("brands:review_detail", args=[brand.pk])),
        (city_admin, reverse("brands:review_queue") + "?status="),
        (city_admin, reverse("brands:county_overview")),
    ]:
        client.force_login(user)
        content = client.get(url).content.decode()
        assert ESCAPED in content, url
        assert "<script>alert" not in content, url


# --- News -----------------------------------------------------------------------------------------------


def test_news_list_shows_published_news_of_public_brands_newest_first(client, official_a):
    older = factories.BrandNewsFactory(published=True)
    newer = factories.BrandNewsFactory(published=True)
    BrandNews.objects.filter(pk=older.pk).update(published_at=newer.published_at.replace(year=2020))
    factories.BrandNewsFactory()  # draft
    for status in NOT_PUBLIC:
        factories.BrandNewsFactory(brand=factories.BrandFactory(status=status), published=True)

    response = client.get(NEWS_LIST)

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [newer, older]


def test_published_news_of_a_public_brand_opens(client):
    news = factories.BrandNewsFactory(published=True, title="第一期培训结业")

    response = client.get(reverse("brands:news_detail", args=[news.pk]))

    assert response.status_code == 200
    assert "第一期培训结业" in response.content.decode()


@pytest.mark.parametrize("status", NOT_PUBLIC)
def test_news_of_a_brand_the_public_cannot_see_is_404(client, status):
    news = factories.BrandNewsFactory(brand=factories.BrandFactory(status=status), published=True)

    assert client.get(reverse("brands:news_detail", args=[news.pk])).status_code == 404


def test_draft_news_is_404(client):
    news = factories.BrandNewsFactory()

    assert client.get(reverse("brands:news_detail", args=[news.pk])).status_code == 404


def test_news_list_is_paginated(client):
    brand = factories.CultivatingBrandFactory()
    factories.BrandNewsFactory.create_batch(25, brand=brand, published=True)

    assert len(client.get(NEWS_LIST).context["page_obj"]) == 20
    assert len(client.get(NEWS_LIST, {"page": 2}).context["page_obj"]) == 5


def test_news_list_query_count_does_not_grow_with_news(client, official_a, official_b):
    def add(n):
        for i in range(n):
            brand = factories.CultivatingBrandFactory(county=(official_a, official_b)[i % 2].county)
            factories.BrandNewsFactory(brand=brand, published=True)

    add(3)
    few = query_count(client, NEWS_LIST)
    add(17)

    assert query_count(client, NEWS_LIST) == few


# --- Logos ----------------------------------------------------------------------------------------------


def with_logo(brand):
    buffer = io.BytesIO()
    Image.new("RGBA", (32, 32), (0, 0, 0, 255)).save(buffer, format="PNG")
    brand.logo.save("logo.png", ContentFile(buffer.getvalue()), save=True)
    return brand


def logo_url(brand):
    return reverse("brands:logo", args=[brand.pk])


@pytest.mark.parametrize("status", PUBLIC)
def test_logo_of_a_public_brand_is_public(client, official_a, status):
    brand = with_logo(factories.BrandFactory(status=status, county=official_a.county))

    response = client.get(logo_url(brand))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("public")
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.format == "PNG"


@pytest.mark.parametrize("status", NOT_PUBLIC)
def test_logo_of_a_brand_the_public_cannot_see_is_404_for_outsiders(
    client, official_a, official_b, worker, status
):
    brand = with_logo(factories.BrandFactory(status=status, county=official_a.county))

    assert client.get(logo_url(brand)).status_code == 404
    for outsider in (official_b, worker):
        client.force_login(outsider)
        assert client.get(logo_url(brand)).status_code == 404


@pytest.mark.parametrize("status", NOT_PUBLIC)
def test_logo_of_a_brand_the_public_cannot_see_is_shown_to_its_county_and_the_city(
    client, official_a, city_admin, status
):
    brand = with_logo(factories.BrandFactory(status=status, county=official_a.county))

    for insider in (official_a, city_admin):
        client.force_login(insider)
        response = client.get(logo_url(brand))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


def test_brand_without_logo_answers_404(client):
    brand = factories.CultivatingBrandFactory()

    assert client.get(logo_url(brand)).status_code == 404


def test_logo_file_is_reachable_only_through_the_logo_view(client, official_a):
    from laborbrand import settings as project_settings

    brand = with_logo(factories.DraftBrandFactory(county=official_a.county))

    for prefix in ("/media/", "/static/", "/uploads/", "/"):
        assert client.get(prefix + brand.logo.name).status_code == 404, prefix
    # The project stores uploads outside static files and gives them no URL.
    options = project_settings.STORAGES["default"]["OPTIONS"]
    assert options["base_url"] is None
    location, static_root = Path(str(options["location"])), Path(str(project_settings.STATIC_ROOT))
    assert static_root != location
    assert static_root not in location.parents


def test_a_bad_filter_value_is_dropped_and_the_others_still_apply(client, official_a, official_b):
    mine = factories.BrandFactory(status=Status.RECOGNISED, county=official_a.county)
    factories.BrandFactory(status=Status.RECOGNISED, county=official_b.county)

    response = client.get(SHOWCASE, {"county": official_a.county.pk, "category": "not-a-number"})

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [mine]


def test_a_logo_whose_file_is_gone_answers_404(client, official_a):
    brand = factories.BrandFactory(status=Status.RECOGNISED, county=official_a.county)
    brand.logo.save("logo.png", ContentFile(b"x"), save=True)
    brand.logo.storage.delete(brand.logo.name)

    assert client.get(reverse("brands:logo", args=[brand.pk])).status_code == 404
