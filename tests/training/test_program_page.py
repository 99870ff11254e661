"""A programme's public page: what a worker needs before enrolling (institution, brand, occupation, target
level by name, dates, hours, place, fee, contact, places left) and the enrol button — for workers only; a
visitor signs in or registers and comes back to the page; other roles read it; the institution and city
admins get a link to manage it. Only programmes workers can find (enrolling or running, of a public brand)
have a page. A fixed number of queries; the search list links to it; the programme form's fee field."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from training.forms.programs import ProgramForm
from training.models import Enrollment, TrainingProgram

pytestmark = pytest.mark.django_db

Status = TrainingProgram.Status


def url(name, *args):
    return reverse(f"training:{name}", args=args)


def signed_in(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def program(program_a):
    """program_a (enrolling, 20 places) with an address, a fee and two places taken."""
    institution = program_a.institution
    institution.address = "金寨县梅山镇红军路8号"
    institution.save(update_fields=["address"])
    program_a.fee = 800
    program_a.save(update_fields=["fee"])
    factories.EnrollmentFactory.create_batch(2, program=program_a, accepted=True)
    factories.EnrollmentFactory(program=program_a)  # pending: takes no place
    return program_a


def page(client, program):
    response = client.get(url("program_public_detail", program.pk))
    assert response.status_code == 200
    return response.content.decode()


def test_a_visitor_sees_everything_needed_to_decide(client, program):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    content = page(client, program)
    institution = program.institution
    for text in (
        program.title,
        program.brand.name,
        institution.name,
        program.occupation.name,
        str(program.target_level),  # the level's name, e.g. 四级/中级工, never its rank
        program.start_date.isoformat(),
        program.end_date.isoformat(),
        program.place,
        "¥800",
        institution.contact_name,
        institution.contact_phone,
        institution.address,
        "18 places left of 20",
        f"{program.theory_hours} theory · {program.practical_hours} practical · {program.practice_hours}",
    ):
        assert text in content, text
    assert f'href="tel:{institution.contact_phone}"' in content
    assert url("enrollment_apply", program.pk) not in content


def test_a_visitor_signs_in_or_registers_and_comes_back_to_the_page(client, program):
    content = page(client, program)
    back = f"?next={url('program_public_detail', program.pk)}"
    assert f'href="{reverse("login")}{back}"' in content
    assert f'href="{reverse("accounts:register_worker")}{back}"' in content


def test_a_free_programme_says_so(client, program_a):
    assert (
        "Free of charge"
        in signed_in(client, factories.WorkerFactory())
        .get(url("program_public_detail", program_a.pk))
        .content.decode()
    )


def test_a_worker_enrols_from_the_page(client, worker, program):
    content = page(signed_in(client, worker), program)
    assert f'action="{url("enrollment_apply", program.pk)}"' in content
    response = client.post(url("enrollment_apply", program.pk))
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(program=program, worker=worker)
    content = page(client, program)
    assert url("enrollment_apply", program.pk) not in content
    assert url("enrollment_withdraw_confirm", enrollment.pk) in content
    assert url("my_training") in content


def test_a_refused_enrolment_comes_back_to_the_page(client, worker, program):
    signed_in(client, worker).post(url("enrollment_apply", program.pk))
    response = client.post(url("enrollment_apply", program.pk))
    assert response.url == url("program_public_detail", program.pk)
    assert Enrollment.objects.filter(program=program, worker=worker).count() == 1


def test_a_finished_enrolment_offers_no_withdrawal(client, worker, program):
    enrollment = factories.EnrollmentFactory(program=program, worker=worker, completed=True)
    content = page(signed_in(client, worker), program)
    assert url("enrollment_withdraw_confirm", enrollment.pk) not in content
    assert url("enrollment_apply", program.pk) not in content


def test_a_full_programme_says_so_and_still_takes_applications(client, worker, program):
    factories.EnrollmentFactory.create_batch(18, program=program, accepted=True)
    content = page(signed_in(client, worker), program)
    assert "Full: all 20 places are taken." in content
    assert f'action="{url("enrollment_apply", program.pk)}"' in content


def test_a_running_programme_takes_no_applications(client, worker, program):
    TrainingProgram.objects.filter(pk=program.pk).update(status=Status.RUNNING)
    content = page(signed_in(client, worker), program)
    assert "no longer taking applications" in content
    assert url("enrollment_apply", program.pk) not in content


@pytest.mark.parametrize(
    ("persona", "manages"),
    [
        ("city_admin", True),
        ("institution_staff", True),  # program_a is their institution's
        ("institution_b_staff", False),
        ("official_a", False),
        ("employer", False),
    ],
)
def test_other_roles_read_the_page_without_an_enrol_button(client, request, program, persona, manages):
    content = page(signed_in(client, request.getfixturevalue(persona)), program)
    assert program.title in content
    assert url("enrollment_apply", program.pk) not in content
    assert "Workers apply with a worker account." in content
    assert (url("program_detail", program.pk) in content) is manages


@pytest.mark.parametrize("status", [Status.PLANNED, Status.COMPLETED])
def test_a_programme_workers_cannot_find_has_no_page(client, institution_staff, program, status):
    TrainingProgram.objects.filter(pk=program.pk).update(status=status)
    assert client.get(url("program_public_detail", program.pk)).status_code == 404
    # Not even for its own institution: it manages the programme on its own page.
    assert (
        signed_in(client, institution_staff).get(url("program_public_detail", program.pk)).status_code == 404
    )


@pytest.mark.parametrize("brand_status", ["draft", "submitted", "returned", "rejected", "retired"])
def test_a_programme_of_a_brand_that_is_not_public_has_no_page(client, program, brand_status):
    program.brand.status = brand_status
    program.brand.save(update_fields=["status"])
    assert client.get(url("program_public_detail", program.pk)).status_code == 404


def test_an_unknown_programme_is_404(client):
    assert client.get(url("program_public_detail", 999_999)).status_code == 404


def test_the_page_runs_a_fixed_number_of_queries(client, worker, program):
    signed_in(client, worker)
    with CaptureQueriesContext(connection) as context:
        page(client, program)
    factories.EnrollmentFactory.create_batch(5, program=program, accepted=True)
    factories.EnrollmentFactory(program=program, worker=worker)
    with CaptureQueriesContext(connection) as more:
        page(client, program)
    assert len(more) == len(context)


def test_the_institutions_page_links_to_the_public_page_while_listed(client, institution_staff, program):
    signed_in(client, institution_staff)
    link = url("program_public_detail", program.pk)
    assert link in client.get(url("program_detail", program.pk)).content.decode()
    TrainingProgram.objects.filter(pk=program.pk).update(status=Status.PLANNED)
    assert link not in client.get(url("program_detail", program.pk)).content.decode()


def test_my_training_links_a_listed_programme_to_its_page(client, worker, program):
    factories.EnrollmentFactory(program=program, worker=worker)
    completed = factories.EnrollmentFactory(
        program=factories.TrainingProgramFactory(completed=True), worker=worker, completed=True
    )
    content = signed_in(client, worker).get(url("my_training")).content.decode()
    assert url("program_public_detail", program.pk) in content
    assert url("program_public_detail", completed.program_id) not in content


# --- The fee on the institution's programme form ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("", None),  # left empty: free of charge
        ("0", None),
        ("800", None),
        ("100000", None),
        ("100001", "less than or equal to 100000"),
        ("-1", "greater than or equal to 0"),
        ("八百", "Enter a whole number."),
        ("12.5", "Enter a whole number."),
        ("9" * 25, "less than or equal to 100000"),
    ],
)
def test_the_fee_field(value, error, settings):
    settings.LANGUAGE_CODE = "en"
    form = ProgramForm(data={"fee": value}, institution=factories.QualifiedInstitutionFactory())
    form.is_valid()
    if error is None:
        assert "fee" not in form.errors
        assert form.cleaned_data["fee"] == int(value or 0)
    else:
        assert any(error in message for message in form.errors["fee"]), form.errors["fee"]
