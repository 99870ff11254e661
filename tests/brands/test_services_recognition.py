"""Recognising a brand through the services: by the recognition criteria in use, or, when it misses one,
as an exception with a written reason naming each missed criterion and its figure."""

import pytest
from django.utils import translation

from brands import services
from brands.models import RecognitionCriterion
from brands.services import InvalidTransition
from laborbrand.accounts.models import Notification
from tests import factories
from tests.brands.services_helpers import Status

pytestmark = pytest.mark.django_db


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
