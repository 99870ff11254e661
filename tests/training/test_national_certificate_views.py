"""National certificates through the test client: the certificate list (scoped per role, filtered, searched,
exported with masked ID numbers, linking to recording and to the Excel import), recording one (for anyone by
name and ID number, or in place of the institution's own portal certificate), revoking either kind, the
public check's answer for each kind, and the holder's own list. Who may reach which page, refusals as form
errors or messages with nothing saved, never a 500."""

import io

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from laborbrand.accounts.models import User
from tests import factories
from tests.factories.training import NationalCertificateFactory
from tests.training.national_certificate_helpers import BODY, ID_NUMBER, LAST_YEAR, NAME, NUMBER, TODAY
from training.forms.certificates import NationalCertificateForm
from training.models import Certificate
from training.services.certificates import certificate_revoke, national_certificate_record

pytestmark = pytest.mark.django_db

Source, Status = Certificate.Source, Certificate.Status
IMPORT_PATH = "/imports/national_certificates/"


def url(name, *args):
    return reverse(f"training:{name}", args=args)


def logged_in(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def certificates(qualified_institution_a, institution_b_staff):
    """institution_a's three (issued, recorded, imported), institution_b's recorded one and the city bureau's
    imported one, in five occupations."""
    occupations = factories.make_occupations(5)
    institution_b = institution_b_staff.institutions.get()
    return {
        "a_portal": factories.CertificateFactory(
            assessment__institution=qualified_institution_a, assessment__occupation=occupations[0]
        ),
        "a_recorded": NationalCertificateFactory(
            institution=qualified_institution_a, occupation=occupations[1], worker__real_name="王秀兰"
        ),
        "a_imported": NationalCertificateFactory(
            institution=qualified_institution_a, occupation=occupations[2], imported=True
        ),
        "b_recorded": NationalCertificateFactory(institution=institution_b, occupation=occupations[3]),
        "city": NationalCertificateFactory(institution=None, occupation=occupations[4], imported=True),
    }


# --- The list -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("institution_staff", {"a_portal", "a_recorded", "a_imported"}),
        ("institution_b_staff", {"b_recorded"}),
        ("city_admin", {"a_portal", "a_recorded", "a_imported", "b_recorded", "city"}),
    ],
)
def test_staff_list_their_own_certificates_and_city_admins_every_one(
    client, request, certificates, persona, shown
):
    logged_in(client, request.getfixturevalue(persona))

    response = client.get(url("certificate_list"))

    assert response.status_code == 200
    assert set(response.context["page_obj"].object_list) == {certificates[name] for name in shown}
    content = response.content.decode()
    for name, certificate in certificates.items():
        assert (certificate.number in content) == (name in shown)


@pytest.mark.parametrize("persona", ["official_a", "employer", "worker", "leading_member"])
def test_other_roles_cannot_open_the_list_or_record(client, request, persona):
    logged_in(client, request.getfixturevalue(persona))
    assert client.get(url("certificate_list")).status_code == 403
    assert client.get(url("certificate_record")).status_code == 403
    assert client.post(url("certificate_record"), {"number": NUMBER}).status_code == 403
    assert not Certificate.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, certificates):
    for path in (
        url("certificate_list"),
        url("certificate_record"),
        url("certificate_revoke", certificates["city"].pk),
    ):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "import_url"),
    [("institution_staff", IMPORT_PATH + "?target={pk}"), ("city_admin", IMPORT_PATH)],
)
def test_the_list_links_to_recording_and_to_the_import_of_the_users_own_list(
    client, request, qualified_institution_a, persona, import_url
):
    logged_in(client, request.getfixturevalue(persona))

    content = client.get(url("certificate_list")).content.decode()

    assert url("certificate_record") in content
    assert f'href="{import_url.format(pk=qualified_institution_a.pk)}"' in content


