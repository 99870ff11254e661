"""The apprenticeship pages through the test client: employer or institution staff record an apprentice with
the other party, either party marks it completed or ended early, each sees only their own; the city admin
sees all and changes none; workers and officials cannot reach the pages. Refusals are form errors or
messages with nothing saved, never a 500; the list runs a fixed number of queries."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs.models import Apprenticeship
from tests import factories

pytestmark = pytest.mark.django_db

Status = Apprenticeship.Status
TODAY = timezone.localdate()


def url(name, *args):
    return reverse(f"jobs:{name}", args=args)


def logged_in(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def company(employer):
    company = employer.employers.get()
    company.verified_at = timezone.now()
    company.save(update_fields=["verified_at"])
    return company


@pytest.fixture
def school(qualified_institution_a):
    qualified_institution_a.occupations.add(*factories.make_occupations(1))
    return qualified_institution_a


@pytest.fixture
def employer_b(db):
    user = factories.EmployerStaffFactory(username="employer_b")
    factories.EmployerFactory(staff=[user], verified_at=timezone.now())
    return user


def apprenticeship_post(partner, occupation, worker_number, **overrides):
    data = {
        "identifier": worker_number,
        "partner": partner.pk,
        "occupation": occupation.pk,
        "target_level": factories.make_level(3).pk,
        "start_date": TODAY.isoformat(),
        "end_date": (TODAY + datetime.timedelta(days=365)).isoformat(),
    }
    data.update(overrides)
    return data


# --- Recording ------------------------------------------------------------------------------------------


def test_employer_staff_record_an_apprentice_with_a_qualified_institution(
    client, employer, company, school, worker
):
    logged_in(client, employer)
    page = client.get(url("apprenticeship_create"))
    assert page.status_code == 200
    assert school.name in page.content.decode()

    response = client.post(
        url("apprenticeship_create"), apprenticeship_post(school, school.occupations.get(), worker.phone)
    )
    assert response.status_code == 302
    assert response.url == url("apprenticeship_list")
    apprenticeship = Apprenticeship.objects.get()
    assert (apprenticeship.employer, apprenticeship.institution, apprenticeship.worker) == (
        company,
        school,
        worker,
    )
    assert (apprenticeship.status, apprenticeship.created_by) == (Status.ACTIVE, employer)
    assert ("success", f"Apprenticeship of {worker.display_name} recorded.") in messages_of(response)
    assert apprenticeship.history.get().history_user == employer


def test_institution_staff_record_an_apprentice_with_a_verified_employer(
    client, institution_staff, company, school, worker
):
    unverified = factories.EmployerFactory(name="未审核机械厂")
    logged_in(client, institution_staff)
    page = client.get(url("apprenticeship_create")).content.decode()
    assert company.name in page
    assert unverified.name not in page

    response = client.post(
        url("apprenticeship_create"), apprenticeship_post(company, school.occupations.get(), worker.id_number)
    )
    assert response.status_code == 302
    apprenticeship = Apprenticeship.objects.get()
    assert (apprenticeship.employer, apprenticeship.institution, apprenticeship.created_by) == (
        company,
        school,
        institution_staff,
    )


def test_an_institution_cannot_pick_an_unverified_employer(
    client, institution_staff, school, company, worker
):
    unverified = factories.EmployerFactory()
    logged_in(client, institution_staff)
    response = client.post(
        url("apprenticeship_create"), apprenticeship_post(unverified, school.occupations.get(), worker.phone)
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("partner", "invalid_choice")
    assert not Apprenticeship.objects.exists()


@pytest.mark.parametrize("refused", [False, True])
def test_an_unverified_employer_gets_the_reason_instead_of_the_form(
    client, employer, school, worker, refused
):
    if refused:
        employer.employers.update(rejection_reason="营业执照照片不清晰。")
    logged_in(client, employer)
    response = client.get(url("apprenticeship_create"))
    assert response.status_code == 200
    assert "form" not in response.context
    content = response.content.decode()
    assert "Apprenticeships are recorded by verified employers." in content
    assert ("营业执照照片不清晰。" in content) is refused
    assert url("employer_edit") in content
    listing = client.get(url("apprenticeship_list")).content.decode()
    assert "Apprenticeships are recorded by verified employers." in listing
    assert url("apprenticeship_create") not in listing
    response = client.post(
        url("apprenticeship_create"), apprenticeship_post(school, school.occupations.get(), worker.phone)
    )
    assert response.status_code == 403
    assert not Apprenticeship.objects.exists()


def test_with_no_qualified_institution_an_employer_is_told_instead_of_a_form(client, employer, company):
    logged_in(client, employer)
    response = client.get(url("apprenticeship_create"))
    assert "form" not in response.context
    assert "No training institution is qualified" in response.content.decode()


def test_with_no_verified_employer_an_institution_is_told_instead_of_a_form(
    client, institution_staff, school
):
    logged_in(client, institution_staff)
    response = client.get(url("apprenticeship_create"))
    assert "form" not in response.context
    assert "No employer is verified yet" in response.content.decode()


def test_an_unqualified_institution_is_not_offered(
    client, employer, company, school, institution_b_staff, worker
):
    registered = institution_b_staff.institutions.get()
    registered.occupations.add(*factories.make_occupations(1))
    logged_in(client, employer)
    assert registered.name not in client.get(url("apprenticeship_create")).content.decode()
    response = client.post(
        url("apprenticeship_create"),
        apprenticeship_post(registered, registered.occupations.get(), worker.phone),
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("partner", "invalid_choice")
    assert not Apprenticeship.objects.exists()


def test_an_unqualified_institutions_staff_get_the_reason(
    client, institution_staff, institution_a, company, worker
):
    institution_a.occupations.add(*factories.make_occupations(1))
    logged_in(client, institution_staff)
    assert "form" not in client.get(url("apprenticeship_create")).context
    response = client.post(
        url("apprenticeship_create"),
        apprenticeship_post(company, institution_a.occupations.get(), worker.phone),
    )
    assert response.status_code == 403
    assert "is not qualified (准入) yet" in response.content.decode()
    assert reverse("training:application_create") in response.content.decode()
    assert not Apprenticeship.objects.exists()


def test_an_occupation_the_institution_is_not_admitted_for_is_refused(
    client, employer, company, school, worker
):
    other = factories.make_occupations(3)[-1]
    logged_in(client, employer)
    response = client.post(url("apprenticeship_create"), apprenticeship_post(school, other, worker.phone))
    assert response.status_code == 200
    assert f"{school.name} is not admitted to train {other}." in response.content.decode()
    assert not Apprenticeship.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"end_date": TODAY.isoformat()}, "end_date", "order"),
        ({"end_date": (TODAY - datetime.timedelta(days=10)).isoformat()}, "end_date", "order"),
        ({"identifier": "13800000000"}, "identifier", "not_found"),
        ({"identifier": ""}, "identifier", "required"),
        ({"start_date": "soon"}, "start_date", "invalid"),
        ({"target_level": "999"}, "target_level", "invalid_choice"),
    ],
)
def test_bad_input_gives_form_errors_and_saves_nothing(
    client, employer, company, school, worker, overrides, field, code
):
    logged_in(client, employer)
    response = client.post(
        url("apprenticeship_create"),
        apprenticeship_post(school, school.occupations.get(), worker.phone, **overrides),
    )
    assert response.status_code == 200
    assert response.context["form"].has_error(field, code)
    assert not Apprenticeship.objects.exists()


def test_a_second_apprenticeship_in_progress_is_refused(client, employer, employer_b, school, worker):
    factories.ApprenticeshipFactory(employer=employer_b.employers.get(), institution=school, worker=worker)
    logged_in(client, employer)
    employer.employers.update(verified_at=timezone.now())
    response = client.post(
        url("apprenticeship_create"), apprenticeship_post(school, school.occupations.get(), worker.phone)
    )
    assert response.status_code == 200
    assert f"{worker.display_name} already has an apprenticeship in progress." in response.content.decode()
    assert Apprenticeship.objects.count() == 1


def test_staff_without_an_organisation_are_told_to_contact_the_city(client):
    for user in (factories.EmployerStaffFactory(), factories.InstitutionStaffFactory()):
        logged_in(client, user)
        response = client.get(url("apprenticeship_create"))
        assert response.status_code == 200
        assert "Please contact the city bureau." in response.content.decode()


# --- Completing and ending ------------------------------------------------------------------------------


# Completing and ending, each by its own URL (and confirmed on a page of its own first).
STATUS_URLS = {Status.COMPLETED: "apprenticeship_complete", Status.ENDED: "apprenticeship_end"}


@pytest.fixture
def apprenticeship(company, school, worker):
    return factories.ApprenticeshipFactory(employer=company, institution=school, worker=worker)


@pytest.mark.parametrize("persona", ["employer", "institution_staff"])
@pytest.mark.parametrize("to", [Status.COMPLETED, Status.ENDED])
def test_either_party_marks_it_completed_or_ended(client, request, apprenticeship, worker, persona, to):
    logged_in(client, request.getfixturevalue(persona))
    response = client.post(url(STATUS_URLS[to], apprenticeship.pk))
    assert response.status_code == 302
    assert response.url == url("apprenticeship_list")
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == to
    assert messages_of(response)[-1][0] == "success"
    assert apprenticeship.history.latest("history_date").history_user == request.getfixturevalue(persona)


def test_a_finished_apprenticeship_cannot_change_again(client, employer, apprenticeship):
    logged_in(client, employer)
    client.post(url("apprenticeship_complete", apprenticeship.pk))
    response = client.post(url("apprenticeship_end", apprenticeship.pk))
    assert response.status_code == 302
    assert messages_of(response)[-1][0] == "error"
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == Status.COMPLETED
    listing = client.get(url("apprenticeship_list")).content.decode()
    assert url("apprenticeship_end", apprenticeship.pk) not in listing


@pytest.mark.parametrize("path", ["pause/", "paused/", "active/", "status/ended/"])
def test_an_unknown_status_is_404(client, employer, apprenticeship, path):
    logged_in(client, employer)
    base = url("apprenticeship_end", apprenticeship.pk).removesuffix("end/")
    assert client.post(base + path).status_code == 404
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == Status.ACTIVE


@pytest.mark.parametrize("name", STATUS_URLS.values())
def test_a_status_change_needs_post(client, employer, apprenticeship, name):
    logged_in(client, employer)
    assert client.get(url(name, apprenticeship.pk)).status_code == 405


@pytest.mark.parametrize("persona", ["employer_b", "institution_b_staff"])
def test_another_party_gets_404(client, request, apprenticeship, persona):
    logged_in(client, request.getfixturevalue(persona))
    for name in STATUS_URLS.values():
        assert client.post(url(name, apprenticeship.pk)).status_code == 404
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == Status.ACTIVE


@pytest.mark.parametrize("persona", ["city_admin", "official_a", "worker"])
def test_others_cannot_change_it(client, request, apprenticeship, persona):
    logged_in(client, request.getfixturevalue(persona))
    assert client.post(url("apprenticeship_end", apprenticeship.pk)).status_code == 403
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == Status.ACTIVE


# --- The list -------------------------------------------------------------------------------------------


@pytest.fixture
def apprenticeships(company, school, employer_b, institution_b_staff):
    institution_b = institution_b_staff.institutions.get()
    institution_b.status = institution_b.Status.QUALIFIED
    institution_b.qualified_until = factories._qualified_until()
    institution_b.save()
    institution_b.occupations.add(*factories.make_occupations(1))
    company_b = employer_b.employers.get()

    def make(employer, institution, name):
        return factories.ApprenticeshipFactory(
            employer=employer, institution=institution, worker=factories.WorkerFactory(real_name=name)
        )

    return {
        "a_a": make(company, school, "甲企甲校学徒"),
        "a_b": make(company, institution_b, "甲企乙校学徒"),
        "b_a": make(company_b, school, "乙企甲校学徒"),
        "b_b": make(company_b, institution_b, "乙企乙校学徒"),
    }


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("employer", {"a_a", "a_b"}),
        ("employer_b", {"b_a", "b_b"}),
        ("institution_staff", {"a_a", "b_a"}),
        ("institution_b_staff", {"a_b", "b_b"}),
        ("city_admin", {"a_a", "a_b", "b_a", "b_b"}),
    ],
)
def test_each_party_lists_only_its_own(client, request, apprenticeships, persona, visible):
    logged_in(client, request.getfixturevalue(persona))
    response = client.get(url("apprenticeship_list"))
    assert response.status_code == 200
    assert set(response.context["page_obj"].object_list) == {apprenticeships[k] for k in visible}
    content = response.content.decode()
    for key, apprenticeship in apprenticeships.items():
        assert (apprenticeship.worker.real_name in content) is (key in visible), key
        assert apprenticeship.worker.id_number not in content
        assert apprenticeship.worker.phone not in content
        shows_actions = url("apprenticeship_end_confirm", apprenticeship.pk) in content
        assert shows_actions is (key in visible and persona != "city_admin"), key
        # Ending or completing is confirmed on its own page, never one tap on the list.
        for name in STATUS_URLS.values():
            assert f'action="{url(name, apprenticeship.pk)}"' not in content


@pytest.mark.parametrize("persona", ["worker", "official_a"])
def test_workers_and_officials_cannot_reach_the_pages(client, request, apprenticeships, persona):
    logged_in(client, request.getfixturevalue(persona))
    assert client.get(url("apprenticeship_list")).status_code == 403
    assert client.get(url("apprenticeship_create")).status_code == 403


def test_the_city_admin_records_none(client, city_admin):
    logged_in(client, city_admin)
    assert client.get(url("apprenticeship_create")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, apprenticeship):
    for method, path in (
        ("get", url("apprenticeship_list")),
        ("get", url("apprenticeship_create")),
        ("post", url("apprenticeship_end", apprenticeship.pk)),
    ):
        response = getattr(client, method)(path)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def query_count(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("persona", ["employer", "institution_staff", "city_admin"])
def test_the_list_runs_a_fixed_number_of_queries(client, request, company, school, persona):
    logged_in(client, request.getfixturevalue(persona))

    def add(n):
        factories.ApprenticeshipFactory.create_batch(n, employer=company, institution=school)

    add(2)
    few = query_count(client, url("apprenticeship_list"))
    add(8)
    assert query_count(client, url("apprenticeship_list")) == few
