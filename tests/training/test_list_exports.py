"""The training app's staff lists (institutions, programmes, a programme's trainees, ethics sessions and a
session's attendance, assessments, partner agreements, admission applications and the review queue): the
keyword narrows the page and its Excel export alike, the export holds every page in the page's order with its
headers, a formula-like name stays text, rows the reader may not see stay out, refused roles are refused the
export as the page, no query string is a 500, and workers' ID and mobile numbers leave masked."""

from __future__ import annotations

from functools import cached_property

import pytest
from django.urls import reverse

from laborbrand.accounts.pii import mask_id_number, mask_phone
from tests import factories
from tests.list_exports import (
    GARBAGE_QUERIES,
    ListCase,
    World,
    check_export_holds_every_page,
    check_export_queries_constant,
    check_formula_exported_as_text,
    check_garbage_never_500,
    check_hidden_rows_stay_out,
    check_keyword_narrows_page_and_export,
    check_refused_alike,
    export_of,
    sign_in,
)
from training.models import Enrollment

pytestmark = pytest.mark.django_db


class TrainingWorld(World):
    @cached_property
    def brand_a(self):
        return factories.CultivatingBrandFactory(name="金寨红", county=self.official_a.county)

    @cached_property
    def program(self):
        """A running programme of institution_a, with room for every trainee a test adds."""
        return factories.TrainingProgramFactory(
            institution=self.qualified_institution_a, brand=self.brand_a, running=True, capacity=100
        )

    @cached_property
    def other_program(self):
        return factories.TrainingProgramFactory(
            institution=self.qualified_institution_a, brand=self.brand_a, running=True
        )

    @cached_property
    def session(self):
        return factories.EthicsSessionFactory(county=self.official_a.county, brands=[self.brand_a])


@pytest.fixture
def world(request):
    return TrainingWorld(request)


def _worker(name: str):
    return factories.WorkerFactory(real_name=name)


def _trainee(w, name, program=None):
    return factories.EnrollmentFactory(
        program=program or w.program, worker=_worker(name), status=Enrollment.Status.ACCEPTED
    )


def _attendee(w, name, session=None):
    return (session or w.session).attendance.create(worker=_worker(name))


def _assessment(institution, name):
    """A passed assessment and the certificate it issued."""
    certificate = factories.CertificateFactory(
        assessment__institution=institution, assessment__worker=_worker(name)
    )
    return certificate.assessment


