"""Who may open each brand page, for every role: anonymous visitors sign in first, roles without business
there get 403, another county's records answer 404 (never their data), and locked brands cannot be edited."""

import pytest
from django.urls import reverse

from brands import permissions
from brands.models import Brand, BrandNews, BrandStandard
from laborbrand.accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

Role = User.Role
Status = Brand.Status
ALL_ROLES = list(Role.values)


@pytest.fixture
def objects(official_a):
    """A draft brand of county A with two standards in one dimension, and a news item of a public brand."""
    brand = factories.DraftBrandFactory(county=official_a.county, created_by=official_a, standards=True)
    standard = factories.BrandStandardFactory(brand=brand, dimension=BrandStandard.Dimension.ETHICS)
    public = factories.CultivatingBrandFactory(county=official_a.county, created_by=official_a)
    news = factories.BrandNewsFactory(brand=public)
    return {"brand": brand, "standard": standard, "news": news}


def standard_args(o):
    return [o["brand"].pk, o["standard"].pk]


# (url name, how to build its args from `objects`, method)
OFFICIAL_BRAND_PAGES = [
    ("brands:brand_update", lambda o: [o["brand"].pk], "get"),
    ("brands:brand_submit", lambda o: [o["brand"].pk], "post"),
    ("brands:standard_create", lambda o: [o["brand"].pk], "get"),
    ("brands:standard_update", standard_args, "get"),
    ("brands:standard_delete", standard_args, "post"),
    ("brands:standard_move_up", standard_args, "post"),
]
OFFICIAL_NEWS_PAGES = [
    ("brands:news_update", lambda o: [o["news"].pk], "get"),
    ("brands:news_publish", lambda o: [o["news"].pk], "post"),
    ("brands:news_unpublish", lambda o: [o["news"].pk], "post"),
]
OFFICIAL_ONLY_PAGES = [
    ("brands:brand_create", lambda o: [], "get"),
    ("brands:news_manage_list", lambda o: [], "get"),
    ("brands:news_create", lambda o: [], "get"),
    *OFFICIAL_BRAND_PAGES,
    *OFFICIAL_NEWS_PAGES,
]
OFFICIAL_AND_ADMIN_PAGES = [
    ("brands:manage_list", lambda o: [], "get"),
    ("brands:manage_detail", lambda o: [o["brand"].pk], "get"),
]
ADMIN_PAGES = [
    ("brands:review_queue", lambda o: [], "get"),
    ("brands:review_detail", lambda o: [o["brand"].pk], "get"),
    ("brands:brand_accept", lambda o: [o["brand"].pk], "post"),
    ("brands:county_overview", lambda o: [], "get"),
    ("brands:criteria", lambda o: [], "get"),
]
ALL_PAGES = OFFICIAL_ONLY_PAGES + OFFICIAL_AND_ADMIN_PAGES + ADMIN_PAGES
ALLOWED_ROLES = {
    **{name: {Role.COUNTY_OFFICIAL} for name, _, _ in OFFICIAL_ONLY_PAGES},
    **{name: {Role.COUNTY_OFFICIAL, Role.CITY_ADMIN} for name, _, _ in OFFICIAL_AND_ADMIN_PAGES},
    **{name: {Role.CITY_ADMIN} for name, _, _ in ADMIN_PAGES},
}
FORBIDDEN = [
    (name, args, method, role)
    for name, args, method in ALL_PAGES
    for role in ALL_ROLES
    if role not in ALLOWED_ROLES[name]
]
ids = [entry[0].removeprefix("brands:") for entry in ALL_PAGES]


def snapshot(o):
    """Everything a forbidden request could have changed."""
    brand, news = Brand.objects.get(pk=o["brand"].pk), BrandNews.objects.get(pk=o["news"].pk)
    standards = list(
        BrandStandard.objects.order_by("pk").values_list("pk", "dimension", "requirement", "order")
    )
    return (
        brand.status,
        brand.name,
        news.status,
        standards,
        Brand.objects.count(),
        BrandNews.objects.count(),
    )


def call(client, method, name, args):
    return getattr(client, method)(reverse(name, args=args))


@pytest.mark.parametrize(("name", "args", "method"), ALL_PAGES, ids=ids)
def test_anonymous_visitor_is_sent_to_login(client, objects, name, args, method):
    url = reverse(name, args=args(objects))

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(
    ("name", "args", "method", "role"),
    FORBIDDEN,
    ids=[f"{name.removeprefix('brands:')}-{role}" for name, _, _, role in FORBIDDEN],
)
def test_roles_without_business_on_a_page_get_403(client, personas, objects, name, args, method, role):
    client.force_login(personas[role])
    before = snapshot(objects)

    response = call(client, method, name, args(objects))

    assert response.status_code == 403
    assert snapshot(objects) == before