def test_an_institution_that_is_not_qualified_is_told_why_and_offered_neither(client, institution_staff):
    logged_in(client, institution_staff)

    response = client.get(url("certificate_list"))

    content = response.content.decode()
    assert response.context["unavailable"] is not None
    assert "is not qualified" in content
    assert IMPORT_PATH not in content
    assert url("certificate_record") not in content


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"source": "recorded"}, {"a_recorded", "b_recorded"}),
        ({"source": "imported"}, {"a_imported", "city"}),
        ({"source": "portal"}, {"a_portal"}),
        ({"q": "王秀兰"}, {"a_recorded"}),
        ({"q": "s0000340000012"}, {"a_recorded", "a_imported", "b_recorded", "city"}),
        ({"source": "imported", "q": "市职业技能"}, {"city"}),
        ({"source": "nonsense", "page": "99999999999999999999"}, {"a_portal", "a_recorded", "a_imported"}),
    ],
)
def test_filters_and_keyword_narrow_a_city_admins_list(client, city_admin, certificates, query, shown):
    if query.get("source") == "nonsense":  # a bad filter is dropped; the city admin sees the last page
        certificates["b_recorded"].delete()
        certificates["city"].delete()
    logged_in(client, city_admin)

    response = client.get(url("certificate_list"), query)

    assert response.status_code == 200
    assert set(response.context["page_obj"].object_list) == {certificates[name] for name in shown}


def test_revoked_certificates_are_filtered_by_status(client, city_admin, certificates):
    certificate_revoke(certificate=certificates["b_recorded"], actor=city_admin, reason="查无此证")
    logged_in(client, city_admin)

    response = client.get(url("certificate_list"), {"status": "revoked"})

    assert list(response.context["page_obj"].object_list) == [certificates["b_recorded"]]


def test_the_page_shows_id_numbers_masked(client, institution_staff, certificates):
    logged_in(client, institution_staff)
    content = client.get(url("certificate_list")).content.decode()

    holder = certificates["a_recorded"].worker
    assert holder.id_number not in content
    assert holder.masked_id_number in content


