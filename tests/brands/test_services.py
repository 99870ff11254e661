"""The brand lifecycle, standards and news services: every allowed move, every refused one, and what each
leaves behind (status, BrandEvent, notifications) or does not."""

import io
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import translation
from PIL import Image

from brands import services
from brands.models import Brand, BrandEvent, BrandNews, BrandStandard, RecognitionCriterion
from brands.services import InvalidTransition
from laborbrand.accounts.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

Status = Brand.Status
Dimension = BrandStandard.Dimension
Measure = BrandStandard.Measure

# service name -> (the status it moves to, whether it is the city's decision)
SERVICES = {
    "brand_submit": Status.SUBMITTED,
    "brand_accept": Status.CULTIVATING,
    "brand_return": Status.RETURNED,
    "brand_reject": Status.REJECTED,
    "brand_recognise": Status.RECOGNISED,
    "brand_retire": Status.RETIRED,
}
ALLOWED_MOVES = [
    (Status.DRAFT, "brand_submit"),
    (Status.RETURNED, "brand_submit"),
    (Status.SUBMITTED, "brand_accept"),
    (Status.SUBMITTED, "brand_return"),
    (Status.SUBMITTED, "brand_reject"),
    (Status.CULTIVATING, "brand_recognise"),
    (Status.CULTIVATING, "brand_retire"),
    (Status.RECOGNISED, "brand_retire"),
]
REFUSED_MOVES = [
    (status, name) for status in Status.values for name in SERVICES if (status, name) not in ALLOWED_MOVES
]
REASON = "材料齐全，符合培育条件。"


def run(name, brand, actor, reason=REASON):
    service = getattr(services, name)
    if name == "brand_submit":
        return service(brand=brand, actor=actor)
    return service(brand=brand, actor=actor, reason=reason)


def actor_for(name, official, admin):
    return official if name == "brand_submit" else admin


def english(message) -> str:
    with translation.override("en"):
        return str(message)


@pytest.fixture
def brand(official_a):
    """A brand of official_a's county with one standard per dimension, so it may be submitted."""
    return factories.DraftBrandFactory(county=official_a.county, created_by=official_a, standards=True)


# --- Allowed moves --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "name"), ALLOWED_MOVES, ids=[f"{s}-{n}" for s, n in ALLOWED_MOVES])
def test_allowed_move_changes_status_and_records_event(brand, official_a, city_admin, start, name):
    Brand.objects.filter(pk=brand.pk).update(status=start)
    brand.refresh_from_db()
    before = brand.status_changed
    actor = actor_for(name, official_a, city_admin)

    returned = run(name, brand, actor)

    brand.refresh_from_db()
    assert brand.status == SERVICES[name]
    assert returned.status == SERVICES[name]
    assert brand.status_changed > before
    event = brand.events.get()
    assert (event.old_status, event.new_status, event.actor) == (start, SERVICES[name], actor)
    assert event.reason == ("" if name == "brand_submit" else REASON)


def test_reason_is_stored_without_surrounding_whitespace(brand, city_admin):
    Brand.objects.filter(pk=brand.pk).update(status=Status.SUBMITTED)

    services.brand_return(brand=brand, actor=city_admin, reason="  请补充技能标准。\n")

    assert brand.events.get().reason == "请补充技能标准。"


def test_accept_and_recognise_need_no_reason(brand, city_admin, recognition_criteria):
    """Recognising needs none when the brand meets every criterion in use (here: none is in use)."""
    RecognitionCriterion.objects.update(active=False)
    Brand.objects.filter(pk=brand.pk).update(status=Status.SUBMITTED)

    services.brand_accept(brand=brand, actor=city_admin)
    services.brand_recognise(brand=brand, actor=city_admin)

    brand.refresh_from_db()
    assert brand.status == Status.RECOGNISED
    assert [e.new_status for e in brand.events.order_by("pk")] == [Status.CULTIVATING, Status.RECOGNISED]
    assert all(e.reason == "" for e in brand.events.all())