ALLOWED = [
    (name, args, method, role) for name, args, method in ALL_PAGES for role in sorted(ALLOWED_ROLES[name])
]


@pytest.mark.parametrize(
    ("name", "args", "method", "role"),
    ALLOWED,
    ids=[f"{name.removeprefix('brands:')}-{role}" for name, _, _, role in ALLOWED],
)
def test_roles_with_business_on_a_page_open_it(client, personas, objects, name, args, method, role):
    """Pages answer 200; actions redirect back (PRG), whatever their outcome."""
    client.force_login(personas[role])

    response = call(client, method, name, args(objects))

    assert response.status_code == (200 if method == "get" else 302)


@pytest.mark.parametrize(("name", "args", "method"), ADMIN_PAGES, ids=[p[0] for p in ADMIN_PAGES])
def test_official_of_any_county_gets_403_on_city_pages(client, official_b, objects, name, args, method):
    client.force_login(official_b)

    assert call(client, method, name, args(objects)).status_code == 403


def test_official_cannot_decide_on_their_own_brand(client, official_a, objects):
    brand = objects["brand"]
    Brand.objects.filter(pk=brand.pk).update(status=Status.SUBMITTED)
    client.force_login(official_a)

    response = client.post(reverse("brands:brand_accept", args=[brand.pk]), {"reason": ""})

    assert response.status_code == 403
    brand.refresh_from_db()
    assert brand.status == Status.SUBMITTED
    assert not brand.events.exists()


# --- Another county's records ---------------------------------------------------------------------------

OTHER_COUNTY_PAGES = [
    ("brands:manage_detail", lambda o: [o["brand"].pk], "get"),
    *OFFICIAL_BRAND_PAGES,
    ("brands:brand_update", lambda o: [o["brand"].pk], "post"),
    ("brands:standard_create", lambda o: [o["brand"].pk], "post"),
    ("brands:standard_update", standard_args, "post"),
    ("brands:standard_move_down", standard_args, "post"),
]


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.RETURNED, Status.SUBMITTED, Status.CULTIVATING, Status.RECOGNISED]
)
@pytest.mark.parametrize(
    ("name", "args", "method"), OTHER_COUNTY_PAGES, ids=[f"{p[0]}-{p[2]}" for p in OTHER_COUNTY_PAGES]
)
def test_official_of_another_county_gets_404_on_brand_pages(
    client, official_b, objects, status, name, args, method
):
    Brand.objects.filter(pk=objects["brand"].pk).update(status=status)
    client.force_login(official_b)
    before = snapshot(objects)

    response = getattr(client, method)(
        reverse(name, args=args(objects)),
        {"name": "抢注", "dimension": "ethics", "requirement": "改", "category": 1, "description": "x"},
    )

    assert response.status_code == 404
    assert objects["brand"].name.encode() not in response.content
    assert snapshot(objects) == before


@pytest.mark.parametrize("news_status", [BrandNews.Status.DRAFT, BrandNews.Status.PUBLISHED])
@pytest.mark.parametrize(
    ("name", "args", "method"),
    [*OFFICIAL_NEWS_PAGES, ("brands:news_update", lambda o: [o["news"].pk], "post")],
    ids=["news_update-get", "news_publish", "news_unpublish", "news_update-post"],
)
def test_official_of_another_county_gets_404_on_news(
    client, official_b, objects, news_status, name, args, method
):
    BrandNews.objects.filter(pk=objects["news"].pk).update(status=news_status)
    client.force_login(official_b)
    before = snapshot(objects)

    response = getattr(client, method)(reverse(name, args=args(objects)), {"title": "抢", "body": "x"})

    assert response.status_code == 404
    assert snapshot(objects) == before


def test_standard_of_another_brand_is_404_even_with_own_brand_in_the_url(client, official_a, brand_b):
    own = factories.DraftBrandFactory(county=official_a.county, created_by=official_a)
    foreign = brand_b.standards.first()
    client.force_login(official_a)

    for name, method in [
        ("brands:standard_update", "get"),
        ("brands:standard_delete", "post"),
        ("brands:standard_move_up", "post"),
    ]:
        assert getattr(client, method)(reverse(name, args=[own.pk, foreign.pk])).status_code == 404, name

    assert BrandStandard.objects.filter(pk=foreign.pk).exists()


