"""County officials maintain their brands' standards through the pages: adding (with the dimension
preselected), updating, deleting and moving them; bad input changes nothing."""

import pytest
from django.urls import reverse

from brands.models import BrandStandard
from tests import factories
from tests.brands.views_official_helpers import Dimension

pytestmark = pytest.mark.django_db

Measure = BrandStandard.Measure


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