CASES = {
    "admin's institutions": ListCase(
        who="city_admin",
        url=lambda w: reverse("training:institution_admin_list"),
        add=lambda w, name: factories.QualifiedInstitutionFactory(name=name),
        label=lambda institution: institution.name,
        key="Training institution",
        headers=(
            "Training institution",
            "Kind",
            "County/district",
            "Unified social credit code",
            "Status",
            "Qualified until",
            "Admitted occupations",
            "Contact person",
            "Contact telephone",
            "Registered",
        ),
        refused=("official_a", "institution_staff", "worker", "leading_member"),
    ),
    "institution's programmes": ListCase(
        who="institution_staff",
        url=lambda w: reverse("training:program_list"),
        add=lambda w, name: factories.TrainingProgramFactory(
            institution=w.qualified_institution_a, brand=w.brand_a, title=name
        ),
        hidden=lambda w, name: factories.TrainingProgramFactory(brand=w.brand_a, title=name),
        label=lambda program: program.title,
        key="Programme",
        headers=(
            "Programme",
            "Training institution",
            "Brand",
            "Occupation",
            "Target level",
            "Starts",
            "Ends",
            "Theory hours",
            "Practical hours",
            "Practice hours",
            "Place",
            "Capacity",
            "Places taken",
            "Applications waiting",
            "Status",
        ),
        refused=("official_a", "worker", "employer"),
    ),
    "admin's programmes": ListCase(
        who="city_admin",
        url=lambda w: reverse("training:program_list"),
        add=lambda w, name: factories.TrainingProgramFactory(brand=w.brand_a, title=name),
        label=lambda program: program.title,
        key="Programme",
        headers=(
            "Programme",
            "Training institution",
            "Brand",
            "Occupation",
            "Target level",
            "Starts",
            "Ends",
            "Theory hours",
            "Practical hours",
            "Practice hours",
            "Place",
            "Capacity",
            "Places taken",
            "Applications waiting",
            "Status",
        ),
    ),
    "a programme's trainees": ListCase(
        who="institution_staff",
        url=lambda w: reverse("training:program_detail", args=[w.program.pk]),
        add=_trainee,
        # An applicant waiting for a decision is not a trainee; nor is another programme's.
        hidden=lambda w, name: factories.EnrollmentFactory(program=w.program, worker=_worker(name)),
        label=lambda enrollment: enrollment.worker.real_name,
        key="Full name",
        headers=(
            "Full name",
            "ID number (masked)",
            "Mobile number (masked)",
            "Walk-in",
            "Status",
            "Applied",
            "Theory score",
            "Practical score",
            "Passed",
            "Completed",
        ),
        refused=("official_a", "worker", "employer"),
    ),
    "official's ethics sessions": ListCase(
        who="official_a",
        url=lambda w: reverse("training:ethics_list"),
        add=lambda w, name: factories.EthicsSessionFactory(
            county=w.official_a.county, brands=[w.brand_a], topic=name
        ),
        hidden=lambda w, name: factories.EthicsSessionFactory(county=w.official_b.county, topic=name),
        label=lambda session: session.topic,
        key="Topic",
        headers=(
            "Date",
            "Topic",
            "Speaker",
            "Speaker's title",
            "Organiser",
            "Brands",
            "Place",
            "Hours",
            "Attendees",
        ),
        refused=("worker", "employer", "leading_member"),
    ),
    "a session's attendance": ListCase(
        who="official_a",
        url=lambda w: reverse("training:ethics_detail", args=[w.session.pk]),
        add=_attendee,
        hidden=lambda w, name: _attendee(
            w, name, factories.EthicsSessionFactory(county=w.official_a.county, brands=[w.brand_a])
        ),
        label=lambda attendance: attendance.worker.real_name,
        key="Full name",
        headers=("Full name", "ID number (masked)", "Recorded"),
        refused=("worker", "employer"),
    ),
    "institution's assessments": ListCase(
        who="institution_staff",
        url=lambda w: reverse("training:assessment_list"),
        add=lambda w, name: _assessment(w.qualified_institution_a, name),
        hidden=lambda w, name: _assessment(factories.QualifiedInstitutionFactory(), name),
        label=lambda assessment: assessment.worker.real_name,
        key="Full name",
        headers=(
            "Date",
            "Full name",
            "ID number (masked)",
            "Occupation",
            "Level",
            "Training institution",
            "Theory score",
            "Practical score",
            "Passed",
            "Certificate number",
            "Certificate status",
        ),
        refused=("official_a", "worker", "employer"),
    ),
    "official's agreements": ListCase(
        who="official_a",
        url=lambda w: reverse("training:agreement_list"),
        add=lambda w, name: factories.PartnerAgreementFactory(
            county=w.official_a.county, institution=factories.QualifiedInstitutionFactory(name=name)
        ),
        hidden=lambda w, name: factories.PartnerAgreementFactory(
            county=w.official_b.county, institution=factories.QualifiedInstitutionFactory(name=name)
        ),
        label=lambda agreement: agreement.institution.name,
        key="Training institution",
        headers=(
            "County/district",
            "Training institution",
            "Brands",
            "Signed",
            "Filed",
            "Filing deadline",
            "Filed late",
        ),
        refused=("city_admin", "worker", "employer"),
    ),
    "institution's admission applications": ListCase(
        who="institution_staff",
        url=lambda w: reverse("training:application_list"),
        add=lambda w, name: factories.AdmissionApplicationFactory(
            institution=w.institution_a, rejected=True, partner_employers=name
        ),
        hidden=lambda w, name: factories.AdmissionApplicationFactory(rejected=True, partner_employers=name),
        label=lambda application: application.partner_employers,
        key="Partner employers",
        headers=(
            "Application no.",
            "Status",
            "Round",
            "Occupations applied for",
            "Partner employers",
            "Started",
            "Submitted",
            "Decided",
        ),
        refused=("official_a", "worker", "employer"),
    ),
    "admin's admission review queue": ListCase(
        who="city_admin",
        url=lambda w: reverse("training:review_queue"),
        add=lambda w, name: factories.AdmissionApplicationFactory(
            institution=factories.InstitutionFactory(name=name), submitted=True
        ),
        # A draft is the institution's own until it is submitted.
        hidden=lambda w, name: factories.AdmissionApplicationFactory(
            institution=factories.InstitutionFactory(name=name)
        ),
        label=lambda application: application.institution.name,
        key="Training institution",
        headers=(
            "Training institution",
            "Kind",
            "County/district",
            "Unified social credit code",
            "Round",
            "Occupations applied for",
            "Submitted",
            "Decided",
            "Status",
        ),
        refused=("official_a", "institution_staff", "worker"),
    ),
}
IDS = list(CASES)
WITH_HIDDEN = [name for name, case in CASES.items() if case.hidden]
REFUSALS = [(name, who) for name, case in CASES.items() for who in case.refused]


