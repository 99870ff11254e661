"""Apprenticeships (企业新型学徒制) below the pages: either party records one (a verified employer with a
qualified institution admitted for the occupation, for a worker without another apprenticeship in
progress), either party completes or ends it once, each refusal saves nothing; who sees which; and the form
each party fills in."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from jobs import services
from jobs.forms.apprenticeships import ApprenticeshipForm
from jobs.models import Apprenticeship
from jobs.permissions import get_apprenticeship_for_party, own_employer, visible_apprenticeships
from laborbrand.accounts.models import Notification
from laborbrand.exceptions import InvalidTransition
from tests import factories

pytestmark = pytest.mark.django_db

Status = Apprenticeship.Status
TODAY = timezone.localdate()


@pytest.fixture
def company(employer):
    """employer's company, verified."""
    company = employer.employers.get()
    company.verified_at = timezone.now()
    company.save(update_fields=["verified_at"])
    return company


@pytest.fixture
def school(qualified_institution_a):
    """institution_a, qualified and admitted for one machining occupation."""
    qualified_institution_a.occupations.add(*factories.make_occupations(1))
    return qualified_institution_a


@pytest.fixture
def employer_b(db):
    user = factories.EmployerStaffFactory(username="employer_b")
    factories.EmployerFactory(staff=[user], verified_at=timezone.now())
    return user


def fields(company, school, worker, **overrides):
    data = {
        "employer": company,
        "institution": school,
        "worker": worker,
        "occupation": school.occupations.get(),
        "target_level": factories.make_level(3),
        "start_date": TODAY,
        "end_date": TODAY + datetime.timedelta(days=365),
    }
    data.update(overrides)
    return data


# --- Recording ------------------------------------------------------------------------------------------


def test_employer_staff_record_an_apprentice_and_the_others_are_told(
    employer, company, school, institution_staff, worker
):
    apprenticeship = services.apprenticeship_record(actor=employer, **fields(company, school, worker))
    apprenticeship.refresh_from_db()
    assert (
        apprenticeship.employer,
        apprenticeship.institution,
        apprenticeship.worker,
        apprenticeship.status,
        apprenticeship.created_by,
    ) == (company, school, worker, Status.ACTIVE, employer)
    assert Notification.objects.get(recipient=worker).url == reverse("accounts:workbench")
    assert Notification.objects.get(recipient=institution_staff).url == reverse("jobs:apprenticeship_list")
    assert not Notification.objects.filter(recipient=employer).exists()
    assert apprenticeship.history.get().history_type == "+"


def test_institution_staff_record_an_apprentice_with_a_verified_employer(
    employer, company, school, institution_staff, worker
):
    apprenticeship = services.apprenticeship_record(
        actor=institution_staff, **fields(company, school, worker)
    )
    assert apprenticeship.created_by == institution_staff
    assert Notification.objects.filter(recipient=employer).exists()
    assert not Notification.objects.filter(recipient=institution_staff).exists()


def test_an_unverified_employer_is_refused(employer, school, institution_staff, worker):
    unverified = employer.employers.get()
    for actor in (employer, institution_staff):
        with pytest.raises(InvalidTransition):
            services.apprenticeship_record(actor=actor, **fields(unverified, school, worker))
    assert not Apprenticeship.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("state", ["registered", "suspended", "expired"])
def test_an_institution_that_is_not_qualified_is_refused(employer, company, worker, state):
    institution = factories.InstitutionFactory(occupations=factories.make_occupations(1))
    if state == "suspended":
        institution.status = institution.Status.SUSPENDED
        institution.qualified_until = factories._qualified_until()
    elif state == "expired":
        institution.status = institution.Status.QUALIFIED
        institution.qualified_until = TODAY - datetime.timedelta(days=1)
    institution.save()
    with pytest.raises(InvalidTransition):
        services.apprenticeship_record(actor=employer, **fields(company, institution, worker))
    assert not Apprenticeship.objects.exists()


def test_an_occupation_the_institution_is_not_admitted_for_is_refused(employer, company, school, worker):
    other = factories.make_occupations(3)[-1]
    with pytest.raises(InvalidTransition):
        services.apprenticeship_record(actor=employer, **fields(company, school, worker, occupation=other))
    assert not Apprenticeship.objects.exists()