def test_whole_lifecycle_leaves_one_event_per_step(brand, official_a, city_admin):
    services.brand_submit(brand=brand, actor=official_a)
    services.brand_return(brand=brand, actor=city_admin, reason="补充服务规范")
    services.brand_submit(brand=brand, actor=official_a)
    services.brand_accept(brand=brand, actor=city_admin)
    services.brand_recognise(brand=brand, actor=city_admin, reason="线下台账印证成效，予以认定")
    services.brand_retire(brand=brand, actor=city_admin, reason="不再培育")

    steps = [(e.old_status, e.new_status, e.actor) for e in brand.events.order_by("pk")]
    assert steps == [
        (Status.DRAFT, Status.SUBMITTED, official_a),
        (Status.SUBMITTED, Status.RETURNED, city_admin),
        (Status.RETURNED, Status.SUBMITTED, official_a),
        (Status.SUBMITTED, Status.CULTIVATING, city_admin),
        (Status.CULTIVATING, Status.RECOGNISED, city_admin),
        (Status.RECOGNISED, Status.RETIRED, city_admin),
    ]


# --- Recognition: by the criteria, or as a written exception --------------------------------------------

Metric = RecognitionCriterion.Metric


def only_news_criterion(threshold: int) -> None:
    """Of the city's criteria only "published news" is in use, with this threshold."""
    RecognitionCriterion.objects.exclude(metric=Metric.PUBLISHED_NEWS).update(active=False)
    RecognitionCriterion.objects.filter(metric=Metric.PUBLISHED_NEWS).update(threshold=threshold, active=True)


# (threshold of "published news" or None for the city's default criteria, news the brand published, reason,
# recognised, the criteria recorded as missed)
RECOGNITION_CASES = [
    (1, 1, "", True, []),
    (1, 3, "", True, []),
    (3, 3, "", True, []),
    (2, 1, "", False, None),
    (2, 1, "   ", False, None),
    (2, 0, "", False, None),
    (2, 1, "县里线下台账印证成效", True, [{"metric": Metric.PUBLISHED_NEWS, "threshold": 2, "figure": 1}]),
    (None, 0, "", False, None),
    (None, 0, "县里线下台账印证成效", True, "all"),
]


@pytest.mark.parametrize(("threshold", "news", "reason", "recognised", "missed"), RECOGNITION_CASES)
def test_recognising_a_brand_that_misses_criteria_needs_a_written_reason(
    official_a, city_admin, recognition_criteria, threshold, news, reason, recognised, missed
):
    if threshold is not None:
        only_news_criterion(threshold)
    brand = factories.CultivatingBrandFactory(county=official_a.county, created_by=official_a)
    factories.BrandNewsFactory.create_batch(news, brand=brand, published=True)

    if recognised:
        services.brand_recognise(brand=brand, actor=city_admin, reason=reason)
        event = brand.events.get()
        assert (event.new_status, event.reason) == (Status.RECOGNISED, reason.strip())
        if missed == "all":  # none of the city's five default criteria is met by a new brand
            assert [row["metric"] for row in event.missed_criteria] == [
                c.metric for c in recognition_criteria
            ]
        else:
            assert event.missed_criteria == missed
        assert Notification.objects.filter(recipient=official_a).exists()
    else:
        with translation.override("en"), pytest.raises(InvalidTransition, match="give the reason"):
            services.brand_recognise(brand=brand, actor=city_admin, reason=reason)
        assert not brand.events.exists()
        assert not Notification.objects.exists()
    brand.refresh_from_db()
    assert brand.status == (Status.RECOGNISED if recognised else Status.CULTIVATING)


def test_the_refusal_names_each_missed_criterion_with_its_figure(
    official_a, city_admin, recognition_criteria
):
    only_news_criterion(4)
    RecognitionCriterion.objects.filter(metric=Metric.TRAINED_PER_YEAR).update(active=True, threshold=300)
    brand = factories.CultivatingBrandFactory(county=official_a.county, created_by=official_a)
    factories.BrandNewsFactory(brand=brand, published=True)

    with translation.override("en"), pytest.raises(InvalidTransition) as refused:
        services.brand_recognise(brand=brand, actor=city_admin)

    assert "Trainee-times completed in the last 12 months (0, needs 300)" in str(refused.value)
    assert "Published brand news items (1, needs 4)" in str(refused.value)


def test_criteria_not_in_use_are_not_asked_for(official_a, city_admin, recognition_criteria):
    RecognitionCriterion.objects.update(active=False)
    brand = factories.CultivatingBrandFactory(county=official_a.county, created_by=official_a)
    services.brand_recognise(brand=brand, actor=city_admin)
    assert brand.events.get().missed_criteria == []


