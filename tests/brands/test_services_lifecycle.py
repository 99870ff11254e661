"""The brand lifecycle services: every allowed move, every refused one, and what each leaves behind
(status, BrandEvent, notifications and e-mails) or does not, also when two admins decide at once."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import translation

from brands import services
from brands.models import Brand, BrandEvent, RecognitionCriterion
from brands.services import InvalidTransition
from laborbrand.accounts.models import Notification
from tests import factories
from tests.brands.services_helpers import Dimension, Status

pytestmark = pytest.mark.django_db

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