def exported(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_the_export_holds_exactly_the_filtered_rows_with_id_numbers_masked(
    client, institution_staff, certificates
):
    logged_in(client, institution_staff)

    rows = exported(client.get(url("certificate_list"), {"source": "recorded", "export": "xlsx"}))

    header, *body = rows
    assert header[:3] == ("Certificate number", "Holder", "ID number (masked)")
    certificate = certificates["a_recorded"]
    assert [row[0] for row in body] == [certificate.number]
    row = body[0]
    assert row[2] == certificate.worker.masked_id_number
    assert certificate.worker.id_number not in "".join(str(cell) for cell in row)
    assert row[6:9] == (
        certificate.evaluation_body,
        "National certificate, recorded",
        certificate.institution.name,
    )


def test_a_city_admins_export_names_the_city_bureau_for_its_own_certificates(
    client, city_admin, certificates
):
    logged_in(client, city_admin)

    _header, *body = exported(client.get(url("certificate_list"), {"source": "imported", "export": "xlsx"}))

    recorded_by = {row[0]: row[8] for row in body}
    assert recorded_by[certificates["city"].number] == "City bureau"
    assert recorded_by[certificates["a_imported"].number] == certificates["a_imported"].institution.name


def query_count(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("persona", ["institution_staff", "city_admin"])
def test_the_list_runs_a_fixed_number_of_queries(client, request, qualified_institution_a, persona):
    logged_in(client, request.getfixturevalue(persona))

    def add(n):
        for _ in range(n):
            factories.CertificateFactory(assessment__institution=qualified_institution_a)
            NationalCertificateFactory(institution=qualified_institution_a)

    add(1)
    few = query_count(client, url("certificate_list"))
    add(4)
    assert query_count(client, url("certificate_list")) == few


# --- Recording -------------------------------------------------------------------------------------------


def post_data(**overrides):
    data = {
        "number": NUMBER,
        "real_name": NAME,
        "id_number": ID_NUMBER,
        "occupation": factories.make_occupations(1)[0].pk,
        "level": factories.make_level(3).pk,
        "issued_on": LAST_YEAR.isoformat(),
        "evaluation_body": BODY,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["institution_staff", "city_admin"])
def test_staff_and_city_admins_record_a_certificate_of_someone_new(
    client, request, qualified_institution_a, persona
):
    user = request.getfixturevalue(persona)
    logged_in(client, user)
    assert client.get(url("certificate_record")).status_code == 200

    response = client.post(url("certificate_record"), post_data())

    assert response.status_code == 302
    assert response.url == url("certificate_list")
    assert ("success", f"National certificate {NUMBER} recorded for {NAME}.") in messages_of(response)
    certificate = Certificate.objects.get()
    assert (certificate.source, certificate.recorded_by) == (Source.RECORDED, user)
    assert certificate.institution == (qualified_institution_a if persona == "institution_staff" else None)
    assert certificate.worker.registered is False


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"number": "LA202600000121"}, "number"),
        ({"number": "S0/1"}, "number"),
        ({"id_number": "341524198803120"}, "id_number"),
        ({"issued_on": "2999-01-01"}, "issued_on"),
        ({"occupation": "99999999999999999999999"}, "occupation"),
        ({"level": "abc"}, "level"),
        ({"evaluation_body": ""}, "evaluation_body"),
    ],
)
def test_bad_input_gives_form_errors_and_saves_nothing(
    client, institution_staff, qualified_institution_a, overrides, field
):
    logged_in(client, institution_staff)

    response = client.post(url("certificate_record"), post_data(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Certificate.objects.exists()
    assert not User.objects.by_id_number(ID_NUMBER).exists()


def test_a_number_recorded_meanwhile_is_a_form_error_not_a_500(client, monkeypatch, city_admin, worker):
    """Two requests racing: both passed the form's check; the second meets the unique number."""
    monkeypatch.setattr(NationalCertificateForm, "check_existing", lambda self, data: None)
    NationalCertificateFactory(number=NUMBER, worker=worker, institution=None)
    logged_in(client, city_admin)

    response = client.post(url("certificate_record"), post_data())

    assert response.status_code == 200
    assert f"Certificate number {NUMBER} is already recorded on the portal; nothing was saved." in (
        response.context["form"].non_field_errors()
    )
    assert Certificate.objects.count() == 1
    assert not User.objects.by_id_number(ID_NUMBER).exists()


def test_an_institution_that_is_not_qualified_cannot_record(client, institution_staff):
    logged_in(client, institution_staff)

    page = client.get(url("certificate_record"))
    assert page.status_code == 200
    assert "is not qualified" in page.content.decode()
    assert client.post(url("certificate_record"), post_data()).status_code == 403
    assert not Certificate.objects.exists()


@pytest.fixture
def portal_certificate(qualified_institution_a, worker):
    return factories.CertificateFactory(
        assessment__institution=qualified_institution_a, assessment__worker=worker
    )


def test_staff_record_the_national_certificate_of_their_own_assessment_in_its_place(
    client, institution_staff, portal_certificate, worker
):
    logged_in(client, institution_staff)
    path = f"{url('certificate_record')}?replaces={portal_certificate.pk}"
    listing = client.get(url("certificate_list")).content.decode()
    assert f"?replaces={portal_certificate.pk}" in listing

    page = client.get(path)
    assert page.status_code == 200
    assert portal_certificate.number in page.content.decode()
    assert "id_number" not in page.context["form"].fields

    response = client.post(path, {"number": NUMBER, "issued_on": TODAY.isoformat(), "evaluation_body": BODY})

    assert response.status_code == 302
    national = Certificate.objects.get(number=NUMBER)
    assert (national.worker, national.replaces, national.occupation) == (
        worker,
        portal_certificate,
        portal_certificate.occupation,
    )
    portal_certificate.refresh_from_db()
    assert portal_certificate.status == Status.REPLACED


@pytest.mark.parametrize("whose", ["institution_b", "national", "city_admin"])
def test_only_staffs_own_portal_certificates_are_replaced_else_404(
    client, request, institution_staff, qualified_institution_a, certificates, whose
):
    user = request.getfixturevalue("city_admin") if whose == "city_admin" else institution_staff
    certificate = {
        "institution_b": factories.CertificateFactory(),
        "national": certificates["a_recorded"],
        "city_admin": certificates["a_portal"],
    }[whose]
    logged_in(client, user)

    path = f"{url('certificate_record')}?replaces={certificate.pk}"
    assert client.get(path).status_code == 404
    assert client.post(path, {"number": NUMBER, "issued_on": TODAY.isoformat()}).status_code == 404
    assert not Certificate.objects.filter(number=NUMBER).exists()


@pytest.mark.parametrize("value", ["abc", "0", "-1", "99999999999999999999999", ""])
def test_a_malformed_replaces_parameter_is_ignored(client, institution_staff, qualified_institution_a, value):
    logged_in(client, institution_staff)
    response = client.get(url("certificate_record"), {"replaces": value})
    assert response.status_code == 200
    assert response.context["replaces"] is None


def test_a_revoked_portal_certificate_is_not_replaced(client, institution_staff, portal_certificate):
    certificate_revoke(certificate=portal_certificate, actor=institution_staff, reason="材料不实")
    logged_in(client, institution_staff)
    path = f"{url('certificate_record')}?replaces={portal_certificate.pk}"

    assert "no certificate takes its place" in client.get(path).content.decode()
    response = client.post(path, {"number": NUMBER, "issued_on": TODAY.isoformat(), "evaluation_body": BODY})
    assert response.status_code == 403
    assert not Certificate.objects.filter(number=NUMBER).exists()


# --- Revoking either kind --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "kind"),
    [
        ("institution_staff", "a_portal"),
        ("institution_staff", "a_recorded"),
        ("institution_staff", "a_imported"),
        ("city_admin", "a_portal"),
        ("city_admin", "b_recorded"),
        ("city_admin", "city"),
    ],
)
def test_staff_revoke_their_institutions_certificates_and_city_admins_any(
    client, request, certificates, persona, kind
):
    user = request.getfixturevalue(persona)
    certificate = certificates[kind]
    logged_in(client, user)
    assert client.get(url("certificate_revoke", certificate.pk)).status_code == 200

    response = client.post(url("certificate_revoke", certificate.pk), {"reason": "全国证书查询无此证书"})

    assert response.status_code == 302
    assert response.url == url("certificate_list")
    certificate.refresh_from_db()
    assert (certificate.status, certificate.revoked_by, certificate.revoke_reason) == (
        Status.REVOKED,
        user,
        "全国证书查询无此证书",
    )


@pytest.mark.parametrize(
    ("persona", "kind"),
    [
        ("institution_staff", "b_recorded"),
        ("institution_staff", "city"),
        ("institution_b_staff", "a_recorded"),
    ],
)
def test_staff_get_404_for_certificates_not_their_institutions(client, request, certificates, persona, kind):
    certificate = certificates[kind]
    logged_in(client, request.getfixturevalue(persona))

    assert client.get(url("certificate_revoke", certificate.pk)).status_code == 404
    assert client.post(url("certificate_revoke", certificate.pk), {"reason": "冒充"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.is_valid


@pytest.mark.parametrize("persona", ["official_a", "employer", "worker"])
def test_other_roles_cannot_revoke(client, request, certificates, persona):
    certificate = certificates["city"]
    logged_in(client, request.getfixturevalue(persona))
    assert client.post(url("certificate_revoke", certificate.pk), {"reason": "理由"}).status_code == 403
    certificate.refresh_from_db()
    assert certificate.is_valid


@pytest.mark.parametrize("reason", ["", "   "])
def test_revoking_a_national_certificate_needs_a_reason(client, city_admin, certificates, reason):
    certificate = certificates["city"]
    logged_in(client, city_admin)
    response = client.post(url("certificate_revoke", certificate.pk), {"reason": reason})
    assert response.status_code == 200
    assert response.context["form"].has_error("reason", "required")
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_a_replaced_portal_certificate_says_so_and_is_not_revoked(
    client, institution_staff, qualified_institution_a, portal_certificate
):
    national_certificate_record(
        actor=institution_staff,
        institution=qualified_institution_a,
        replaces=portal_certificate,
        number=NUMBER,
        occupation=portal_certificate.occupation,
        level=portal_certificate.level,
        issued_on=TODAY,
        evaluation_body=BODY,
    )
    logged_in(client, institution_staff)

    assert (
        "replaced by its national certificate"
        in client.get(url("certificate_revoke", portal_certificate.pk)).content.decode()
    )
    response = client.post(url("certificate_revoke", portal_certificate.pk), {"reason": "理由"})
    assert (
        "error",
        "This certificate was replaced by its national certificate: revoke that one instead.",
    ) in (messages_of(response))
    portal_certificate.refresh_from_db()
    assert portal_certificate.status == Status.REPLACED


# --- The public check, per kind -------------------------------------------------------------------------


def check(client, number, name):
    return client.post(
        url("certificate_verify"), {"number": number, "holder_name": name}, HTTP_ACCEPT_LANGUAGE="en"
    )


def result_section(response):
    content = response.content.decode()
    return content[content.index('aria-live="polite"') : content.index("</main>")]


@pytest.fixture
def national(qualified_institution_a):
    return NationalCertificateFactory(
        number=NUMBER, institution=qualified_institution_a, evaluation_body=BODY, worker__real_name="Li Na"
    )


def assert_nothing_personal(response, certificate):
    content = response.content.decode()
    assert certificate.worker.id_number not in content
    assert certificate.worker.phone not in content
    assert certificate.worker.masked_id_number not in content


def test_a_recorded_national_certificate_is_confirmed_with_its_evaluation_body_and_the_national_service(
    client, national
):
    response = check(client, "s0000 3400 0001 2323 00012", "li na")

    assert response.context["certificate"] == national
    section = result_section(response)
    assert "Valid certificate" in section
    assert 'data-certificate-source="recorded"' in section
    for shown in (
        NUMBER,
        national.occupation.name,
        str(national.level),
        national.issued_on.isoformat(),
        BODY,
    ):
        assert shown in section
    assert "National certificate, recorded on the portal as printed" in section
    assert "national vocational skill-level certificate query service" in section
    assert "Issuer" not in section
    assert_nothing_personal(response, national)


def test_a_revoked_national_certificate_says_so_without_the_reason(client, national, city_admin):
    certificate_revoke(certificate=national, actor=city_admin, reason="查无此证，内部原因")

    section = result_section(check(client, NUMBER, "Li Na"))

    assert "Revoked certificate" in section
    assert "Valid certificate" not in section
    assert f"revoked on {TODAY.isoformat()}" in section
    assert "查无此证" not in section


def test_a_national_number_with_another_name_answers_like_an_unknown_one(client, national):
    wrong_name = check(client, NUMBER, "Wang Wu")
    unknown = check(client, "S999999999999999999999", "Li Na")

    for response in (wrong_name, unknown):
        assert response.context["certificate"] is None
        section = result_section(response)
        assert "No certificate matches this number and name" in section
        assert "may still be genuine" in section  # the national service may know it
    assert result_section(wrong_name) == result_section(unknown).replace("S999999999999999999999", NUMBER)


def test_an_unknown_portal_number_points_to_no_national_service(client):
    section = result_section(check(client, "LA202600000121", "Li Na"))
    assert "No certificate matches this number and name" in section
    assert "may still be genuine" not in section


def test_a_replaced_portal_certificate_points_to_its_national_certificate(
    client, institution_staff, qualified_institution_a
):
    holder = factories.WorkerFactory(real_name="Li Na")
    portal = factories.CertificateFactory(
        assessment__institution=qualified_institution_a, assessment__worker=holder
    )
    national_certificate_record(
        actor=institution_staff,
        institution=qualified_institution_a,
        replaces=portal,
        number=NUMBER,
        occupation=portal.occupation,
        level=portal.level,
        issued_on=TODAY,
        evaluation_body=BODY,
    )

    section = result_section(check(client, portal.number, "Li Na"))
    assert "Replaced by the national certificate" in section
    assert NUMBER in section
    assert "Valid certificate" not in section
    assert 'data-certificate-status="replaced"' in section

    national = result_section(check(client, NUMBER, "Li Na"))
    assert "Valid certificate" in national


def test_a_link_fills_in_a_national_number_but_a_key_does_not_open_it(client, national):
    filled = client.get(
        url("certificate_verify"), {"number": "s0000-3400-0001-2323-00012"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert filled.context["form"]["number"].value() == NUMBER
    assert filled.context["checked"] is False

    keyed = client.get(
        url("certificate_verify"), {"number": NUMBER, "key": "0" * 16}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert keyed.context.get("key_unrecognised") is True
    assert "certificate" not in keyed.context


# --- The holder's own list and printing ---------------------------------------------------------------


def test_the_holder_sees_both_kinds_and_prints_only_the_portals(client, worker, qualified_institution_a):
    occupations = factories.make_occupations(2)
    portal = factories.CertificateFactory(
        assessment__institution=qualified_institution_a,
        assessment__worker=worker,
        assessment__occupation=occupations[0],
    )
    national = NationalCertificateFactory(
        worker=worker, institution=None, occupation=occupations[1], evaluation_body=BODY
    )
    logged_in(client, worker)

    response = client.get(url("my_training"))

    assert set(response.context["certificates"]) == {portal, national}
    content = response.content.decode()
    assert national.number in content and BODY in content
    assert "National certificate, recorded on the portal" in content
    assert url("certificate_print", portal.pk) in content
    assert url("certificate_print", national.pk) not in content
    assert client.get(url("certificate_print", national.pk)).status_code == 404
    assert client.get(url("certificate_print", portal.pk)).status_code == 200


def test_a_replaced_portal_certificate_prints_as_replaced(
    client, worker, institution_staff, portal_certificate, qualified_institution_a
):
    national_certificate_record(
        actor=institution_staff,
        institution=qualified_institution_a,
        replaces=portal_certificate,
        number=NUMBER,
        occupation=portal_certificate.occupation,
        level=portal_certificate.level,
        issued_on=TODAY,
        evaluation_body=BODY,
    )
    logged_in(client, worker)

    content = client.get(url("certificate_print", portal_certificate.pk)).content.decode()

    assert "REPLACED" in content and NUMBER in content
    assert 'data-certificate-status="replaced"' in content