def test_a_criterion_without_records_counts_as_missed(
    official_a, city_admin, recognition_criteria, monkeypatch
):
    from brands import figures

    only_news_criterion(1)
    monkeypatch.delitem(figures._providers, Metric.PUBLISHED_NEWS)
    brand = factories.CultivatingBrandFactory(county=official_a.county, created_by=official_a)
    with pytest.raises(InvalidTransition):
        services.brand_recognise(brand=brand, actor=city_admin)
    services.brand_recognise(brand=brand, actor=city_admin, reason="以县里台账为准")
    assert brand.events.get().missed_criteria == [
        {"metric": Metric.PUBLISHED_NEWS, "threshold": 1, "figure": None}
    ]


# --- Refused moves --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "name"), REFUSED_MOVES, ids=[f"{s}-{n}" for s, n in REFUSED_MOVES])
def test_refused_move_raises_and_changes_nothing(brand, official_a, city_admin, start, name):
    Brand.objects.filter(pk=brand.pk).update(status=start)
    brand.refresh_from_db()
    before = brand.status_changed

    with translation.override("en"), pytest.raises(InvalidTransition) as excinfo:
        run(name, brand, actor_for(name, official_a, city_admin))

    brand.refresh_from_db()
    assert brand.status == start
    assert brand.status_changed == before
    assert not BrandEvent.objects.exists()
    assert not Notification.objects.exists()
    current, target = english(Status(start).label), english(Status(SERVICES[name]).label)
    assert str(excinfo.value) == f"A brand that is “{current}” cannot become “{target}”."


def test_accepting_twice_is_refused_the_second_time(brand, city_admin):
    Brand.objects.filter(pk=brand.pk).update(status=Status.SUBMITTED)
    services.brand_accept(brand=brand, actor=city_admin)
    notifications = Notification.objects.count()

    with pytest.raises(InvalidTransition):
        services.brand_accept(brand=brand, actor=city_admin)

    brand.refresh_from_db()
    assert brand.status == Status.CULTIVATING
    assert brand.events.count() == 1
    assert Notification.objects.count() == notifications


def test_a_stale_brand_object_cannot_be_decided_twice(brand, city_admin):
    """The service re-reads the row: a second admin holding the old 'submitted' object is refused."""
    Brand.objects.filter(pk=brand.pk).update(status=Status.SUBMITTED)
    brand.refresh_from_db()
    stale = Brand.objects.get(pk=brand.pk)
    services.brand_accept(brand=brand, actor=city_admin)

    with pytest.raises(InvalidTransition):
        services.brand_reject(brand=stale, actor=factories.CityAdminFactory(), reason="重复")

    brand.refresh_from_db()
    assert brand.status == Status.CULTIVATING
    assert brand.events.count() == 1


@pytest.mark.parametrize(("start", "name"), [m for m in ALLOWED_MOVES if m[1] != "brand_submit"])
def test_only_city_admins_decide_even_when_the_service_is_called_directly(
    brand, official_a, worker, start, name
):
    Brand.objects.filter(pk=brand.pk).update(status=start)

    for actor in (official_a, worker):
        with pytest.raises(PermissionDenied):
            run(name, brand, actor)

    brand.refresh_from_db()
    assert brand.status == start
    assert not brand.events.exists()
    assert not Notification.objects.exists()


def test_official_of_another_county_cannot_submit_the_brand(brand, official_b):
    with pytest.raises(PermissionDenied):
        services.brand_submit(brand=brand, actor=official_b)

    brand.refresh_from_db()
    assert brand.status == Status.DRAFT
    assert not brand.events.exists()


def test_city_admin_may_submit_for_a_county(brand, city_admin):
    services.brand_submit(brand=brand, actor=city_admin)

    brand.refresh_from_db()
    assert brand.status == Status.SUBMITTED
    assert brand.events.get().actor == city_admin


@pytest.mark.parametrize("target", [Status.SUBMITTED, Status.RETURNED, Status.CULTIVATING, Status.DRAFT])
def test_rejected_brand_can_become_nothing(brand, city_admin, official_a, target):
    Brand.objects.filter(pk=brand.pk).update(status=Status.REJECTED)

    with pytest.raises(InvalidTransition):
        services._transition(brand=brand, actor=city_admin, to=target, reason=REASON)

    brand.refresh_from_db()
    assert brand.status == Status.REJECTED
    assert not brand.events.exists()


@pytest.mark.parametrize(
    ("start", "name"),
    [
        (Status.SUBMITTED, "brand_return"),
        (Status.SUBMITTED, "brand_reject"),
        (Status.CULTIVATING, "brand_retire"),
        (Status.RECOGNISED, "brand_retire"),
    ],
)
@pytest.mark.parametrize("reason", ["", "   \n "])
def test_return_reject_and_retire_need_a_reason(brand, city_admin, start, name, reason):
    Brand.objects.filter(pk=brand.pk).update(status=start)

    with translation.override("en"), pytest.raises(InvalidTransition) as excinfo:
        run(name, brand, city_admin, reason=reason)

    assert str(excinfo.value) == "Please give a reason."
    brand.refresh_from_db()
    assert brand.status == start
    assert not brand.events.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("present", [[], [Dimension.ETHICS], [Dimension.ETHICS, Dimension.SKILL]])
