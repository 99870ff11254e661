"""Assessment and certificate pages through the test client: institution staff record assessments (from a
programme's trainee list or by the worker's number) and revoke the certificates they issued; the public
certificate check answers valid, revoked or not found, never shows personal data and is throttled per
client address; workers see their own certificates and assessments. Who may reach which page, refusals as
form errors or messages with nothing saved, never a 500, and a fixed number of queries on the list."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from laborbrand.accounts.models import Notification
from tests import factories
from training.models import Assessment, Certificate, certificate_number, is_well_formed_certificate_number
from training.services.certificates import certificate_revoke

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOO_MANY = "Too many checks from your network."
NOT_FOUND = "No certificate matches this number and name"


def url(name, *args):
    return reverse(f"training:{name}", args=args)


def logged_in(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def assessor(qualified_institution_a, program_a):
    """institution_a, qualified and admitted to assess program_a's occupation."""
    qualified_institution_a.occupations.add(program_a.occupation)
    return qualified_institution_a


@pytest.fixture
def staff_client(client, institution_staff, assessor):
    return logged_in(client, institution_staff)


def assessment_post(occupation, worker_number=None, **overrides):
    data = {
        "occupation": occupation.pk,
        "level": factories.make_level(3).pk,
        "assessed_on": YESTERDAY.isoformat(),
        "theory_score": "82",
        "practical_score": "76.5",
    }
    if worker_number is not None:
        data["identifier"] = worker_number
    data.update(overrides)
    return data


def counts():
    return Assessment.objects.count(), Certificate.objects.count()


# --- Recording ------------------------------------------------------------------------------------------


def test_staff_record_a_pass_and_see_the_certificate_number(staff_client, assessor, worker):
    assert staff_client.get(url("assessment_create")).status_code == 200
    response = staff_client.post(
        url("assessment_create"), assessment_post(assessor.occupations.get(), worker.phone)
    )
    assert response.status_code == 302
    assert response.url == url("assessment_list")
    certificate = Certificate.objects.get()
    assert (certificate.worker, certificate.institution) == (worker, assessor)
    assert is_well_formed_certificate_number(certificate.number)
    assert (
        "success",
        f"Passed. Certificate {certificate.number} issued to {worker.display_name}.",
    ) in messages_of(response)
    listing = staff_client.get(response.url).content.decode()
    assert certificate.number in listing
    assert url("certificate_revoke", certificate.pk) in listing


def test_staff_record_a_fail_and_no_certificate_is_issued(staff_client, assessor, worker):
    response = staff_client.post(
        url("assessment_create"),
        assessment_post(
            assessor.occupations.get(), worker.id_number, theory_score="59.9", practical_score="100"
        ),
    )
    assert response.status_code == 302
    assert counts() == (1, 0)
    assert not Assessment.objects.get().passed
    assert messages_of(response)[-1][0] == "info"


def test_from_a_trainee_the_form_is_prefilled_and_returns_to_the_programme(staff_client, program_a):
    enrollment = factories.EnrollmentFactory(program=program_a, completed=True)
    path = f"{url('assessment_create')}?enrollment={enrollment.pk}"
    page = staff_client.get(path)
    assert page.status_code == 200
    form = page.context["form"]
    assert "identifier" not in form.fields
    assert (form["occupation"].value(), form["level"].value()) == (
        program_a.occupation_id,
        program_a.target_level_id,
    )
    assert enrollment.worker.display_name in page.content.decode()
    assert enrollment.worker.id_number not in page.content.decode()

    response = staff_client.post(path, assessment_post(program_a.occupation, level=program_a.target_level_id))
    assert response.status_code == 302
    assert response.url == url("program_detail", program_a.pk)
    assessment = Assessment.objects.get()
    assert (assessment.worker, assessment.program) == (enrollment.worker, program_a)


def test_another_institutions_trainee_is_404(staff_client, assessor):
    other = factories.EnrollmentFactory(
        program=factories.TrainingProgramFactory(enrolling=True), accepted=True
    )
    path = f"{url('assessment_create')}?enrollment={other.pk}"
    assert staff_client.get(path).status_code == 404
    assert staff_client.post(path, assessment_post(assessor.occupations.get())).status_code == 404
    assert counts() == (0, 0)