@pytest.mark.parametrize("persona", ["official_a", "city_admin", "institution_b_staff"])
def test_only_workers_become_apprentices(request, employer, company, school, persona):
    with pytest.raises(InvalidTransition):
        services.apprenticeship_record(
            actor=employer, **fields(company, school, request.getfixturevalue(persona))
        )
    assert not Apprenticeship.objects.exists()


@pytest.mark.parametrize("days", [0, -1])
def test_an_apprenticeship_ends_after_it_starts(employer, company, school, worker, days):
    with pytest.raises(InvalidTransition):
        services.apprenticeship_record(
            actor=employer, **fields(company, school, worker, end_date=TODAY + datetime.timedelta(days=days))
        )
    assert not Apprenticeship.objects.exists()


def test_a_worker_has_one_apprenticeship_in_progress(employer, employer_b, company, school, worker):
    first = services.apprenticeship_record(actor=employer, **fields(company, school, worker))
    with pytest.raises(InvalidTransition):
        services.apprenticeship_record(actor=employer_b, **fields(employer_b.employers.get(), school, worker))
    assert list(Apprenticeship.objects.all()) == [first]

    services.apprenticeship_set_status(apprenticeship=first, actor=employer, to=Status.COMPLETED)
    second = services.apprenticeship_record(
        actor=employer_b, **fields(employer_b.employers.get(), school, worker)
    )
    assert second.status == Status.ACTIVE


def test_the_database_refuses_a_second_active_apprenticeship():
    first = factories.ApprenticeshipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ApprenticeshipFactory(worker=first.worker)


@pytest.mark.parametrize(
    "persona", ["employer_b", "institution_b_staff", "city_admin", "official_a", "worker"]
)
def test_only_the_two_parties_record(request, company, school, persona):
    with pytest.raises(PermissionDenied):
        services.apprenticeship_record(
            actor=request.getfixturevalue(persona), **fields(company, school, factories.WorkerFactory())
        )
    assert not Apprenticeship.objects.exists()


# --- Completing and ending ------------------------------------------------------------------------------


@pytest.fixture
def apprenticeship(company, school, employer, institution_staff):
    return factories.ApprenticeshipFactory(employer=company, institution=school, created_by=employer)


@pytest.mark.parametrize("persona", ["employer", "institution_staff"])
@pytest.mark.parametrize("to", [Status.COMPLETED, Status.ENDED])
def test_either_party_completes_or_ends_it(request, apprenticeship, persona, to):
    services.apprenticeship_set_status(
        apprenticeship=apprenticeship, actor=request.getfixturevalue(persona), to=to
    )
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == to
    assert apprenticeship.history.latest("history_date").status == to


@pytest.mark.parametrize("first", [Status.COMPLETED, Status.ENDED])
@pytest.mark.parametrize("then", [Status.COMPLETED, Status.ENDED, Status.ACTIVE])
def test_a_finished_apprenticeship_stays_finished(apprenticeship, employer, first, then):
    services.apprenticeship_set_status(apprenticeship=apprenticeship, actor=employer, to=first)
    with pytest.raises(InvalidTransition):
        services.apprenticeship_set_status(apprenticeship=apprenticeship, actor=employer, to=then)
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == first


def test_an_active_apprenticeship_cannot_become_active(apprenticeship, employer):
    with pytest.raises(InvalidTransition):
        services.apprenticeship_set_status(apprenticeship=apprenticeship, actor=employer, to=Status.ACTIVE)


@pytest.mark.parametrize(
    "persona", ["employer_b", "institution_b_staff", "city_admin", "official_a", "worker"]
)
def test_no_one_else_changes_it(request, apprenticeship, persona):
    with pytest.raises(PermissionDenied):
        services.apprenticeship_set_status(
            apprenticeship=apprenticeship, actor=request.getfixturevalue(persona), to=Status.ENDED
        )
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == Status.ACTIVE


# --- Who sees which -------------------------------------------------------------------------------------