def test_missing_brand_is_404_for_its_would_be_county(client, official_a):
    client.force_login(official_a)
    missing = (Brand.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000

    assert client.get(reverse("brands:manage_detail", args=[missing])).status_code == 404
    assert client.get(reverse("brands:brand_update", args=[missing])).status_code == 404


# --- Locked brands --------------------------------------------------------------------------------------

LOCKED = [Status.SUBMITTED, Status.CULTIVATING, Status.RECOGNISED, Status.REJECTED, Status.RETIRED]


@pytest.mark.parametrize("status", LOCKED)
@pytest.mark.parametrize(
    ("name", "args", "method"),
    [*OFFICIAL_BRAND_PAGES, ("brands:brand_update", lambda o: [o["brand"].pk], "post")],
    ids=[f"{p[0]}-{p[2]}" for p in OFFICIAL_BRAND_PAGES] + ["brand_update-post"],
)
def test_own_brand_outside_draft_or_returned_cannot_be_edited(
    client, official_a, objects, status, name, args, method
):
    Brand.objects.filter(pk=objects["brand"].pk).update(status=status)
    client.force_login(official_a)
    before = snapshot(objects)

    response = getattr(client, method)(
        reverse(name, args=args(objects)),
        {"dimension": "ethics", "requirement": "改"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # A form's page says why instead of showing the form; a POST is refused.
    assert response.status_code == (200 if method == "get" else 403)
    if method == "get":
        assert "form" not in response.context
        assert "only a draft or a brand returned for changes can be edited" in response.content.decode()
    assert snapshot(objects) == before


# --- The permission functions themselves ----------------------------------------------------------------


@pytest.fixture
def brands_of_two_counties(official_a, official_b):
    return {
        "a": [factories.BrandFactory(status=s, county=official_a.county) for s in Status.values],
        "b": [factories.BrandFactory(status=s, county=official_b.county) for s in Status.values],
    }


def test_city_admin_sees_every_brand(city_admin, brands_of_two_counties):
    assert set(permissions.visible_brands(city_admin)) == set(Brand.objects.all())


def test_official_sees_every_brand_of_their_county_only(official_a, brands_of_two_counties):
    assert set(permissions.visible_brands(official_a)) == set(brands_of_two_counties["a"])


@pytest.mark.parametrize("role", [Role.WORKER, Role.EMPLOYER, Role.INSTITUTION_STAFF])
def test_other_roles_see_no_brand_to_manage(personas, brands_of_two_counties, role):
    assert not permissions.visible_brands(personas[role]).exists()
    assert not permissions.visible_news(personas[role]).exists()


def test_anonymous_sees_no_brand_to_manage(brands_of_two_counties):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.visible_brands(AnonymousUser()).exists()


def test_public_brands_are_cultivating_and_recognised_only(brands_of_two_counties):
    assert {b.status for b in permissions.public_brands()} == {Status.CULTIVATING, Status.RECOGNISED}
    assert permissions.public_brands().count() == 4


def test_public_news_is_published_news_of_public_brands(official_a):
    shown = factories.BrandNewsFactory(published=True)
    factories.BrandNewsFactory(brand=shown.brand)  # draft
    for status in [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.REJECTED, Status.RETIRED]:
        brand = factories.BrandFactory(status=status)
        factories.BrandNewsFactory(brand=brand, published=True)

    assert list(permissions.public_news()) == [shown]


def test_official_manages_the_news_of_their_county_only(official_a, official_b):
    own = factories.BrandNewsFactory(brand=factories.CultivatingBrandFactory(county=official_a.county))
    factories.BrandNewsFactory(brand=factories.CultivatingBrandFactory(county=official_b.county))

    assert list(permissions.visible_news(official_a)) == [own]


@pytest.mark.parametrize(
    ("role", "same_county", "status", "expected"),
    [
        (Role.COUNTY_OFFICIAL, True, Status.DRAFT, True),
        (Role.COUNTY_OFFICIAL, True, Status.RETURNED, True),
        *[(Role.COUNTY_OFFICIAL, True, s, False) for s in LOCKED],
        (Role.COUNTY_OFFICIAL, False, Status.DRAFT, False),
        (Role.CITY_ADMIN, False, Status.DRAFT, False),
    ],
)
def test_can_edit_brand(official_a, official_b, city_admin, role, same_county, status, expected):
    brand = factories.BrandFactory(status=status, county=official_a.county)
    user = {Role.CITY_ADMIN: city_admin}.get(role) or (official_a if same_county else official_b)

    assert permissions.can_edit_brand(user, brand) is expected