@pytest.mark.parametrize("value", ["abc", "", "-1"])
def test_a_malformed_enrolment_parameter_is_ignored(staff_client, value):
    response = staff_client.get(url("assessment_create"), {"enrollment": value})
    assert response.status_code == 200
    assert "identifier" in response.context["form"].fields


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"theory_score": "101"}, "theory_score"),
        ({"practical_score": "-3"}, "practical_score"),
        ({"theory_score": "eighty"}, "theory_score"),
        ({"assessed_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, "assessed_on"),
        ({"identifier": "13800000000"}, "identifier"),
        ({"level": "999"}, "level"),
    ],
)
def test_bad_input_gives_form_errors_and_saves_nothing(staff_client, assessor, worker, overrides, field):
    response = staff_client.post(
        url("assessment_create"), assessment_post(assessor.occupations.get(), worker.phone, **overrides)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert counts() == (0, 0)


def test_an_occupation_not_admitted_is_not_offered(staff_client, worker):
    other = factories.make_occupations(3)[-1]
    response = staff_client.post(url("assessment_create"), assessment_post(other, worker.phone))
    assert response.status_code == 200
    assert response.context["form"].has_error("occupation", "invalid_choice")
    assert counts() == (0, 0)


def test_a_second_valid_certificate_is_refused_on_the_form(staff_client, assessor, worker):
    data = assessment_post(assessor.occupations.get(), worker.phone)
    staff_client.post(url("assessment_create"), data)
    response = staff_client.post(url("assessment_create"), data)
    assert response.status_code == 200
    assert "already holds a valid certificate" in response.content.decode()
    assert counts() == (1, 1)


def test_a_taken_certificate_number_is_a_clear_message_not_a_500(monkeypatch, staff_client, assessor, worker):
    existing = factories.CertificateFactory()
    monkeypatch.setattr(
        "training.services.certificates.certificate_number", lambda year, serial: existing.number
    )
    before = counts()
    response = staff_client.post(
        url("assessment_create"), assessment_post(assessor.occupations.get(), worker.phone)
    )
    assert response.status_code == 200
    message = f"Certificate number {existing.number} is already in use; nothing was saved. Please try again."
    assert message in response.context["form"].non_field_errors()
    assert message in response.content.decode()
    assert counts() == before
    assert not Notification.objects.filter(recipient=worker).exists()


@pytest.mark.parametrize("state", ["registered", "suspended"])
def test_an_institution_that_is_not_qualified_cannot_assess(
    client, institution_staff, institution_a, worker, state
):
    institution_a.occupations.add(*factories.make_occupations(1))
    if state == "suspended":
        institution_a.status = institution_a.Status.SUSPENDED
        institution_a.qualified_until = factories._qualified_until()
        institution_a.save()
    logged_in(client, institution_staff)
    listing = client.get(url("assessment_list"))
    assert listing.context["unavailable"] is not None
    assert url("assessment_create") not in listing.content.decode()
    assert "Only institutions qualified (准入) by the city" in listing.content.decode()
    response = client.get(url("assessment_create"))
    assert response.status_code == 200
    assert "form" not in response.context
    response = client.post(
        url("assessment_create"), assessment_post(institution_a.occupations.get(), worker.phone)
    )
    assert response.status_code == 403
    assert "Only institutions qualified (准入) by the city" in response.content.decode()
    assert counts() == (0, 0)


def test_staff_without_an_institution_are_told_to_contact_the_city(client):
    logged_in(client, factories.InstitutionStaffFactory())
    response = client.get(url("assessment_create"))
    assert response.status_code == 200
    assert "not linked to a training institution" in response.content.decode()


@pytest.mark.parametrize("persona", ["city_admin", "official_a", "employer", "worker"])
def test_only_institution_staff_record_assessments(client, request, program_a, persona):
    enrollment = factories.EnrollmentFactory(program=program_a, completed=True)
    logged_in(client, request.getfixturevalue(persona))
    for path in (url("assessment_create"), f"{url('assessment_create')}?enrollment={enrollment.pk}"):
        assert client.get(path).status_code == 403
        assert (
            client.post(path, assessment_post(program_a.occupation, enrollment.worker.phone)).status_code
            == 403
        )
    assert counts() == (0, 0)


# --- The list -------------------------------------------------------------------------------------------


@pytest.fixture
def two_institutions(assessor, institution_b_staff):
    """One certificate of institution_a's and one of institution_b's (qualified for the occupation)."""
    institution_b = institution_b_staff.institutions.get()
    institution_b.status = institution_b.Status.QUALIFIED
    institution_b.qualified_until = factories._qualified_until()
    institution_b.save()
    institution_b.occupations.add(*assessor.occupations.all())
    return {
        "a": factories.CertificateFactory(
            assessment__institution=assessor, assessment__worker__real_name="甲校学员"
        ),
        "b": factories.CertificateFactory(
            assessment__institution=institution_b, assessment__worker__real_name="乙校学员"
        ),
    }


@pytest.mark.parametrize(
    ("persona", "own", "other"), [("institution_staff", "a", "b"), ("institution_b_staff", "b", "a")]
)
def test_institutions_list_only_their_own_assessments(client, request, two_institutions, persona, own, other):
    logged_in(client, request.getfixturevalue(persona))
    response = client.get(url("assessment_list"))
    assert response.status_code == 200
    assert list(response.context["page_obj"].object_list) == [two_institutions[own].assessment]
    content = response.content.decode()
    assert two_institutions[own].number in content
    assert two_institutions[other].number not in content
    assert two_institutions[other].worker.real_name not in content


def test_the_city_admin_lists_every_assessment_but_revokes_none(client, city_admin, two_institutions):
    logged_in(client, city_admin)
    response = client.get(url("assessment_list"))
    assert response.status_code == 200
    assert set(response.context["page_obj"].object_list) == {c.assessment for c in two_institutions.values()}
    content = response.content.decode()
    for certificate in two_institutions.values():
        assert certificate.number in content
        assert url("certificate_revoke", certificate.pk) not in content


@pytest.mark.parametrize("persona", ["official_a", "employer", "worker"])
def test_other_roles_cannot_open_the_list(client, request, two_institutions, persona):
    logged_in(client, request.getfixturevalue(persona))
    assert client.get(url("assessment_list")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, two_institutions):
    certificate = two_institutions["a"]
    for path in (url("assessment_list"), url("assessment_create"), url("certificate_revoke", certificate.pk)):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def query_count(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("persona", ["institution_staff", "city_admin"])
def test_the_list_runs_a_fixed_number_of_queries(client, request, assessor, persona):
    logged_in(client, request.getfixturevalue(persona))

    def add(n):
        for _ in range(n):
            factories.CertificateFactory(assessment__institution=assessor)
            factories.AssessmentFactory(institution=assessor, failed=True)
        factories.CertificateFactory(assessment__institution=assessor, revoked=True)

    add(1)
    few = query_count(client, url("assessment_list"))
    add(5)
    assert query_count(client, url("assessment_list")) == few


# --- Revoking -------------------------------------------------------------------------------------------


@pytest.fixture
def certificate(assessor, worker):
    return factories.CertificateFactory(assessment__institution=assessor, assessment__worker=worker)


def test_the_issuer_revokes_with_a_reason(staff_client, institution_staff, certificate, worker):
    page = staff_client.get(url("certificate_revoke", certificate.pk))
    assert page.status_code == 200
    assert certificate.number in page.content.decode()

    response = staff_client.post(url("certificate_revoke", certificate.pk), {"reason": "考试作弊，予以撤销"})
    assert response.status_code == 302
    assert response.url == url("certificate_list")
    assert ("success", f"Certificate {certificate.number} revoked.") in messages_of(response)
    certificate.refresh_from_db()
    assert (certificate.status, certificate.revoked_by, certificate.revoke_reason) == (
        Certificate.Status.REVOKED,
        institution_staff,
        "考试作弊，予以撤销",
    )
    assert "考试作弊，予以撤销" in Notification.objects.get(recipient=worker).body
    latest = certificate.history.order_by("-history_date", "-history_id").first()
    assert (latest.status, latest.history_user) == ("revoked", institution_staff)


@pytest.mark.parametrize("reason", ["", "   "])
def test_revoking_without_a_reason_gives_a_form_error(staff_client, certificate, reason):
    response = staff_client.post(url("certificate_revoke", certificate.pk), {"reason": reason})
    assert response.status_code == 200
    assert response.context["form"].has_error("reason", "required")
    certificate.refresh_from_db()
    assert certificate.is_valid
    assert not Notification.objects.exists()


def test_revoking_twice_gives_a_message(staff_client, certificate):
    staff_client.post(url("certificate_revoke", certificate.pk), {"reason": "第一次"})
    page = staff_client.get(url("certificate_revoke", certificate.pk))
    assert page.status_code == 200
    assert "This certificate was already revoked" in page.content.decode()
    response = staff_client.post(url("certificate_revoke", certificate.pk), {"reason": "第二次"})
    assert response.status_code == 302
    assert ("error", "This certificate is already revoked.") in messages_of(response)
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "第一次"


def test_another_institutions_staff_get_404(client, institution_b_staff, certificate):
    logged_in(client, institution_b_staff)
    assert client.get(url("certificate_revoke", certificate.pk)).status_code == 404
    assert client.post(url("certificate_revoke", certificate.pk), {"reason": "冒充"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.is_valid


@pytest.mark.parametrize("persona", ["official_a", "employer", "worker"])
def test_other_roles_cannot_reach_revoking(client, request, certificate, persona):
    logged_in(client, request.getfixturevalue(persona))
    assert client.get(url("certificate_revoke", certificate.pk)).status_code == 403
    assert client.post(url("certificate_revoke", certificate.pk), {"reason": "理由"}).status_code == 403
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_a_missing_certificate_is_404(staff_client):
    assert staff_client.get(url("certificate_revoke", 999_999)).status_code == 404


# --- The public check -----------------------------------------------------------------------------------


@pytest.fixture
def holder():
    return factories.WorkerFactory(real_name="Li Na")


@pytest.fixture
def valid(assessor, holder):
    return factories.CertificateFactory(assessment__institution=assessor, assessment__worker=holder)


def check(client, number, name, **extra):
    return client.post(
        url("certificate_verify"), {"number": number, "holder_name": name}, HTTP_ACCEPT_LANGUAGE="en", **extra
    )


def result_section(response):
    """The part of the page that answers the look-up (after the form, before the footer)."""
    content = response.content.decode()
    return content[content.index('aria-live="polite"') : content.index("</main>")]


def assert_no_personal_data(response, certificate):
    content = response.content.decode()
    worker = certificate.worker
    assert worker.id_number not in content
    assert worker.phone not in content
    if certificate.revoke_reason:
        assert certificate.revoke_reason not in content


def test_the_empty_form_opens_for_anyone(client):
    response = client.get(url("certificate_verify"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["checked"] is False
    assert NOT_FOUND not in response.content.decode()


def test_the_check_is_a_post_form_so_names_never_travel_in_urls(client, valid):
    response = client.get(
        url("certificate_verify"), {"number": valid.number, "holder_name": "Li Na"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response.context["checked"] is False
    assert "certificate" not in response.context
    assert 'method="post"' in response.content.decode()


def test_a_valid_certificate_is_confirmed(client, valid, assessor):
    response = check(client, valid.number, "Li Na")
    assert response.status_code == 200
    assert response.context["certificate"] == valid
    section = result_section(response)
    assert "Valid certificate" in section
    for shown in (valid.number, valid.occupation.name, assessor.name, valid.issued_on.isoformat()):
        assert shown in section
    assert_no_personal_data(response, valid)


def test_a_revoked_certificate_says_so_without_the_reason(client, valid, institution_staff):
    certificate_revoke(certificate=valid, actor=institution_staff, reason="材料造假，内部原因")
    valid.refresh_from_db()
    response = check(client, valid.number, "Li Na")
    assert response.status_code == 200
    section = result_section(response)
    assert "Revoked certificate" in section
    assert "Valid certificate" not in section
    assert "材料造假" not in response.content.decode()
    assert_no_personal_data(response, valid)


def test_a_wrong_name_answers_exactly_like_an_unknown_number(client, valid):
    unknown_number = certificate_number(TODAY.year, 4_999_999)
    wrong_name = check(client, valid.number, "Wang Fang")
    unknown = check(client, unknown_number, "Li Na")
    for response in (wrong_name, unknown):
        assert response.status_code == 200
        assert response.context["checked"] is True
        assert response.context["certificate"] is None
        assert NOT_FOUND in result_section(response)
        assert valid.occupation.name not in result_section(response)
    assert result_section(wrong_name) == result_section(unknown)
    assert_no_personal_data(wrong_name, valid)


def test_the_name_ignores_surrounding_spaces_and_case_and_the_number_its_spacing(client, valid):
    typed = f" {valid.number[:2].lower()} {valid.number[2:6]}-{valid.number[6:]} "
    response = check(client, typed, "  li na ")
    assert response.context["certificate"] == valid
    assert "Valid certificate" in result_section(response)


@pytest.mark.parametrize("number", ["LA2026", "LA202600000125", "LA 2026 no such thing", "LA20260000012X"])
def test_a_malformed_number_gives_a_form_error(client, valid, number):
    response = check(client, number, "Li Na")
    assert response.status_code == 200
    assert response.context["form"].has_error("number", "malformed")
    assert response.context["checked"] is False
    assert "not a certificate number of the portal" in response.content.decode()
    assert NOT_FOUND not in response.content.decode()


def test_a_missing_name_gives_a_form_error(client, valid):
    response = check(client, valid.number, "")
    assert response.status_code == 200
    assert response.context["form"].has_error("holder_name", "required")
    assert "certificate" not in response.context


def test_signed_in_users_may_check_too(client, employer, valid):
    client.force_login(employer)
    assert check(client, valid.number, "Li Na").context["certificate"] == valid


def test_look_ups_are_throttled_per_address(client, settings, valid):
    settings.CERTIFICATE_VERIFY_RATE = "3/m"
    for _ in range(5):
        assert client.get(url("certificate_verify")).status_code == 200  # the empty form does not count
    for name in ("Li Na", "Wang Fang", "Li Na"):
        assert check(client, valid.number, name).status_code == 200

    limited = check(client, valid.number, "Li Na")
    assert limited.status_code == 429
    assert "429.html" in [t.name for t in limited.templates]
    assert "certificate" not in limited.context
    content = limited.content.decode()
    assert TOO_MANY in content
    for hidden in ("Valid certificate", valid.occupation.name, valid.institution.name, NOT_FOUND):
        assert hidden not in content
    assert_no_personal_data(limited, valid)

    assert check(client, "nonsense", "Li Na").status_code == 429  # malformed look-ups count too
    elsewhere = check(client, valid.number, "Li Na", REMOTE_ADDR="10.1.2.3")
    assert elsewhere.status_code == 200
    assert elsewhere.context["certificate"] == valid


def test_the_throttle_starts_afresh_in_each_test(client, settings, valid):
    settings.CERTIFICATE_VERIFY_RATE = "1/m"
    assert check(client, valid.number, "Li Na").status_code == 200
    assert check(client, valid.number, "Li Na").status_code == 429


# --- The worker's own record ----------------------------------------------------------------------------


def test_a_worker_sees_their_certificates_and_assessments_and_no_one_elses(
    client, worker, assessor, institution_staff
):
    own = factories.CertificateFactory(assessment__institution=assessor, assessment__worker=worker)
    revoked = factories.CertificateFactory(
        assessment__institution=assessor,
        assessment__worker=worker,
        assessment__level=factories.make_level(4),
        revoked=True,
    )
    failed = factories.AssessmentFactory(institution=assessor, worker=worker, failed=True, theory_score=41)
    other_worker = factories.WorkerFactory()
    others = factories.CertificateFactory(assessment__institution=assessor, assessment__worker=other_worker)
    factories.AssessmentFactory(institution=assessor, worker=other_worker, failed=True, theory_score=33)

    logged_in(client, worker)
    response = client.get(url("my_training"))
    assert response.status_code == 200
    assert set(response.context["certificates"]) == {own, revoked}
    assert set(response.context["assessments"]) == {own.assessment, revoked.assessment, failed}
    content = response.content.decode()
    assert own.number in content
    assert revoked.number in content
    assert revoked.revoke_reason in content  # the holder is told why
    assert "41.0" in content
    assert others.number not in content
    assert "33.0" not in content
    assert other_worker.real_name not in content


@pytest.mark.parametrize("persona", ["city_admin", "official_a", "employer", "institution_staff"])
def test_only_workers_have_a_training_record(client, request, persona):
    logged_in(client, request.getfixturevalue(persona))
    assert client.get(url("my_training")).status_code == 403