@pytest.mark.parametrize("name", IDS)
def test_the_keyword_narrows_the_page_and_the_export_alike(name, world, client):
    check_keyword_narrows_page_and_export(CASES[name], world, client)


@pytest.mark.parametrize("name", IDS)
def test_the_export_holds_every_page_with_its_headers(name, world, client):
    check_export_holds_every_page(CASES[name], world, client)


@pytest.mark.parametrize("name", IDS)
def test_a_name_starting_with_equals_is_exported_as_text(name, world, client):
    check_formula_exported_as_text(CASES[name], world, client)


@pytest.mark.parametrize("name", WITH_HIDDEN)
def test_rows_the_reader_may_not_see_stay_out_of_the_export(name, world, client):
    check_hidden_rows_stay_out(CASES[name], world, client)


@pytest.mark.parametrize(("name", "who"), REFUSALS)
def test_a_refused_role_is_refused_the_export_as_the_page(name, who, world, client):
    check_refused_alike(CASES[name], world, client, who)


@pytest.mark.parametrize("params", GARBAGE_QUERIES)
@pytest.mark.parametrize("name", IDS)
def test_no_query_string_is_a_500(name, params, world, client):
    check_garbage_never_500(CASES[name], world, client, params)


@pytest.mark.parametrize("name", IDS)
def test_the_export_costs_the_same_queries_however_many_rows(
    name, world, client, django_assert_max_num_queries
):
    check_export_queries_constant(CASES[name], world, client, django_assert_max_num_queries)


# --- Scoping of the lists inside a record's page --------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "url_of"),
    [
        ("institution_b_staff", lambda w: reverse("training:program_detail", args=[w.program.pk])),
        ("official_b", lambda w: reverse("training:ethics_detail", args=[w.session.pk])),
        ("institution_staff", lambda w: reverse("training:ethics_detail", args=[w.session.pk])),
    ],
)
def test_another_partys_record_answers_404_to_its_export_as_to_its_page(who, url_of, world, client):
    _trainee(world, "茶艺甲")
    _attendee(world, "茶艺甲")
    url = url_of(world)
    client.force_login(getattr(world, who))

    assert client.get(url).status_code == 404
    assert client.get(url, {"export": "xlsx"}).status_code == 404


# --- Personal data ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "add", "url_of"),
    [
        ("institution_staff", _trainee, lambda w: reverse("training:program_detail", args=[w.program.pk])),
        ("city_admin", _trainee, lambda w: reverse("training:program_detail", args=[w.program.pk])),
        ("official_a", _attendee, lambda w: reverse("training:ethics_detail", args=[w.session.pk])),
        ("city_admin", _attendee, lambda w: reverse("training:ethics_detail", args=[w.session.pk])),
        (
            "institution_staff",
            lambda w, name: _assessment(w.qualified_institution_a, name),
            lambda w: reverse("training:assessment_list"),
        ),
    ],
)
def test_workers_id_and_mobile_numbers_leave_masked_and_are_never_searched(who, add, url_of, world, client):
    worker = add(world, "茶艺甲").worker
    sign_in(client, getattr(world, who))
    url = url_of(world)

    export = export_of(client, url)
    by_id = export_of(client, url, {"q": worker.id_number})
    by_phone = export_of(client, url, {"q": worker.phone})

    values = [str(cell.value) for row in export.cells for cell in row]
    assert mask_id_number(worker.id_number) in values
    assert worker.id_number not in "".join(values)
    assert worker.phone not in "".join(values)
    if "Mobile number (masked)" in export.headers:
        assert mask_phone(worker.phone) in values
    assert by_id.cells == by_phone.cells == []


