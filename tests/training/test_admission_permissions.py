"""Who may reach each admission and agreement page, for every role: anonymous visitors sign in first, roles
without business there get 403, another institution's (or county's) records and files answer 404, never
their data; and the permission functions every page starts from."""

import pytest
from django.urls import reverse

from laborbrand.accounts.models import Notification, User
from tests import factories
from training import permissions
from training.models import (
    AdmissionApplication,
    ApplicationAttachment,
    ApplicationReview,
    Institution,
    PartnerAgreement,
)

pytestmark = pytest.mark.django_db

Role = User.Role
Status = AdmissionApplication.Status
ALL_ROLES = list(Role.values)


@pytest.fixture
def objects(institution_a, official_a):
    """institution_a's submitted application with one file, a qualified institution, and an agreement of
    official_a's county with it."""
    application = factories.AdmissionApplicationFactory(institution=institution_a, submitted=True)
    attachment = factories.ApplicationAttachmentFactory(application=application)
    qualified = factories.QualifiedInstitutionFactory()
    agreement = factories.PartnerAgreementFactory(county=official_a.county, institution=qualified)
    return {
        "application": application,
        "attachment": attachment,
        "institution": qualified,
        "agreement": agreement,
    }


def app_args(o):
    return [o["application"].pk]


def attachment_args(o):
    return [o["attachment"].pk]


def institution_args(o):
    return [o["institution"].pk]


def no_args(o):
    return []


# (url name, how to build its args from `objects`, method)
INSTITUTION_PAGES = [
    ("training:application_create", no_args, "get"),
    ("training:application_update", app_args, "get"),
    ("training:application_submit", app_args, "post"),
    ("training:attachment_upload", app_args, "post"),
    ("training:attachment_delete", attachment_args, "post"),
]
INSTITUTION_AND_ADMIN_PAGES = [
    ("training:application_list", no_args, "get"),
    ("training:application_detail", app_args, "get"),
    ("training:attachment_download", attachment_args, "get"),
]
ADMIN_PAGES = [
    ("training:review_queue", no_args, "get"),
    ("training:review_detail", app_args, "get"),
    ("training:review_start", app_args, "post"),
    ("training:review_decide", app_args, "post"),
    ("training:institution_admin_list", no_args, "get"),
    ("training:institution_suspend", institution_args, "post"),
    ("training:institution_reinstate", institution_args, "post"),
    ("training:agreement_overview", no_args, "get"),
]
AGREEMENT_PAGES = [
    ("training:agreement_list", lambda o: [], "get"),
    ("training:agreement_create", lambda o: [], "get"),
    ("training:agreement_document", lambda o: [o["agreement"].pk], "get"),
]
ALL_PAGES = INSTITUTION_PAGES + INSTITUTION_AND_ADMIN_PAGES + ADMIN_PAGES + AGREEMENT_PAGES
ALLOWED_ROLES = {
    **{name: {Role.INSTITUTION_STAFF} for name, _, _ in INSTITUTION_PAGES},
    **{name: {Role.INSTITUTION_STAFF, Role.CITY_ADMIN} for name, _, _ in INSTITUTION_AND_ADMIN_PAGES},
    **{name: {Role.CITY_ADMIN} for name, _, _ in ADMIN_PAGES},
    "training:agreement_list": {Role.COUNTY_OFFICIAL, Role.INSTITUTION_STAFF},
    "training:agreement_create": {Role.COUNTY_OFFICIAL},
    "training:agreement_document": {Role.COUNTY_OFFICIAL, Role.INSTITUTION_STAFF, Role.CITY_ADMIN},
}
FORBIDDEN = [
    (name, args, method, role)
    for name, args, method in ALL_PAGES
    for role in ALL_ROLES
    if role not in ALLOWED_ROLES[name]
]


def short(name):
    return name.removeprefix("training:")


def snapshot():
    """Everything a refused request could have changed."""
    return (
        list(
            AdmissionApplication.objects.order_by("pk").values_list("pk", "status", "round", "teacher_count")
        ),
        list(ApplicationAttachment.objects.order_by("pk").values_list("pk", "round")),
        list(Institution.objects.order_by("pk").values_list("pk", "status", "qualified_until")),
        ApplicationReview.objects.count(),
        PartnerAgreement.objects.count(),
        Notification.objects.count(),
    )


