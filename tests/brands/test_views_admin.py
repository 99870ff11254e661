"""City admins review submitted brands, decide on them, watch every county's brands and set the recognition
criteria."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brands import figures
from brands.models import Brand, RecognitionCriterion
from laborbrand.accounts.models import Notification
from laborbrand.reference.models import County
from tests import factories

pytestmark = pytest.mark.django_db

Status = Brand.Status
Metric = RecognitionCriterion.Metric
QUEUE = reverse("brands:review_queue")
OVERVIEW = reverse("brands:county_overview")
CRITERIA = reverse("brands:criteria")


@pytest.fixture
def admin_client(client, city_admin):
    client.force_login(city_admin)
    return client


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def decide(client, brand, decision, reason="", **extra):
    return client.post(reverse(f"brands:brand_{decision}", args=[brand.pk]), {"reason": reason}, **extra)


def query_count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


# --- Review queue ---------------------------------------------------------------------------------------


def test_queue_shows_submitted_brands_oldest_first_by_default(admin_client, official_a, official_b):
    later = factories.SubmittedBrandFactory(county=official_a.county)
    earlier = factories.SubmittedBrandFactory(county=official_b.county)
    Brand.objects.filter(pk=earlier.pk).update(status_changed=later.status_changed.replace(year=2020))
    factories.DraftBrandFactory(county=official_a.county)
    factories.CultivatingBrandFactory(county=official_a.county)

    response = admin_client.get(QUEUE)

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [earlier, later]
    counts = {value: n for value, _, n in response.context["status_counts"]}
    assert counts[Status.SUBMITTED] == 2
    assert counts[Status.DRAFT] == 1
    assert counts[Status.CULTIVATING] == 1


def test_queue_filters_by_status_county_category_and_name(admin_client, official_a, official_b):
    domestic = factories.make_category("domestic")
    match = factories.CultivatingBrandFactory(
        name="金寨红嫂家政", county=official_a.county, category=domestic
    )
    factories.CultivatingBrandFactory(name="霍山红嫂家政", county=official_b.county, category=domestic)
    factories.CultivatingBrandFactory(name="金寨红嫂机械", county=official_a.county)
    factories.SubmittedBrandFactory(name="金寨红嫂月嫂", county=official_a.county, category=domestic)

    response = admin_client.get(
        QUEUE,
        {"status": Status.CULTIVATING, "county": official_a.county_id, "category": domestic.pk, "q": "红嫂"},
    )

    assert list(response.context["page_obj"]) == [match]


def test_queue_with_every_status_lists_all_brands(admin_client, official_a):
    for status in Status.values:
        factories.BrandFactory(status=status, county=official_a.county)

    response = admin_client.get(QUEUE, {"status": ""})

    assert response.context["page_obj"].paginator.count == len(Status.values)


@pytest.mark.parametrize(
    "params", [{"status": "bogus"}, {"county": "x"}, {"category": "999999"}, {"page": "9999"}]
)
def test_queue_with_nonsense_filters_still_answers(admin_client, official_a, params):
    factories.SubmittedBrandFactory(county=official_a.county)

    assert admin_client.get(QUEUE, params).status_code == 200


def test_queue_is_paginated_and_keeps_filters(admin_client, official_a):
    for _ in range(25):
        factories.SubmittedBrandFactory(county=official_a.county)

    first = admin_client.get(QUEUE, {"status": Status.SUBMITTED})
    second = admin_client.get(QUEUE, {"status": Status.SUBMITTED, "page": 2})

    assert len(first.context["page_obj"]) == 20
    assert len(second.context["page_obj"]) == 5
    assert "status=submitted&amp;page=2" in first.content.decode()


def test_queue_query_count_does_not_grow_with_brands(admin_client, official_a, official_b):
    for _ in range(3):
        factories.SubmittedBrandFactory(county=official_a.county)
    few = query_count(admin_client, QUEUE)
    for i in range(27):
        factories.SubmittedBrandFactory(county=(official_a, official_b)[i % 2].county)

    assert query_count(admin_client, QUEUE) == few


# --- Review detail --------------------------------------------------------------------------------------


def test_review_detail_shows_the_brand_history_and_decisions_allowed(admin_client, official_a):
    brand = factories.SubmittedBrandFactory(county=official_a.county, created_by=official_a)

    response = admin_client.get(reverse("brands:review_detail", args=[brand.pk]))

    assert response.status_code == 200
    assert response.context["allowed"] == {Status.CULTIVATING, Status.RETURNED, Status.REJECTED}
    content = response.content.decode()
    for decision in ("accept", "return", "reject"):
        assert reverse(f"brands:brand_{decision}", args=[brand.pk]) in content
    for decision in ("recognise", "retire"):
        assert reverse(f"brands:brand_{decision}", args=[brand.pk]) not in content


def test_review_detail_of_a_draft_offers_no_decision(admin_client, brand_a):
    response = admin_client.get(reverse("brands:review_detail", args=[brand_a.pk]))

    assert response.status_code == 200
    assert reverse("brands:brand_accept", args=[brand_a.pk]) not in response.content.decode()


def test_review_detail_of_a_missing_brand_is_404(admin_client):
    assert admin_client.get(reverse("brands:review_detail", args=[999999])).status_code == 404


def test_review_detail_shows_published_news_figure_against_its_criterion(
    admin_client, official_a, recognition_criteria
):
    RecognitionCriterion.objects.filter(metric=Metric.PUBLISHED_NEWS).update(threshold=2)
    brand = factories.CultivatingBrandFactory(county=official_a.county)
    factories.BrandNewsFactory.create_batch(3, brand=brand, published=True)
    factories.BrandNewsFactory(brand=brand)  # a draft does not count

    response = admin_client.get(reverse("brands:review_detail", args=[brand.pk]), HTTP_ACCEPT_LANGUAGE="en")

    rows = {row["criterion"].metric: row for row in response.context["criteria"]}
    assert (rows[Metric.PUBLISHED_NEWS]["figure"], rows[Metric.PUBLISHED_NEWS]["met"]) == (3, True)
    assert "Published brand news items" in response.content.decode()


def test_review_detail_lists_only_criteria_in_use(admin_client, official_a, recognition_criteria):
    RecognitionCriterion.objects.exclude(metric=Metric.PUBLISHED_NEWS).update(active=False)
    brand = factories.SubmittedBrandFactory(county=official_a.county)

    response = admin_client.get(reverse("brands:review_detail", args=[brand.pk]))

    assert [row["criterion"].metric for row in response.context["criteria"]] == [Metric.PUBLISHED_NEWS]


def test_unmet_criterion_is_marked_not_met(official_a, recognition_criteria):
    RecognitionCriterion.objects.filter(metric=Metric.PUBLISHED_NEWS).update(threshold=5)
    brand = factories.CultivatingBrandFactory(county=official_a.county)
    factories.BrandNewsFactory(brand=brand, published=True)

    rows = {row["criterion"].metric: row for row in figures.criteria_with_figures(brand)}

    assert (rows[Metric.PUBLISHED_NEWS]["figure"], rows[Metric.PUBLISHED_NEWS]["met"]) == (1, False)


# --- Decisions ------------------------------------------------------------------------------------------

DECISIONS = [
    (Status.SUBMITTED, "accept", Status.CULTIVATING, ""),
    (Status.SUBMITTED, "return", Status.RETURNED, "请补充服务规范。"),
    (Status.SUBMITTED, "reject", Status.REJECTED, "与已有品牌重复。"),
    (Status.CULTIVATING, "recognise", Status.RECOGNISED, "县里线下台账印证成效，予以认定。"),
    (Status.CULTIVATING, "retire", Status.RETIRED, "不再培育。"),
    (Status.RECOGNISED, "retire", Status.RETIRED, "品牌合并。"),
]


@pytest.mark.parametrize(("start", "decision", "end", "reason"), DECISIONS)
def test_decision_moves_the_brand_and_records_who(
    admin_client, city_admin, official_a, start, decision, end, reason
):
    brand = factories.BrandFactory(status=start, county=official_a.county, created_by=official_a)

    response = decide(admin_client, brand, decision, reason)

    assert response.status_code == 302
    assert response.url == reverse("brands:review_detail", args=[brand.pk])
    assert len(messages_of(response)) == 1
    brand.refresh_from_db()
    assert brand.status == end
    event = brand.events.get()
    assert (event.old_status, event.new_status, event.actor, event.reason) == (start, end, city_admin, reason)
    latest = brand.history.first()
    assert (latest.status, latest.history_user) == (end, city_admin)
    notification = Notification.objects.get()
    assert notification.recipient == official_a
    assert notification.url == reverse("brands:manage_detail", args=[brand.pk])


def test_recognising_a_brand_missing_criteria_without_a_reason_changes_nothing(
    admin_client, official_a, recognition_criteria
):
    brand = factories.CultivatingBrandFactory(county=official_a.county, created_by=official_a)

    page = admin_client.get(reverse("brands:review_detail", args=[brand.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Recognising it anyway needs the reason above" in page.content.decode()
    response = decide(admin_client, brand, "recognise", "", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    [message] = messages_of(response)
    assert "does not meet every recognition criterion" in message and "give the reason" in message
    brand.refresh_from_db()
    assert brand.status == Status.CULTIVATING
    assert not brand.events.exists()
    assert not Notification.objects.exists()


def test_a_recognition_by_exception_is_shown_in_the_history_and_on_the_brands_pages(
    admin_client, client, official_a, recognition_criteria
):
    RecognitionCriterion.objects.exclude(metric=Metric.PUBLISHED_NEWS).update(active=False)
    RecognitionCriterion.objects.filter(metric=Metric.PUBLISHED_NEWS).update(threshold=3)
    brand = factories.CultivatingBrandFactory(county=official_a.county, created_by=official_a)

    decide(admin_client, brand, "recognise", "县里线下台账印证成效，予以认定。")

    review = admin_client.get(reverse("brands:review_detail", args=[brand.pk]), HTTP_ACCEPT_LANGUAGE="en")
    public = client.get(reverse("brands:brand_detail", args=[brand.slug]), HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(official_a)
    manage = client.get(reverse("brands:manage_detail", args=[brand.pk]), HTTP_ACCEPT_LANGUAGE="en")
    for response in (review, public, manage):
        content = response.content.decode()
        assert "Recognised by the city as an exception" in content
        assert "Published brand news items: 0 (needs 3)" in content
        assert "县里线下台账印证成效，予以认定。" in content


def test_a_brand_meeting_every_criterion_is_recognised_without_a_reason_and_no_exception_shown(
    admin_client, client, official_a, recognition_criteria
):
    RecognitionCriterion.objects.exclude(metric=Metric.PUBLISHED_NEWS).update(active=False)
    RecognitionCriterion.objects.filter(metric=Metric.PUBLISHED_NEWS).update(threshold=1)
    brand = factories.CultivatingBrandFactory(county=official_a.county, created_by=official_a)
    factories.BrandNewsFactory(brand=brand, published=True)

    page = admin_client.get(reverse("brands:review_detail", args=[brand.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Recognising it anyway" not in page.content.decode()
    decide(admin_client, brand, "recognise", "")

    brand.refresh_from_db()
    assert brand.status == Status.RECOGNISED
    content = client.get(reverse("brands:brand_detail", args=[brand.slug]), HTTP_ACCEPT_LANGUAGE="en")
    assert "as an exception" not in content.content.decode()


@pytest.mark.parametrize("decision", ["return", "reject"])
def test_decision_without_a_needed_reason_changes_nothing(admin_client, official_a, decision):
    brand = factories.SubmittedBrandFactory(county=official_a.county)

    response = decide(admin_client, brand, decision, "  ", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert messages_of(response) == ["Please give a reason."]
    brand.refresh_from_db()
    assert brand.status == Status.SUBMITTED
    assert not brand.events.exists()
    assert not Notification.objects.exists()


def test_too_long_reason_is_refused(admin_client, official_a):
    brand = factories.SubmittedBrandFactory(county=official_a.county)

    response = decide(admin_client, brand, "return", "因" * 2001)

    assert response.status_code == 302
    assert len(messages_of(response)) == 1
    brand.refresh_from_db()
    assert brand.status == Status.SUBMITTED


def test_accepting_twice_tells_the_second_admin_it_is_too_late(admin_client, official_a, city_admin):
    brand = factories.SubmittedBrandFactory(county=official_a.county)
    decide(admin_client, brand, "accept")

    response = decide(admin_client, brand, "accept", HTTP_ACCEPT_LANGUAGE="en")

    assert messages_of(response)[-1] == (
        "A brand that is “Cultivation target” cannot become “Cultivation target”."
    )
    brand.refresh_from_db()
    assert brand.status == Status.CULTIVATING
    assert brand.events.count() == 1
    assert Notification.objects.count() == 1


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REJECTED, Status.RETIRED])
@pytest.mark.parametrize("decision", ["accept", "return", "reject", "recognise", "retire"])
def test_decision_the_status_does_not_allow_changes_nothing(admin_client, official_a, status, decision):
    brand = factories.BrandFactory(status=status, county=official_a.county)

    response = decide(admin_client, brand, decision, "理由")

    assert response.status_code == 302
    assert len(messages_of(response)) == 1
    brand.refresh_from_db()
    assert brand.status == status
    assert not brand.events.exists()


@pytest.mark.parametrize("decision", ["approve", "ACCEPT", "delete", "submit", "1"])
def test_unknown_decision_is_404(admin_client, official_a, decision):
    """Each decision has its own URL beside the review page; any other word there is not found."""
    brand = factories.SubmittedBrandFactory(county=official_a.county)
    path = f"{reverse('brands:review_detail', args=[brand.pk])}{decision}/"

    response = admin_client.post(path, {"reason": "理由"})

    assert response.status_code == 404
    brand.refresh_from_db()
    assert brand.status == Status.SUBMITTED


def test_decision_is_post_only(admin_client, official_a):
    brand = factories.SubmittedBrandFactory(county=official_a.county)

    assert admin_client.get(reverse("brands:brand_accept", args=[brand.pk])).status_code == 405


def test_decision_on_a_missing_brand_is_404(admin_client):
    assert admin_client.post(reverse("brands:brand_accept", args=[999999])).status_code == 404


# --- County overview ------------------------------------------------------------------------------------


def test_overview_flags_counties_without_an_established_brand(admin_client, official_a, official_b):
    factories.CultivatingBrandFactory(county=official_a.county)
    factories.SubmittedBrandFactory(county=official_b.county)

    response = admin_client.get(OVERVIEW)

    assert response.status_code == 200
    established = {c.code: c.established for c in response.context["counties"]}
    assert established[official_a.county.code] == 1
    assert established[official_b.county.code] == 0
    flagged = {c.code for c in response.context["without_established"]}
    assert flagged == set(County.objects.exclude(code=official_a.county.code).values_list("code", flat=True))


def test_overview_counts_recognised_but_not_retired_brands(admin_client, official_a):
    factories.RecognisedBrandFactory(county=official_a.county)
    factories.RetiredBrandFactory(county=official_a.county)

    response = admin_client.get(OVERVIEW)

    established = {c.code: c.established for c in response.context["counties"]}
    assert established[official_a.county.code] == 1


def test_overview_query_count_does_not_grow_with_brands(admin_client, official_a, official_b):
    for _ in range(3):
        factories.CultivatingBrandFactory(county=official_a.county)
    few = query_count(admin_client, OVERVIEW)
    for i in range(27):
        factories.BrandFactory(
            county=(official_a, official_b)[i % 2].county, status=Status.values[i % len(Status.values)]
        )

    assert query_count(admin_client, OVERVIEW) == few


# --- Recognition criteria -------------------------------------------------------------------------------


def criteria_post(criteria, thresholds=None, inactive=()):
    thresholds = thresholds or {}
    data = {
        "form-TOTAL_FORMS": str(len(criteria)),
        "form-INITIAL_FORMS": str(len(criteria)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, criterion in enumerate(criteria):
        data[f"form-{i}-id"] = str(criterion.pk)
        data[f"form-{i}-threshold"] = str(thresholds.get(criterion.metric, criterion.threshold))
        if criterion.metric not in inactive:
            data[f"form-{i}-active"] = "on"
    return data


def test_criteria_page_lists_every_criterion(admin_client, recognition_criteria):
    response = admin_client.get(CRITERIA)

    assert response.status_code == 200
    assert [f.instance for f in response.context["formset"].forms] == recognition_criteria


def test_city_admin_edits_thresholds_and_use(admin_client, city_admin, recognition_criteria):
    response = admin_client.post(
        CRITERIA,
        criteria_post(
            recognition_criteria,
            thresholds={Metric.PUBLISHED_NEWS: 12, Metric.PLACEMENTS: 1},
            inactive={Metric.CERTIFICATE_RATE},
        ),
    )

    assert response.status_code == 302, response.context["formset"].errors
    assert response.url == CRITERIA
    values = {c.metric: (c.threshold, c.active) for c in RecognitionCriterion.objects.all()}
    assert values[Metric.PUBLISHED_NEWS] == (12, True)
    assert values[Metric.PLACEMENTS] == (1, True)
    assert values[Metric.CERTIFICATE_RATE][1] is False
    news = RecognitionCriterion.objects.get(metric=Metric.PUBLISHED_NEWS)
    assert news.history.first().history_user == city_admin


@pytest.mark.parametrize(
    ("value", "code"),
    [("-5", "min_value"), ("0", "min_value"), ("ten", "invalid"), ("", "required"), ("1.5", "invalid")],
)
def test_bad_threshold_is_refused_and_nothing_saved(admin_client, recognition_criteria, value, code):
    before = {c.metric: (c.threshold, c.active) for c in RecognitionCriterion.objects.all()}

    response = admin_client.post(
        CRITERIA,
        criteria_post(recognition_criteria, thresholds={Metric.PUBLISHED_NEWS: value, Metric.PLACEMENTS: 1}),
    )

    assert response.status_code == 200
    (form,) = [f for f in response.context["formset"].forms if f.instance.metric == Metric.PUBLISHED_NEWS]
    assert form.has_error("threshold", code)
    assert "is-invalid" in response.content.decode()
    assert {c.metric: (c.threshold, c.active) for c in RecognitionCriterion.objects.all()} == before


def test_criteria_form_cannot_add_or_target_unknown_rows(admin_client, recognition_criteria):
    data = criteria_post(recognition_criteria)
    data["form-0-id"] = "999999"

    response = admin_client.post(CRITERIA, data)

    assert response.status_code == 200
    assert RecognitionCriterion.objects.count() == len(recognition_criteria)


def test_broken_management_form_is_not_a_500(admin_client, recognition_criteria):
    response = admin_client.post(CRITERIA, {"form-0-threshold": "3"})

    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()


def test_extra_forms_in_a_crafted_post_add_no_criterion(admin_client, recognition_criteria):
    data = criteria_post(recognition_criteria)
    n = len(recognition_criteria)
    data.update({"form-TOTAL_FORMS": str(n + 1), f"form-{n}-threshold": "7", f"form-{n}-active": "on"})

    for _ in range(2):  # a second time would hit the unique metric, were the first one saved
        response = admin_client.post(CRITERIA, data)
        assert response.status_code in {200, 302}

    assert sorted(RecognitionCriterion.objects.values_list("metric", flat=True)) == sorted(
        c.metric for c in recognition_criteria
    )