# --- What each keyword searches, beyond the name ------------------------------------------------------------


def test_a_session_of_several_brands_is_listed_once_when_the_keyword_finds_its_brands(world, client):
    second = factories.CultivatingBrandFactory(name="金寨红茶", county=world.official_a.county)
    factories.EthicsSessionFactory(
        county=world.official_a.county, brands=[world.brand_a, second], topic="诚信"
    )
    sign_in(client, world.official_a)
    url = reverse("training:ethics_list")

    page = client.get(url, {"q": "金寨红"})
    export = export_of(client, url, {"q": "金寨红"})

    assert [s.topic for s in page.context["page_obj"]] == ["诚信"]
    assert page.context["page_obj"].paginator.count == 1
    assert len(export.cells) == 1
    assert export.cell(0, "Brands").value in ("金寨红、金寨红茶", "金寨红茶、金寨红")


def test_an_agreement_is_found_by_its_brand_once(world, client):
    second = factories.CultivatingBrandFactory(name="金寨红茶", county=world.official_a.county)
    factories.PartnerAgreementFactory(county=world.official_a.county, brands=[world.brand_a, second])
    factories.PartnerAgreementFactory(county=world.official_a.county)
    sign_in(client, world.official_a)
    url = reverse("training:agreement_list")

    page = client.get(url, {"q": "金寨红"})
    export = export_of(client, url, {"q": "金寨红"})

    assert page.context["page_obj"].paginator.count == 1
    assert len(export.cells) == 1


def test_an_assessment_is_found_by_its_certificate_number(world, client):
    certificate = _assessment(world.qualified_institution_a, "茶艺甲").certificate
    _assessment(world.qualified_institution_a, "茶艺乙")
    factories.AssessmentFactory(institution=world.qualified_institution_a, failed=True)
    sign_in(client, world.institution_staff)
    url = reverse("training:assessment_list")

    export = export_of(client, url, {"q": certificate.number[-6:]})

    assert export.column("Certificate number") == [certificate.number]
    assert export.column("Certificate status") == ["Valid"]


def test_the_review_queue_exports_what_its_filters_and_keyword_show(world, client):
    county_b = world.official_b.county
    factories.AdmissionApplicationFactory(
        institution=factories.InstitutionFactory(name="霍山茶艺学校", county=county_b), submitted=True
    )
    factories.AdmissionApplicationFactory(
        institution=factories.InstitutionFactory(name="金寨茶艺学校"), submitted=True
    )
    factories.AdmissionApplicationFactory(
        institution=factories.InstitutionFactory(name="霍山技工学校", county=county_b), submitted=True
    )
    sign_in(client, world.city_admin)
    params = {"county": county_b.pk, "q": "茶艺"}

    page = client.get(reverse("training:review_queue"), params)
    export = export_of(client, reverse("training:review_queue"), params)

    assert [a.institution.name for a in page.context["page_obj"]] == ["霍山茶艺学校"]
    assert [row[0].value for row in export.cells] == ["霍山茶艺学校"]
    assert '<input type="hidden" name="q" value="茶艺">' in page.content.decode()


def test_the_trainees_search_leaves_the_rest_of_the_programme_page_whole(world, client):
    _trainee(world, "茶艺甲")
    _trainee(world, "焊工乙")
    factories.EnrollmentFactory(program=world.program, worker=_worker("待定丙"))
    sign_in(client, world.institution_staff)

    page = client.get(reverse("training:program_detail", args=[world.program.pk]), {"q": "茶艺"})

    assert [e.worker.real_name for e in page.context["page_obj"]] == ["茶艺甲"]
    assert len(page.context["trainees"]) == 2  # places taken
    assert [e.worker.real_name for e in page.context["pending"]] == ["待定丙"]


def test_a_city_admin_asking_for_the_institutions_applications_export_goes_to_the_review_queue(world, client):
    sign_in(client, world.city_admin)

    response = client.get(reverse("training:application_list"), {"export": "xlsx"})

    assert response.status_code == 302
    assert response["Location"] == reverse("training:review_queue")
