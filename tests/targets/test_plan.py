"""City admins set the year's targets, the counties' shares and the deadlines; every change is kept in history
and readable by the city's readers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from laborbrand import metrics
from laborbrand.reference.models import County, ProgrammeYear, deadlines
from targets import services
from targets.defaults import DEFAULT_TARGETS
from targets.forms import PlanForm
from targets.models import Target
from targets.plan import targets_for
from tests import factories

pytestmark = pytest.mark.django_db

YEAR = 2026
PLAN = reverse("targets:plan", args=[YEAR])
HISTORY = reverse("targets:plan_history", args=[YEAR])


def form_data(**overrides) -> dict:
    """What the page posts back unchanged (every input as prefilled), with `overrides` on top."""
    form = PlanForm(
        plan=targets_for(YEAR), counties=list(County.objects.order_by("code")), programme_year=deadlines(YEAR)
    )
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = value.isoformat() if isinstance(value, datetime.date) else (value or "")
    data.update(overrides)
    return data


def history_rows() -> int:
    return Target.history.count() + ProgrammeYear.history.count()


@pytest.fixture
def admin_client(client, city_admin):
    client.force_login(city_admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the tests read the English source strings
    return client


@pytest.fixture
def jinzhai():
    return factories.make_county("341524")


# --- Who may open the pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "plan_status", "history_status"),
    [
        ("city_admin", 200, 200),
        ("leading_member", 403, 200),
        ("official_a", 403, 404),
        ("institution_staff", 403, 403),
        ("employer", 403, 403),
        ("worker", 403, 403),
    ],
)
def test_who_may_open_the_plan_and_its_history(client, request, persona, plan_status, history_status):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(PLAN).status_code == plan_status
    assert client.get(HISTORY).status_code == history_status


def test_anonymous_visitor_is_sent_to_login(client):
    for url in (PLAN, HISTORY):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response.url


@pytest.mark.parametrize("year", [1999, 2101, 0, 99999])
def test_year_outside_2000_to_2100_is_404(admin_client, year):
    assert admin_client.get(reverse("targets:plan", args=[year])).status_code == 404
    assert admin_client.get(reverse("targets:plan_history", args=[year])).status_code == 404


@pytest.mark.parametrize("persona", ["leading_member", "official_a", "worker"])
def test_only_city_admins_can_save(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    before = history_rows()

    response = client.post(PLAN, {"city-trainee_times": "1"})

    assert response.status_code == 403
    assert history_rows() == before
    assert not Target.objects.exists()


# --- The page -------------------------------------------------------------------------------------------


def test_page_shows_every_metric_prefilled_with_the_defaults(admin_client):
    response = admin_client.get(PLAN)

    rows = response.context["rows"]
    assert [row.metric.key for row in rows] == [metric.key for metric in metrics.defined()]
    by_key = {row.metric.key: row for row in rows}
    assert by_key["trainee_times"].city.value() == "15000"
    assert by_key["pass_rate"].city.value() == "95"
    assert all(row.city_is_default for row in rows)
    content = response.content.decode()
    assert by_key["trainee_times"].city.field.label in content
    assert "<caption>" in content
    assert "table-responsive" in content


def test_every_input_is_labelled_with_its_county_and_metric(admin_client, jinzhai):
    response = admin_client.get(PLAN)

    form = response.context["form"]
    label = form.fields[f"county-trainee_times-{jinzhai.pk}"].widget.attrs["aria-label"]
    assert label.startswith(f"{jinzhai.name} — ")
    assert f'aria-label="{label}"' in response.content.decode()
    unlabelled = [
        field.name
        for field in form
        if field.name.startswith(("city-", "county-")) and not field.field.widget.attrs.get("aria-label")
    ]
    assert unlabelled == []


def test_page_marks_a_set_target_and_sums_county_shares(admin_client, city_admin, jinzhai):
    Target.objects.create(year=YEAR, metric="trainee_times", value=20000)
    Target.objects.create(year=YEAR, metric="trainee_times", county=jinzhai, value=4000)

    response = admin_client.get(PLAN)

    row = next(r for r in response.context["rows"] if r.metric.key == "trainee_times")
    assert not row.city_is_default
    assert row.city.value() == "20000"
    assert row.share_total == 4000
    assert not row.shares_match
    assert "4000 of 20000" in response.content.decode()


# --- Saving ---------------------------------------------------------------------------------------------


def test_saving_unchanged_form_writes_nothing(admin_client):
    before = history_rows()

    response = admin_client.post(PLAN, form_data())

    assert response.status_code == 302
    assert history_rows() == before
    assert not Target.objects.exists()
    assert not ProgrammeYear.objects.filter(year=YEAR).exists()


def test_city_admin_sets_a_target_a_county_share_and_the_deadlines(admin_client, city_admin, jinzhai):
    data = form_data(
        **{
            "city-trainee_times": "18000",
            f"county-trainee_times-{jinzhai.pk}": "3000",
            f"county-pass_rate-{jinzhai.pk}": "97.5",
            "selection_deadline": f"{YEAR}-05-20",
            "filing_deadline": f"{YEAR}-07-15",
        }
    )

    response = admin_client.post(PLAN, data)

    assert response.status_code == 302
    assert response.url == PLAN
    city = Target.objects.get(year=YEAR, metric="trainee_times", county=None)
    assert city.value == 18000
    assert city.updated_by == city_admin
    assert city.history.get().history_user == city_admin
    assert Target.objects.get(metric="trainee_times", county=jinzhai).value == 3000
    plan = targets_for(YEAR)
    assert plan.get("pass_rate", metrics.Scope.county(jinzhai)) == Decimal("97.5")
    assert Target.objects.count() == 3
    year = deadlines(YEAR)
    assert (year.selection_deadline, year.filing_deadline) == (
        datetime.date(YEAR, 5, 20),
        datetime.date(YEAR, 7, 15),
    )
    assert year.history.get().history_user == city_admin


def test_saving_the_same_values_again_writes_no_history(admin_client):
    admin_client.post(
        PLAN, form_data(**{"city-trainee_times": "18000", "selection_deadline": f"{YEAR}-05-20"})
    )
    before = history_rows()

    admin_client.post(PLAN, form_data())

    assert history_rows() == before


def test_a_cleared_target_returns_to_the_default(admin_client, jinzhai):
    admin_client.post(
        PLAN,
        form_data(
            **{
                "city-trainee_times": "18000",
                f"county-trainee_times-{jinzhai.pk}": "3000",
                "selection_deadline": f"{YEAR}-05-20",
            }
        ),
    )

    admin_client.post(
        PLAN,
        form_data(
            **{
                "city-trainee_times": "",
                f"county-trainee_times-{jinzhai.pk}": "",
                "selection_deadline": "",
            }
        ),
    )

    plan = targets_for(YEAR)
    assert plan.get("trainee_times", metrics.Scope.city()) == DEFAULT_TARGETS["trainee_times"]
    assert plan.get("trainee_times", metrics.Scope.county(jinzhai)) is None  # no share
    assert not Target.objects.exists()
    assert deadlines(YEAR).selection_deadline == datetime.date(YEAR, 5, 31)
    assert Target.history.filter(history_type="-").count() == 2


def test_other_years_are_untouched(admin_client):
    admin_client.post(PLAN, form_data(**{"city-trainee_times": "18000"}))

    assert (
        targets_for(YEAR + 1).get("trainee_times", metrics.Scope.city()) == DEFAULT_TARGETS["trainee_times"]
    )


BAD_INPUT = {
    "negative count": ("city-trainee_times", "-1", "negative"),
    "negative rate": ("city-pass_rate", "-0.5", "negative"),
    "rate above 100": ("city-pass_rate", "100.1", "above_100"),
    "fractional count": ("city-trainee_times", "12.5", "not_whole"),
    "not a number": ("city-trainee_times", "many", "invalid"),
    "too many digits": ("city-trainee_times", "100000000", "too_large"),
    "infinity": ("city-trainee_times", "Infinity", "invalid"),
    "selection deadline in another year": ("selection_deadline", "2025-05-31", "outside_year"),
    "filing deadline in another year": ("filing_deadline", "2027-06-30", "outside_year"),
    "not a date": ("filing_deadline", "2026-02-30", "invalid"),
}


@pytest.mark.parametrize(("name", "value", "code"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(admin_client, jinzhai, name, value, code):
    before = history_rows()
    # A good change in the same submission is not saved either.
    data = form_data(**{f"county-trainee_times-{jinzhai.pk}": "3000", name: value})

    response = admin_client.post(PLAN, data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error(name, code), form.errors.as_data()
    assert "is-invalid" in response.content.decode()
    assert history_rows() == before
    assert not Target.objects.exists()


@pytest.mark.parametrize(("value", "stored"), [("0", 0), ("100", 100), ("99.9", Decimal("99.9"))])
def test_rate_boundaries_are_accepted(admin_client, value, stored):
    response = admin_client.post(PLAN, form_data(**{"city-pass_rate": value}))

    assert response.status_code == 302
    assert Target.objects.get(metric="pass_rate").value == stored


def test_refused_messages_are_shown_beside_their_inputs_and_above_the_table(admin_client):
    response = admin_client.post(PLAN, form_data(**{"city-trainee_times": "-1", "city-pass_rate": "120"}))

    content = response.content.decode()
    errors = response.context["form"].errors
    for name in ("city-trainee_times", "city-pass_rate"):
        (message,) = errors[name]
        assert content.count(str(message)) == 2  # in the list above the table and under the input
        assert f'id="id_{name}-error"' in content
        assert f'aria-describedby="id_{name}-error"' in content


def test_history_shows_a_cleared_county_rate_as_the_city_rate(admin_client, jinzhai):
    admin_client.post(PLAN, form_data(**{f"county-pass_rate-{jinzhai.pk}": "90"}))
    admin_client.post(PLAN, form_data(**{f"county-pass_rate-{jinzhai.pk}": ""}))

    changes = list(admin_client.get(HISTORY).context["page_obj"])

    assert [(c.scope, c.old, c.new) for c in changes] == [
        (jinzhai.name, "90", "Default (95)"),
        (jinzhai.name, "Default (95)", "90"),
    ]


def test_service_returns_number_of_changes(city_admin):
    changed = services.plan_save(
        year=YEAR,
        targets={("trainee_times", None): Decimal(1), ("pass_rate", None): DEFAULT_TARGETS["pass_rate"]},
        selection_deadline=None,
        filing_deadline=None,
        user=city_admin,
    )

    assert changed == 1


# --- History -------------------------------------------------------------------------------------------


def test_history_shows_who_what_old_and_new_newest_first(admin_client, city_admin, jinzhai, leading_member):
    admin_client.post(PLAN, form_data(**{"city-trainee_times": "18000"}))
    admin_client.post(
        PLAN, form_data(**{"city-trainee_times": "19000", "selection_deadline": f"{YEAR}-05-20"})
    )
    admin_client.post(PLAN, form_data(**{"city-trainee_times": ""}))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(leading_member)

    response = client.get(HISTORY)

    changes = list(response.context["page_obj"])
    name = str(metrics.get("trainee_times").name)
    target_changes = [(c.what, c.old, c.new) for c in changes if c.what == name]
    assert [(old, new) for _what, old, new in target_changes] == [
        ("19000", "Default (15000)"),
        ("18000", "19000"),
        ("Default (15000)", "18000"),
    ]
    assert {c.who for c in changes} == {city_admin.display_name}
    deadline = [c for c in changes if c.what not in {name}]
    assert [(c.old, c.new) for c in deadline] == [(f"{YEAR}-05-31", f"{YEAR}-05-20")]
    assert "Set targets" not in response.content.decode()  # the leading group gets no edit link


def test_history_of_another_year_is_separate(admin_client):
    admin_client.post(PLAN, form_data(**{"city-trainee_times": "18000"}))

    response = admin_client.get(reverse("targets:plan_history", args=[YEAR + 1]))

    assert list(response.context["page_obj"]) == []


def test_history_is_paginated(admin_client, city_admin):
    for value in range(1, 30):
        services.plan_save(
            year=YEAR,
            targets={("trainee_times", None): Decimal(value)},
            selection_deadline=None,
            filing_deadline=None,
            user=city_admin,
        )

    first = admin_client.get(HISTORY)
    second = admin_client.get(HISTORY, {"page": "2"})

    assert first.context["page_obj"].paginator.count == 29
    assert first.context["page_obj"][0].new == "29"
    assert second.status_code == 200
    assert admin_client.get(HISTORY, {"page": "x"}).status_code == 200


# --- Two admins at once ---------------------------------------------------------------------------------


SIMULTANEOUS = {
    "the same new target": (
        {"city-trainee_times": "18000"},
        {"city-trainee_times": "19000"},
        lambda: Target.history.count(),
    ),
    "the year's first deadlines": (
        {"selection_deadline": f"{YEAR}-05-20"},
        {"filing_deadline": f"{YEAR}-07-15"},
        lambda: ProgrammeYear.history.count(),
    ),
}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
@pytest.mark.parametrize(("first", "second", "rows"), SIMULTANEOUS.values(), ids=SIMULTANEOUS.keys())
def test_two_admins_saving_at_once_never_500(committed_db, first, second, rows):
    from tests.test_simultaneous_submissions import post_together

    clients = []
    for admin in [factories.CityAdminFactory(), factories.CityAdminFactory()]:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(admin)
        clients.append(client)
    posted = [form_data(**first), form_data(**second)]

    responses = post_together(
        (services, "plan_save"), [(c, PLAN, d) for c, d in zip(clients, posted, strict=True)]
    )

    assert sorted(r.status_code for r in responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200)
    assert refused.context["form"].non_field_errors()
    assert "Someone else saved" in refused.content.decode()
    assert rows() == 1  # the refused submission saved nothing


def test_the_page_query_count_does_not_grow_with_the_targets(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as few:
        admin_client.get(PLAN)
    for county in County.objects.all():
        for metric in metrics.defined():
            Target.objects.create(year=YEAR, metric=metric.key, county=county, value=1)

    with django_assert_max_num_queries(20) as many:
        admin_client.get(PLAN)

    assert len(many.captured_queries) == len(few.captured_queries)
