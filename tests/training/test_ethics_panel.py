"""The workbench's ethics-sessions panel: city admins and county officials see the registry's
`ethics_sessions` for the year to date in city time (the city, or the county: its sessions and those of its
institutions) with its definition; an institution's staff its own sessions. Sessions later this year are
counted apart as planned."""

import datetime

import pytest
from django.utils import timezone

from laborbrand.metrics import Period, Scope, figure
from tests import factories
from tests.workbench import open_workbench, panel_context, panel_html
from tests.year_to_date import NEW_YEAR, definition_shown, new_year_morning, period_shown  # noqa: F401

pytestmark = pytest.mark.django_db

ETHICS = "training/panels/_ethics_sessions.html"


def held(context) -> int:
    return context["held"]


@pytest.fixture
def sessions(official_a, official_b):
    """This year: the city bureau's, one of 金寨县, one of an institution of 金寨县, one of 霍山县; and one of
    金寨县 last year."""
    today = timezone.localdate()
    this_year = max(today - datetime.timedelta(days=1), datetime.date(today.year, 1, 1))
    institution = factories.InstitutionFactory(county=official_a.county)
    factories.EthicsSessionFactory(held_on=this_year, county=None)
    factories.EthicsSessionFactory(held_on=this_year, county=official_a.county)
    factories.EthicsSessionFactory(held_on=this_year, institution=institution)
    factories.EthicsSessionFactory(held_on=this_year, county=official_b.county)
    factories.EthicsSessionFactory(held_on=datetime.date(today.year - 1, 12, 31), county=official_a.county)


@pytest.mark.parametrize(
    ("persona", "scope", "expected"),
    [("city_admin", lambda user: Scope.city(), 4), ("official_a", lambda user: Scope.county(user.county), 2)],
)
def test_officials_see_the_registrys_figure_with_its_definition(
    client, request, sessions, persona, scope, expected
):
    user = request.getfixturevalue(persona)

    response = open_workbench(client, user, HTTP_ACCEPT_LANGUAGE="en")

    context = panel_context(response, ETHICS)
    assert held(context) == figure("ethics_sessions", scope(user), Period.year_to_date()).value == expected
    html = panel_html(response, "panel-ethics")
    assert definition_shown("ethics_sessions") in html
    assert period_shown(timezone.localdate().year) in html


def test_institution_staff_see_their_own_sessions_without_a_registry_definition(client, institution_staff):
    institution = institution_staff.institutions.get()
    factories.EthicsSessionFactory(held_on=timezone.localdate(), institution=institution)
    factories.EthicsSessionFactory(held_on=timezone.localdate())  # a county's

    response = open_workbench(client, institution_staff, HTTP_ACCEPT_LANGUAGE="en")

    assert held(panel_context(response, ETHICS)) == 1
    assert definition_shown("ethics_sessions") not in panel_html(response, "panel-ethics")


@pytest.mark.parametrize(
    ("day", "counted"), [(datetime.date(NEW_YEAR, 1, 1), 1), (datetime.date(NEW_YEAR - 1, 12, 31), 0)]
)
@pytest.mark.usefixtures("new_year_morning")
def test_the_panels_year_starts_on_1_january_city_time(client, city_admin, day, counted):
    factories.EthicsSessionFactory(held_on=day, county=None)

    context = panel_context(open_workbench(client, city_admin, HTTP_ACCEPT_LANGUAGE="en"), ETHICS)

    new_year = Period(datetime.date(NEW_YEAR, 1, 1), datetime.date(NEW_YEAR, 1, 1))
    assert held(context) == figure("ethics_sessions", Scope.city(), new_year).value == counted
    assert context["period_label"] == period_shown(NEW_YEAR)
