"""Creating and updating brands through the services (events, unique slugs, the logo stored as a small
PNG after commit), their standards (added, moved, changed, deleted, locked once submitted) and their news
(published only on a brand the public can see)."""

import io

import pytest
from PIL import Image

from brands import services
from brands.models import BrandNews, BrandStandard
from brands.services import InvalidTransition
from tests import factories
from tests.brands.services_helpers import Dimension, Status

pytestmark = pytest.mark.django_db

Measure = BrandStandard.Measure

# --- Create, update, slugs, logo ------------------------------------------------------------------------


def create(official, name="金寨红嫂家政", county=None, **extra):
    data = {
        "actor": official,
        "county": county or official.county,
        "name": name,
        "category": factories.make_category("domestic"),
        "occupations": factories.make_occupations(2, "domestic"),
        "description": "大别山区的家政服务品牌。",
    }
    data.update(extra)
    return services.brand_create(**data)


def test_create_makes_a_draft_with_an_event(official_a):
    brand = create(official_a)

    brand.refresh_from_db()
    assert brand.status == Status.DRAFT
    assert brand.county == official_a.county
    assert brand.created_by == official_a
    assert brand.slug == "金寨红嫂家政"
    assert brand.occupations.count() == 2
    event = brand.events.get()
    assert (event.old_status, event.new_status, event.actor) == ("", Status.DRAFT, official_a)


@pytest.mark.parametrize("name", sorted(services.RESERVED_SLUGS))
def test_brand_named_like_a_page_gets_another_slug(official_a, name):
    brand = create(official_a, name=name)

    assert brand.slug != name
    assert brand.slug == f"{name}-{official_a.county.code}"


def test_same_name_in_another_county_gets_its_own_slug(official_a, official_b):
    first = create(official_a, name="大别山技工")
    second = create(official_b, name="大别山技工")

    assert first.slug == "大别山技工"
    assert second.slug == f"大别山技工-{official_b.county.code}"


def test_slug_stays_unique_when_the_county_suffix_is_taken(official_a, official_b):
    create(official_b, name="技工")
    factories.BrandFactory(name="其他", slug=f"技工-{official_a.county.code}", county=official_b.county)

    brand = create(official_a, name="技工")

    assert brand.slug == f"技工-{official_a.county.code}-2"


def test_name_without_slug_characters_still_gets_a_slug(official_a):
    assert create(official_a, name="!!!").slug == "brand"


def test_update_changes_fields_but_not_slug_or_status(brand_a, official_a):
    services.brand_update(
        brand=brand_a,
        actor=official_a,
        name="新名称",
        category=factories.make_category("hospitality"),
        occupations=factories.make_occupations(1, "hospitality"),
        description="新的介绍",
        slogan="山水金寨",
    )

    brand_a.refresh_from_db()
    assert (brand_a.name, brand_a.slogan, brand_a.description) == ("新名称", "山水金寨", "新的介绍")
    assert brand_a.slug == "金寨红嫂家政"
    assert brand_a.status == Status.DRAFT
    assert list(brand_a.occupations.all()) == factories.make_occupations(1, "hospitality")


@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.CULTIVATING, Status.RECOGNISED, Status.REJECTED, Status.RETIRED]
)
def test_update_of_a_brand_not_in_draft_or_returned_is_refused(official_a, status):
    brand = factories.BrandFactory(status=status, county=official_a.county, created_by=official_a)

    with pytest.raises(InvalidTransition):
        services.brand_update(
            brand=brand,
            actor=official_a,
            name="改名",
            category=brand.category,
            occupations=[],
            description="改",
        )

    brand.refresh_from_db()
    assert brand.name != "改名"
    assert brand.occupations.exists()


def png_file(size=(1200, 800), mode="RGB", fmt="PNG"):
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 30, 30)).save(buffer, format=fmt)
    buffer.seek(0)
    buffer.name = f"upload.{fmt.lower()}"
    return buffer


@pytest.mark.parametrize(("size", "expected"), [((1200, 800), (512, 341)), ((100, 60), (100, 60))])
def test_logo_is_stored_as_png_at_most_512_pixels(official_a, size, expected):
    brand = create(official_a, logo=png_file(size, fmt="JPEG"))

    assert brand.logo.name.endswith(".png")
    assert "upload" not in brand.logo.name
    with brand.logo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "PNG"
        assert image.size == expected


def test_new_logo_replaces_the_old_file_after_commit(brand_a, official_a, django_capture_on_commit_callbacks):
    services.brand_update(
        brand=brand_a,
        actor=official_a,
        name=brand_a.name,
        category=brand_a.category,
        occupations=brand_a.occupations.all(),
        description=brand_a.description,
        logo=png_file(),
    )
    brand_a.refresh_from_db()
    old = brand_a.logo.name

    with django_capture_on_commit_callbacks(execute=True):
        services.brand_update(
            brand=brand_a,
            actor=official_a,
            name=brand_a.name,
            category=brand_a.category,
            occupations=brand_a.occupations.all(),
            description=brand_a.description,
            logo=png_file((300, 300)),
        )

    brand_a.refresh_from_db()
    assert brand_a.logo.name != old
    assert brand_a.logo.storage.exists(brand_a.logo.name)
    assert not brand_a.logo.storage.exists(old)