def test_submit_needs_a_standard_in_every_dimension(official_a, present):
    brand = factories.DraftBrandFactory(county=official_a.county, created_by=official_a, standards=False)
    for dimension in present:
        factories.BrandStandardFactory(brand=brand, dimension=dimension)

    with translation.override("en"), pytest.raises(InvalidTransition) as excinfo:
        services.brand_submit(brand=brand, actor=official_a)

    message = str(excinfo.value)
    assert message.startswith("Add at least one standard in every dimension before submitting.")
    for value in Dimension.values:
        assert (english(Dimension(value).label) in message) is (value not in present)
    brand.refresh_from_db()
    assert brand.status == Status.DRAFT
    assert not brand.events.exists()
    assert not Notification.objects.exists()


def test_returned_brand_without_standards_cannot_be_resubmitted(official_a):
    brand = factories.ReturnedBrandFactory(county=official_a.county, created_by=official_a, standards=False)

    with pytest.raises(InvalidTransition):
        services.brand_submit(brand=brand, actor=official_a)

    brand.refresh_from_db()
    assert brand.status == Status.RETURNED


def test_missing_dimensions_lists_labels_in_dimension_order(brand_a):
    factories.BrandStandardFactory(brand=brand_a, dimension=Dimension.SKILL)

    assert services.missing_dimensions(brand_a) == [Dimension.ETHICS.label, Dimension.SERVICE.label]


# --- Notifications --------------------------------------------------------------------------------------


def test_submit_notifies_every_active_city_admin_and_nobody_else(brand, official_a, official_b, city_admin):
    other_admin = factories.CityAdminFactory()
    factories.CityAdminFactory(is_active=False)

    services.brand_submit(brand=brand, actor=official_a)

    notifications = Notification.objects.all()
    assert {n.recipient for n in notifications} == {city_admin, other_admin}
    for notification in notifications:
        assert notification.url == reverse("brands:review_detail", args=[brand.pk])
        assert brand.name in notification.title


@pytest.mark.parametrize(
    ("start", "name"),
    [(s, n) for s, n in ALLOWED_MOVES if n != "brand_submit"],
)
def test_decision_notifies_the_brands_county_officials_only(
    brand, official_a, official_b, city_admin, start, name
):
    colleague = factories.OfficialFactory(county=official_a.county)
    factories.OfficialFactory(county=official_a.county, is_active=False)
    Brand.objects.filter(pk=brand.pk).update(status=start)

    run(name, brand, city_admin)

    notifications = Notification.objects.all()
    assert {n.recipient for n in notifications} == {official_a, colleague}
    for notification in notifications:
        assert notification.url == reverse("brands:manage_detail", args=[brand.pk])
        assert brand.name in notification.title
        assert notification.body == REASON


def test_decision_e_mails_the_county_after_commit(
    brand, official_a, city_admin, mailoutbox, django_capture_on_commit_callbacks
):
    Brand.objects.filter(pk=brand.pk).update(status=Status.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        services.brand_return(brand=brand, actor=city_admin, reason="请补充服务规范")

    assert [m.to for m in mailoutbox] == [[official_a.email]]


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


# --- Two admins at once ---------------------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks (SELECT … FOR UPDATE): PostgreSQL only"
)
def test_two_admins_deciding_at_once_give_exactly_one_decision(committed_db):
    """Each thread has its own database connection; the row lock makes the second wait, re-read and refuse."""
    official = factories.OfficialFactory(county=factories.make_county("341524"))
    brand = factories.SubmittedBrandFactory(county=official.county, created_by=official)
    admins = [factories.CityAdminFactory(), factories.CityAdminFactory()]
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(service, admin):
        try:
            barrier.wait()
            service(brand=Brand.objects.get(pk=brand.pk), actor=admin, reason="同时操作")
            outcomes.append("done")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(services.brand_accept, admins[0])),
        threading.Thread(target=decide, args=(services.brand_reject, admins[1])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["done", "refused"]
    brand.refresh_from_db()
    assert brand.status in {Status.CULTIVATING, Status.REJECTED}
    assert brand.events.count() == 1