def call(client, method, url):
    return getattr(client, method)(url)


@pytest.mark.parametrize(("name", "args", "method"), ALL_PAGES, ids=[short(p[0]) for p in ALL_PAGES])
def test_anonymous_visitor_is_sent_to_login(client, objects, name, args, method):
    url = reverse(name, args=args(objects))
    before = snapshot()

    response = call(client, method, url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "args", "method", "role"),
    FORBIDDEN,
    ids=[f"{short(name)}-{role}" for name, _, _, role in FORBIDDEN],
)
def test_roles_without_business_on_a_page_get_403(client, personas, objects, name, args, method, role):
    client.force_login(personas[role])
    before = snapshot()

    response = call(client, method, reverse(name, args=args(objects)))

    assert response.status_code == 403
    assert snapshot() == before
    assert objects["application"].institution.name not in response.content.decode()


REVIEW_PAGES_FOR_OTHERS = [
    (name, args, method, who)
    for name, args, method in ADMIN_PAGES
    for who in ("official_a", "official_b", "employer", "worker", "institution_staff", "institution_b_staff")
]


@pytest.mark.parametrize(
    ("name", "args", "method", "who"),
    REVIEW_PAGES_FOR_OTHERS,
    ids=[f"{short(n)}-{w}" for n, _, _, w in REVIEW_PAGES_FOR_OTHERS],
)
def test_nobody_but_city_admins_reaches_the_review_pages(request, client, objects, name, args, method, who):
    client.force_login(request.getfixturevalue(who))
    before = snapshot()

    response = call(client, method, reverse(name, args=args(objects)))

    assert response.status_code == 403
    assert snapshot() == before


# --- Another institution's application answers 404 ------------------------------------------------------


def evidence():
    return factories.pdf_file("other.pdf")


OTHER_INSTITUTION_REQUESTS = {
    "application_detail": ("training:application_detail", app_args, "get", {}),
    "application_update GET": ("training:application_update", app_args, "get", {}),
    "application_update POST": (
        "training:application_update",
        app_args,
        "post",
        {"teacher_count": "1", "double_qualified_share": "1", "senior_title_count": "0"},
    ),
    "application_submit": ("training:application_submit", app_args, "post", {}),
    "attachment_upload": ("training:attachment_upload", app_args, "post", {"criterion": "faculty"}),
    "attachment_download": ("training:attachment_download", attachment_args, "get", {}),
    "attachment_delete": ("training:attachment_delete", attachment_args, "post", {}),
}


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED])
@pytest.mark.parametrize(
    ("name", "args", "method", "data"),
    OTHER_INSTITUTION_REQUESTS.values(),
    ids=OTHER_INSTITUTION_REQUESTS.keys(),
)
def test_another_institution_gets_404_and_changes_nothing(
    client, institution_b_staff, objects, status, name, args, method, data
):
    AdmissionApplication.objects.filter(pk=objects["application"].pk).update(status=status)
    client.force_login(institution_b_staff)
    before = snapshot()
    if name == "training:attachment_upload":
        data = {**data, "file": evidence()}

    response = getattr(client, method)(reverse(name, args=args(objects)), data)

    assert response.status_code == 404
    assert snapshot() == before
    content = response.content.decode()
    assert objects["application"].institution.name not in content
    assert "evidence.pdf" not in content


@pytest.mark.parametrize(
    ("name", "args", "method", "data"),
    OTHER_INSTITUTION_REQUESTS.values(),
    ids=OTHER_INSTITUTION_REQUESTS.keys(),
)
def test_a_missing_application_or_file_also_answers_404(client, institution_staff, name, args, method, data):
    client.force_login(institution_staff)

    response = getattr(client, method)(reverse(name, args=[987654]), data)

    assert response.status_code == 404