@pytest.fixture
def apprenticeships(company, school, employer_b, institution_b_staff, worker):
    institution_b = institution_b_staff.institutions.get()
    institution_b.status = institution_b.Status.QUALIFIED
    institution_b.qualified_until = factories._qualified_until()
    institution_b.save()
    institution_b.occupations.add(*factories.make_occupations(1))
    company_b = employer_b.employers.get()
    return {
        "a_a": factories.ApprenticeshipFactory(employer=company, institution=school, worker=worker),
        "a_b": factories.ApprenticeshipFactory(employer=company, institution=institution_b),
        "b_a": factories.ApprenticeshipFactory(employer=company_b, institution=school),
        "b_b": factories.ApprenticeshipFactory(employer=company_b, institution=institution_b),
    }


@pytest.mark.parametrize(
    ("persona", "visible", "managed"),
    [
        ("employer", {"a_a", "a_b"}, {"a_a", "a_b"}),
        ("employer_b", {"b_a", "b_b"}, {"b_a", "b_b"}),
        ("institution_staff", {"a_a", "b_a"}, {"a_a", "b_a"}),
        ("institution_b_staff", {"a_b", "b_b"}, {"a_b", "b_b"}),
        ("city_admin", {"a_a", "a_b", "b_a", "b_b"}, set()),
        ("worker", {"a_a"}, set()),
        ("official_a", set(), set()),
    ],
)
def test_each_party_sees_its_own(request, apprenticeships, persona, visible, managed):
    user = request.getfixturevalue(persona)
    assert set(visible_apprenticeships(user)) == {apprenticeships[k] for k in visible}
    for key, apprenticeship in apprenticeships.items():
        if key in managed:
            assert get_apprenticeship_for_party(user, apprenticeship.pk) == apprenticeship
        else:
            with pytest.raises(Http404):
                get_apprenticeship_for_party(user, apprenticeship.pk)


def test_anonymous_visitors_see_none(apprenticeships):
    assert not visible_apprenticeships(AnonymousUser()).exists()


def test_own_employer_is_only_for_employer_staff(employer, company, institution_staff):
    assert own_employer(employer) == company
    assert own_employer(institution_staff) is None


# --- The form -------------------------------------------------------------------------------------------


def form_data(partner, occupation, worker, **overrides):
    data = {
        "identifier": worker.phone,
        "partner": partner.pk,
        "occupation": occupation.pk,
        "target_level": factories.make_level(3).pk,
        "start_date": TODAY.isoformat(),
        "end_date": (TODAY + datetime.timedelta(days=365)).isoformat(),
    }
    data.update(overrides)
    return data


def test_the_institution_chooses_among_verified_employers_and_its_occupations(
    employer, company, school, worker
):
    unverified = factories.EmployerFactory()
    form = ApprenticeshipForm(institution=school)
    assert set(form.fields["partner"].queryset) == {company}
    assert unverified not in form.fields["partner"].queryset
    assert set(form.fields["occupation"].queryset) == set(school.occupations.all())

    form = ApprenticeshipForm(form_data(company, school.occupations.get(), worker), institution=school)
    assert form.is_valid(), form.errors
    assert form.apprenticeship_fields() == fields(company, school, worker)

    form = ApprenticeshipForm(form_data(unverified, school.occupations.get(), worker), institution=school)
    assert form.has_error("partner", "invalid_choice")


def test_the_employer_chooses_among_qualified_institutions(company, school, institution_b_staff, worker):
    form = ApprenticeshipForm(employer=company)
    assert set(form.fields["partner"].queryset) == {school}

    form = ApprenticeshipForm(
        form_data(school, school.occupations.get(), worker, identifier=worker.id_number), employer=company
    )
    assert form.is_valid(), form.errors
    assert form.apprenticeship_fields() == fields(company, school, worker)

    registered = institution_b_staff.institutions.get()
    form = ApprenticeshipForm(form_data(registered, school.occupations.get(), worker), employer=company)
    assert form.has_error("partner", "invalid_choice")


@pytest.mark.parametrize("days", [0, -30])
def test_the_form_refuses_an_end_before_the_start(company, school, worker, days):
    end = (TODAY + datetime.timedelta(days=days)).isoformat()
    form = ApprenticeshipForm(
        form_data(school, school.occupations.get(), worker, end_date=end), employer=company
    )
    assert not form.is_valid()
    assert form.has_error("end_date", "order")


def test_the_form_refuses_an_unknown_number(company, school, worker):
    form = ApprenticeshipForm(
        form_data(school, school.occupations.get(), worker, identifier="13800000000"), employer=company
    )
    assert form.has_error("identifier", "not_found")