def test_update_without_logo_keeps_the_logo(official_a):
    brand = create(official_a, logo=png_file())
    name = brand.logo.name

    services.brand_update(
        brand=brand,
        actor=official_a,
        name="改名",
        category=brand.category,
        occupations=brand.occupations.all(),
        description="改",
        logo=None,
    )

    brand.refresh_from_db()
    assert brand.logo.name == name


# --- Standards ------------------------------------------------------------------------------------------


def test_standard_add_appends_within_its_dimension(brand_a):
    first = services.standard_add(brand=brand_a, dimension=Dimension.SKILL, requirement="甲")
    second = services.standard_add(brand=brand_a, dimension=Dimension.SKILL, requirement="乙")
    other = services.standard_add(brand=brand_a, dimension=Dimension.ETHICS, requirement="丙")

    assert (first.order, second.order, other.order) == (0, 1, 0)


def test_standard_add_drops_a_target_without_measure(brand_a):
    standard = services.standard_add(brand=brand_a, dimension=Dimension.SKILL, requirement="甲", target=3)

    assert standard.measure == ""
    assert standard.target is None


def test_standard_update_to_another_dimension_goes_last(brand_a):
    services.standard_add(brand=brand_a, dimension=Dimension.ETHICS, requirement="甲")
    services.standard_add(brand=brand_a, dimension=Dimension.ETHICS, requirement="乙")
    moving = services.standard_add(brand=brand_a, dimension=Dimension.SKILL, requirement="丙")

    services.standard_update(
        standard=moving,
        dimension=Dimension.ETHICS,
        requirement="丙",
        measure=Measure.MIN_ETHICS_HOURS,
        target=8,
    )

    moving.refresh_from_db()
    assert (moving.dimension, moving.order, moving.measure, moving.target) == (
        Dimension.ETHICS,
        2,
        Measure.MIN_ETHICS_HOURS,
        8,
    )


def test_standard_move_swaps_with_neighbour_and_stops_at_the_ends(brand_a):
    a, b, c = (
        services.standard_add(brand=brand_a, dimension=Dimension.SKILL, requirement=text) for text in "甲乙丙"
    )

    def order():
        return list(brand_a.standards.filter(dimension=Dimension.SKILL).order_by("order", "pk"))

    services.standard_move(standard=c, up=True)
    assert order() == [a, c, b]
    services.standard_move(standard=a, up=True)
    assert order() == [a, c, b]
    services.standard_move(standard=b, up=False)
    assert order() == [a, c, b]
    services.standard_move(standard=a, up=False)
    assert order() == [c, a, b]


def test_standard_delete_removes_it(brand_a):
    standard = services.standard_add(brand=brand_a, dimension=Dimension.SKILL, requirement="甲")

    services.standard_delete(standard=standard)

    assert not brand_a.standards.exists()


@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.CULTIVATING, Status.RECOGNISED, Status.REJECTED, Status.RETIRED]
)
def test_standards_of_a_locked_brand_cannot_change(official_a, status):
    brand = factories.BrandFactory(status=status, county=official_a.county, created_by=official_a)
    first, second = list(brand.standards.order_by("pk"))[:2]
    services_calls = [
        lambda: services.standard_add(brand=brand, dimension=Dimension.SKILL, requirement="新增"),
        lambda: services.standard_update(standard=first, dimension=first.dimension, requirement="改"),
        lambda: services.standard_delete(standard=first),
        lambda: services.standard_move(standard=second, up=True),
    ]
    before = list(brand.standards.order_by("pk").values_list("pk", "dimension", "requirement", "order"))

    for call in services_calls:
        with pytest.raises(InvalidTransition):
            call()

    after = list(brand.standards.order_by("pk").values_list("pk", "dimension", "requirement", "order"))
    assert after == before


# --- News -----------------------------------------------------------------------------------------------


def test_news_create_and_publish_on_a_public_brand(official_a):
    brand = factories.CultivatingBrandFactory(county=official_a.county, created_by=official_a)

    news = services.news_create(brand=brand, author=official_a, title="开班", body="正文", publish=True)

    news.refresh_from_db()
    assert news.status == BrandNews.Status.PUBLISHED
    assert news.published_at is not None
    assert news.author == official_a


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.REJECTED])
def test_news_of_a_brand_the_public_cannot_see_is_not_published(official_a, status):
    brand = factories.BrandFactory(status=status, county=official_a.county, created_by=official_a)
    news = factories.BrandNewsFactory(brand=brand)

    with pytest.raises(InvalidTransition):
        services.news_publish(news=news)

    news.refresh_from_db()
    assert news.status == BrandNews.Status.DRAFT
    assert news.published_at is None


def test_republishing_keeps_the_first_publication_time(official_a):
    news = factories.BrandNewsFactory(published=True)
    first = news.published_at

    services.news_unpublish(news=news)
    news.refresh_from_db()
    assert news.status == BrandNews.Status.DRAFT
    services.news_publish(news=news)

    news.refresh_from_db()
    assert news.status == BrandNews.Status.PUBLISHED
    assert news.published_at == first
