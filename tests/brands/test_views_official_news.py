"""County officials write their brands' news through the pages: drafts, publishing and unpublishing,
only for a brand the public can see and of their own county; bad input changes nothing."""

import pytest
from django.urls import reverse

from brands.models import BrandNews
from tests import factories
from tests.brands.views_official_helpers import NEWS_MANAGE_LIST, Status, messages_of

pytestmark = pytest.mark.django_db

NEWS_CREATE = reverse("brands:news_create")


# --- News -----------------------------------------------------------------------------------------------


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