@pytest.mark.parametrize(
    "name", ["training:review_detail", "training:review_start", "training:review_decide"]
)
def test_a_missing_application_answers_404_to_city_admins(client, city_admin, name):
    client.force_login(city_admin)

    response = (client.get if name == "training:review_detail" else client.post)(reverse(name, args=[987654]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["training:institution_suspend", "training:institution_reinstate"])
def test_suspending_a_missing_institution_answers_404(client, city_admin, name):
    client.force_login(city_admin)

    assert client.post(reverse(name, args=[987654]), {"reason": "x"}).status_code == 404


# --- Downloads ------------------------------------------------------------------------------------------


def assert_private_download(response, content: bytes, content_type: str):
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_owning_institution_downloads_its_file(client, institution_staff, objects):
    client.force_login(institution_staff)

    response = client.get(reverse("training:attachment_download", args=attachment_args(objects)))

    assert_private_download(response, factories.PDF_BYTES, "application/pdf")
    assert "evidence.pdf" in response["Content-Disposition"]


def test_a_city_admin_downloads_any_institutions_file(client, city_admin, institution_b_staff):
    application = factories.AdmissionApplicationFactory(
        institution=institution_b_staff.institutions.get(), submitted=True
    )
    attachment = factories.ApplicationAttachmentFactory(application=application)
    client.force_login(city_admin)

    response = client.get(reverse("training:attachment_download", args=[attachment.pk]))

    assert_private_download(response, factories.PDF_BYTES, "application/pdf")


def test_a_file_gone_from_storage_answers_404_not_500(client, institution_staff, objects):
    attachment = objects["attachment"]
    attachment.file.storage.delete(attachment.file.name)
    client.force_login(institution_staff)

    response = client.get(reverse("training:attachment_download", args=[attachment.pk]))

    assert response.status_code == 404


def test_a_colleague_at_the_same_institution_downloads_the_file(client, institution_a, objects):
    colleague = factories.InstitutionStaffFactory()
    institution_a.staff.add(colleague)
    client.force_login(colleague)

    response = client.get(reverse("training:attachment_download", args=attachment_args(objects)))

    assert response.status_code == 200


def test_uploaded_files_are_not_under_a_public_url(client, city_admin, objects):
    """No MEDIA_URL route: the stored file is reachable only through the download view."""
    name = objects["attachment"].file.name
    client.force_login(city_admin)

    for prefix in ("/", "/media/", "/static/", "/uploads/"):
        assert client.get(prefix + name).status_code == 404


# --- Agreements -----------------------------------------------------------------------------------------


@pytest.fixture
def agreements(official_a, official_b, institution_staff):
    """One agreement per county; the one of county B is with institution_a (which is qualified)."""
    institution_a = institution_staff.institutions.get()
    Institution.objects.filter(pk=institution_a.pk).update(
        status=Institution.Status.QUALIFIED, qualified_until=factories._qualified_until()
    )
    return {
        "a": factories.PartnerAgreementFactory(county=official_a.county),
        "b": factories.PartnerAgreementFactory(county=official_b.county, institution=institution_a),
    }


def document_url(agreement):
    return reverse("training:agreement_document", args=[agreement.pk])


def test_an_official_sees_only_their_countys_agreements(official_a, official_b, agreements):
    assert list(permissions.visible_agreements(official_a)) == [agreements["a"]]
    assert list(permissions.visible_agreements(official_b)) == [agreements["b"]]


def test_an_official_downloads_their_countys_document_but_not_another_countys(client, official_a, agreements):
    client.force_login(official_a)

    own = client.get(document_url(agreements["a"]))
    other = client.get(document_url(agreements["b"]))

    assert_private_download(own, factories.PDF_BYTES, "application/pdf")
    assert other.status_code == 404


def test_institution_staff_see_and_download_agreements_they_are_party_to(
    client, institution_staff, agreements
):
    assert list(permissions.visible_agreements(institution_staff)) == [agreements["b"]]
    client.force_login(institution_staff)

    assert client.get(document_url(agreements["b"])).status_code == 200
    assert client.get(document_url(agreements["a"])).status_code == 404


def test_other_institutions_cannot_download_an_agreement(client, institution_b_staff, agreements):
    client.force_login(institution_b_staff)

    for agreement in agreements.values():
        assert client.get(document_url(agreement)).status_code == 404


def test_city_admins_download_any_agreement(client, city_admin, agreements):
    client.force_login(city_admin)

    for agreement in agreements.values():
        assert client.get(document_url(agreement)).status_code == 200


@pytest.mark.parametrize("who", ["employer", "worker"])
@pytest.mark.parametrize(
    "name", ["training:agreement_list", "training:agreement_create", "training:agreement_overview"]
)
def test_employers_and_workers_get_403_on_agreement_pages(request, client, agreements, who, name):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("who", ["employer", "worker"])
def test_employers_and_workers_get_403_on_agreement_documents(request, client, agreements, who):
    client.force_login(request.getfixturevalue(who))

    for agreement in agreements.values():
        assert client.get(document_url(agreement)).status_code == 403


# --- The permission functions ---------------------------------------------------------------------------


@pytest.fixture
def two_applications(institution_a, institution_b_staff):
    return {
        "a": factories.AdmissionApplicationFactory(institution=institution_a),
        "b": factories.AdmissionApplicationFactory(
            institution=institution_b_staff.institutions.get(), submitted=True
        ),
    }


def test_city_admins_see_every_submitted_application(city_admin, two_applications):
    # "a" is still a draft, which stays the institution's own.
    assert set(permissions.visible_applications(city_admin)) == {two_applications["b"]}


def test_city_admins_do_not_see_drafts(city_admin, institution_a):
    draft = factories.AdmissionApplicationFactory(institution=institution_a)

    assert draft.status == AdmissionApplication.Status.DRAFT
    assert draft not in permissions.visible_applications(city_admin)


def test_institution_staff_see_only_their_own_institutions_applications(
    institution_staff, institution_b_staff, two_applications
):
    assert list(permissions.visible_applications(institution_staff)) == [two_applications["a"]]
    assert list(permissions.visible_applications(institution_b_staff)) == [two_applications["b"]]


@pytest.mark.parametrize("who", ["official_a", "employer", "worker"])
def test_other_roles_see_no_applications(request, two_applications, who):
    assert not permissions.visible_applications(request.getfixturevalue(who)).exists()


def test_anonymous_users_see_nothing(two_applications):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not permissions.visible_applications(anonymous).exists()
    assert not permissions.visible_agreements(anonymous).exists()


def test_get_application_for_answers_404_for_another_institution(institution_b_staff, two_applications):
    from django.http import Http404

    assert (
        permissions.get_application_for(institution_b_staff, two_applications["b"].pk)
        == two_applications["b"]
    )
    with pytest.raises(Http404):
        permissions.get_application_for(institution_b_staff, two_applications["a"].pk)


def test_get_attachment_for_follows_the_application(
    institution_staff, institution_b_staff, city_admin, two_applications
):
    from django.http import Http404

    attachment = factories.ApplicationAttachmentFactory(application=two_applications["a"])
    with pytest.raises(Http404):  # a draft's files are the institution's own
        permissions.get_attachment_for(city_admin, attachment.pk)
    AdmissionApplication.objects.filter(pk=two_applications["a"].pk).update(
        status=AdmissionApplication.Status.SUBMITTED
    )

    assert permissions.get_attachment_for(institution_staff, attachment.pk) == attachment
    assert permissions.get_attachment_for(city_admin, attachment.pk) == attachment
    with pytest.raises(Http404):
        permissions.get_attachment_for(institution_b_staff, attachment.pk)


@pytest.mark.parametrize(
    ("status", "editable"),
    [
        (Status.DRAFT, True),
        (Status.CHANGES_REQUESTED, True),
        (Status.SUBMITTED, False),
        (Status.UNDER_REVIEW, False),
        (Status.APPROVED, False),
        (Status.REJECTED, False),
    ],
)
def test_institution_staff_edit_only_drafts_and_applications_sent_back(
    institution_staff, city_admin, status, editable
):
    application = factories.AdmissionApplicationFactory(
        institution=institution_staff.institutions.get(), status=status
    )

    assert permissions.can_edit_application(institution_staff, application) is editable
    assert permissions.can_edit_application(city_admin, application) is False


def test_only_city_admins_can_review(personas):
    assert {role for role, user in personas.items() if permissions.can_review(user)} == {Role.CITY_ADMIN}


def test_own_institution(institution_staff, institution_a, official_a):
    assert permissions.own_institution(institution_staff) == institution_a
    assert permissions.own_institution(official_a) is None
