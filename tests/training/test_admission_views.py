"""The admission pages end to end through the test client: the institution fills, attaches, submits and
resubmits; the city reviews from the queue, decides, suspends and reinstates. Bad input and refused moves
give a clear message (or form errors) and change nothing; nothing gives a 500; list pages run a fixed
number of queries."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from laborbrand.accounts.models import Notification
from tests import factories
from training.models import (
    AdmissionApplication,
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationReview,
    Institution,
)

pytestmark = pytest.mark.django_db

Status = AdmissionApplication.Status
Decision = ApplicationReview.Decision
TODAY = timezone.localdate()
NEXT_YEAR = TODAY + datetime.timedelta(days=365)
TEN_MB = 10 * 1024 * 1024


def url(name, *args):
    return reverse(f"training:{name}", args=args)


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def query_count(client, path, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(context)


@pytest.fixture
def staff_client(client, institution_staff):
    client.force_login(institution_staff)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def admin_client(client, city_admin):
    client.force_login(city_admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def draft(institution_a):
    return factories.AdmissionApplicationFactory(institution=institution_a)


@pytest.fixture
def submitted(institution_a):
    application = factories.AdmissionApplicationFactory(institution=institution_a, submitted=True)
    factories.ApplicationAttachmentFactory(application=application)
    return application


@pytest.fixture
def under_review(submitted):
    AdmissionApplication.objects.filter(pk=submitted.pk).update(status=Status.UNDER_REVIEW)
    submitted.refresh_from_db()
    return submitted


def application_data(**overrides):
    data = {
        "teacher_count": "40",
        "double_qualified_share": "60",
        "senior_title_count": "8",
        "training_space_m2": "3200",
        "equipment": "数控车床 12 台\n工业机器人 4 台",
        "partner_employers": "安徽合力股份有限公司",
        "placement_rate": "92",
        "occupations": [o.pk for o in factories.make_occupations(2)],
    }
    data.update(overrides)
    return data


def review_data(**overrides):
    data = {
        "faculty_verdict": "meets",
        "faculty_comment": "师资达标",
        "facilities_verdict": "partly",
        "facilities_comment": "",
        "employment_verdict": "meets",
        "employment_comment": "",
        "decision": Decision.APPROVE,
        "reason": "三项条件符合准入要求",
        "qualified_until": NEXT_YEAR.isoformat(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def state(application):
    """Everything about an application a refused request could have changed."""
    application = AdmissionApplication.objects.get(pk=application.pk)
    institution = application.institution
    return (
        application.status,
        application.round,
        application.teacher_count,
        sorted(application.occupations.values_list("pk", flat=True)),
        list(application.attachments.order_by("pk").values_list("pk", "round")),
        application.events.count(),
        application.reviews.count(),
        institution.status,
        institution.qualified_until,
    )


# --- Institution: list and create -----------------------------------------------------------------------


def test_application_list_shows_own_applications_only(staff_client, institution_a, institution_b_staff):
    own = factories.AdmissionApplicationFactory(institution=institution_a, rejected=True)
    own_open = factories.AdmissionApplicationFactory(institution=institution_a)
    factories.AdmissionApplicationFactory(institution=institution_b_staff.institutions.get())

    response = staff_client.get(url("application_list"))

    assert response.status_code == 200
    assert set(response.context["page_obj"]) == {own, own_open}
    assert response.context["institution"] == institution_a
    assert response.context["unavailable"].url == url("application_detail", own_open.pk)
    content = response.content.decode()
    assert url("application_detail", own.pk) in content
    assert url("application_create") not in content.split("<main", 1)[-1].split("</main>", 1)[0]


def test_application_list_offers_a_new_application_when_none_is_open(staff_client, institution_a):
    factories.AdmissionApplicationFactory(institution=institution_a, rejected=True)

    response = staff_client.get(url("application_list"))

    assert response.context["unavailable"] is None
    assert url("application_create") in response.content.decode()


def test_city_admins_are_sent_from_the_application_list_to_the_queue(admin_client):
    response = admin_client.get(url("application_list"))

    assert response.status_code == 302
    assert response.url == url("review_queue")


def test_application_list_query_count_does_not_grow(staff_client, institution_a):
    factories.AdmissionApplicationFactory(institution=institution_a, rejected=True)
    few = query_count(staff_client, url("application_list"))

    for _ in range(6):
        factories.AdmissionApplicationFactory(institution=institution_a, rejected=True)

    assert query_count(staff_client, url("application_list")) == few


def test_creating_an_application_saves_a_draft(staff_client, institution_a):
    response = staff_client.get(url("application_create"))
    assert response.status_code == 200

    response = staff_client.post(url("application_create"), application_data())

    application = AdmissionApplication.objects.get()
    assert response.status_code == 302
    assert response.url == url("application_detail", application.pk)
    assert (application.institution, application.status, application.round) == (
        institution_a,
        Status.DRAFT,
        1,
    )
    assert application.occupations.count() == 2
    assert messages_of(response)[-1][0] == "success"


@pytest.mark.parametrize(
    "overrides",
    [
        {"teacher_count": ""},
        {"teacher_count": "-3"},
        {"double_qualified_share": "120"},
        {"senior_title_count": "50"},
        {"occupations": []},
        {"occupations": ["987654"]},
        {"equipment": "设" * 3001},
    ],
)
def test_bad_application_input_shows_the_form_again_and_saves_nothing(staff_client, overrides):
    response = staff_client.post(url("application_create"), application_data(**overrides))

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not AdmissionApplication.objects.exists()


def test_an_absurd_number_is_a_form_error_not_a_500(staff_client):
    response = staff_client.post(url("application_create"), application_data(teacher_count="99999999999"))

    assert response.status_code == 200
    assert response.context["form"].has_error("teacher_count")
    assert not AdmissionApplication.objects.exists()


def test_with_an_open_application_the_new_form_says_why_and_links_to_it(staff_client, submitted):
    response = staff_client.get(url("application_create"))

    assert response.status_code == 200
    assert "form" not in response.context
    content = response.content.decode()
    assert "already has an admission application in progress" in content
    assert url("application_detail", submitted.pk) in content
    assert "you can go ahead once the city bureau approves it" in content

    response = staff_client.post(url("application_create"), application_data())

    assert response.status_code == 403
    assert AdmissionApplication.objects.count() == 1


def test_staff_without_an_institution_cannot_apply(client):
    loner = factories.InstitutionStaffFactory()
    client.force_login(loner)

    response = client.get(url("application_create"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "not linked to a training institution" in response.content.decode()
    assert client.post(url("application_create"), application_data()).status_code == 403
    assert not AdmissionApplication.objects.exists()


# --- Institution: detail, edit, attach, submit ----------------------------------------------------------


def test_detail_shows_the_application_its_files_reviews_and_history(staff_client, under_review, city_admin):
    factories.ApplicationReviewFactory(
        application=under_review,
        round=0,
        reviewer=city_admin,
        decision=Decision.REQUEST_CHANGES,
        reason="补充设备清单",
    )
    ApplicationEvent.objects.create(
        application=under_review,
        old_status=Status.SUBMITTED,
        new_status=Status.UNDER_REVIEW,
        actor=city_admin,
    )

    response = staff_client.get(url("application_detail", under_review.pk))

    assert response.status_code == 200
    assert response.context["can_edit"] is False
    content = response.content.decode()
    attachment = under_review.attachments.get()
    assert url("attachment_download", attachment.pk) in content
    assert "补充设备清单" in content
    assert url("application_submit", under_review.pk) not in content
    assert url("application_update", under_review.pk) not in content


def test_city_admins_open_the_review_page_instead_of_the_detail(admin_client, submitted):
    response = admin_client.get(url("application_detail", submitted.pk))

    assert response.status_code == 302
    assert response.url == url("review_detail", submitted.pk)


def test_a_draft_offers_edit_upload_and_submit(staff_client, draft):
    response = staff_client.get(url("application_detail", draft.pk))

    content = response.content.decode()
    assert response.context["can_edit"] is True
    for action in ("application_update", "attachment_upload", "application_submit"):
        assert url(action, draft.pk) in content
    assert 'name="file"' in content


def test_detail_query_count_does_not_grow_with_files_reviews_and_events(
    staff_client, draft, city_admin, institution_staff
):
    factories.ApplicationAttachmentFactory(application=draft)
    few = query_count(staff_client, url("application_detail", draft.pk))

    for criterion in ("faculty", "facilities", "employment", "other"):
        factories.ApplicationAttachmentFactory(application=draft, criterion=criterion)
    for n in range(3):
        factories.ApplicationReviewFactory(application=draft, round=10 + n, reviewer=city_admin)
        ApplicationEvent.objects.create(
            application=draft, old_status=Status.DRAFT, new_status=Status.SUBMITTED, actor=institution_staff
        )

    assert query_count(staff_client, url("application_detail", draft.pk)) == few


@pytest.mark.parametrize("status", [Status.DRAFT, Status.CHANGES_REQUESTED])
def test_editing_a_draft_or_an_application_sent_back(staff_client, draft, status):
    AdmissionApplication.objects.filter(pk=draft.pk).update(status=status)
    assert staff_client.get(url("application_update", draft.pk)).status_code == 200

    response = staff_client.post(url("application_update", draft.pk), application_data(teacher_count="55"))

    assert response.status_code == 302
    assert response.url == url("application_detail", draft.pk)
    draft.refresh_from_db()
    assert (draft.teacher_count, draft.status) == (55, status)


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.REJECTED])
def test_an_application_out_of_the_institutions_hands_cannot_be_edited(staff_client, draft, status):
    AdmissionApplication.objects.filter(pk=draft.pk).update(status=status)
    before = state(draft)

    response = staff_client.get(url("application_update", draft.pk))
    assert response.status_code == 200
    assert "form" not in response.context
    assert "it can be changed while it is a draft or after the city has asked for changes" in (
        response.content.decode()
    )
    assert (
        staff_client.post(
            url("application_update", draft.pk), application_data(teacher_count="1")
        ).status_code
        == 403
    )

    assert state(draft) == before


def test_bad_edit_input_changes_nothing(staff_client, draft):
    before = state(draft)

    response = staff_client.post(url("application_update", draft.pk), application_data(placement_rate="abc"))

    assert response.status_code == 200
    assert response.context["form"].has_error("placement_rate")
    assert state(draft) == before


def upload(content, name="evidence.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_uploading_a_pdf_attaches_it(staff_client, draft, institution_staff):
    response = staff_client.post(
        url("attachment_upload", draft.pk),
        {"criterion": "facilities", "file": upload(factories.PDF_BYTES, "设备清单.pdf")},
    )

    assert response.status_code == 302
    assert response.url == url("application_detail", draft.pk)
    attachment = draft.attachments.get()
    assert (attachment.name, attachment.criterion, attachment.content_type, attachment.uploaded_by) == (
        "设备清单.pdf",
        "facilities",
        "application/pdf",
        institution_staff,
    )
    assert messages_of(response)[-1][0] == "success"


BAD_UPLOADS = {
    "renamed Windows executable": (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
        "evidence.pdf",
        "This file is not a PDF / JPEG / PNG file.",
    ),
    "renamed Linux executable": (
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56,
        "evidence.pdf",
        "This file is not a PDF / JPEG / PNG file.",
    ),
    "text named .png": ("只是一段文字".encode(), "photo.png", "This file is not a PDF / JPEG / PNG file."),
    "empty file": (b"", "evidence.pdf", "The submitted file is empty."),
    "over 10 MB": (
        b"%PDF-1.4\n" + b"0" * (TEN_MB + 1 - 9),
        "evidence.pdf",
        "The file is 10.0\xa0MB; at most 10.0\xa0MB is allowed.",
    ),
}


@pytest.mark.parametrize(("content", "name", "message"), BAD_UPLOADS.values(), ids=BAD_UPLOADS.keys())
def test_a_bad_upload_is_refused_with_a_clear_message(staff_client, draft, content, name, message):
    before = state(draft)

    response = staff_client.post(
        url("attachment_upload", draft.pk), {"criterion": "faculty", "file": upload(content, name)}
    )

    assert response.status_code == 302
    assert response.url == url("application_detail", draft.pk)
    assert messages_of(response) == [("error", message)]
    assert state(draft) == before
    assert not ApplicationAttachment.objects.exists()


def test_an_upload_without_a_file_is_refused_with_a_message(staff_client, draft):
    response = staff_client.post(url("attachment_upload", draft.pk), {"criterion": "faculty"})

    assert response.status_code == 302
    assert messages_of(response)[-1][0] == "error"
    assert not ApplicationAttachment.objects.exists()


def test_no_upload_once_submitted(staff_client, submitted):
    before = state(submitted)

    response = staff_client.post(
        url("attachment_upload", submitted.pk), {"criterion": "faculty", "file": upload(factories.PDF_BYTES)}
    )

    assert response.status_code == 302
    assert messages_of(response) == [("error", "This application can no longer be changed.")]
    assert state(submitted) == before


def test_upload_is_post_only(staff_client, draft):
    assert staff_client.get(url("attachment_upload", draft.pk)).status_code == 405


def test_removing_a_file_of_the_round_being_prepared(staff_client, draft):
    attachment = factories.ApplicationAttachmentFactory(application=draft)

    response = staff_client.post(url("attachment_delete", attachment.pk))

    assert response.status_code == 302
    assert response.url == url("application_detail", draft.pk)
    assert not draft.attachments.exists()


def test_a_submitted_file_cannot_be_removed_after_changes_were_requested(staff_client, submitted):
    AdmissionApplication.objects.filter(pk=submitted.pk).update(status=Status.CHANGES_REQUESTED)
    attachment = submitted.attachments.get()

    response = staff_client.post(url("attachment_delete", attachment.pk))

    assert response.status_code == 302
    assert messages_of(response) == [("error", "Files of an earlier round are kept as they were submitted.")]
    assert submitted.attachments.get() == attachment


def test_after_changes_were_requested_only_new_files_offer_removal(staff_client, submitted):
    AdmissionApplication.objects.filter(pk=submitted.pk).update(status=Status.CHANGES_REQUESTED)
    reviewed = submitted.attachments.get()
    staff_client.post(
        url("attachment_upload", submitted.pk),
        {"criterion": "facilities", "file": upload(factories.PDF_BYTES, "新设备.pdf")},
    )
    added = submitted.attachments.exclude(pk=reviewed.pk).get()

    content = staff_client.get(url("application_detail", submitted.pk)).content.decode()

    assert added.round == 2
    assert url("attachment_delete", added.pk) in content
    assert url("attachment_delete", reviewed.pk) not in content


def test_submitting_sends_the_application_to_the_city(staff_client, draft, city_admin):
    factories.ApplicationAttachmentFactory(application=draft)

    response = staff_client.post(url("application_submit", draft.pk))

    assert response.status_code == 302
    assert response.url == url("application_detail", draft.pk)
    assert messages_of(response)[-1][0] == "success"
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert Notification.objects.filter(recipient=city_admin, url=url("review_detail", draft.pk)).exists()


def test_submitting_without_evidence_is_refused_with_a_message(staff_client, draft):
    before = state(draft)

    response = staff_client.post(url("application_submit", draft.pk))

    assert response.status_code == 302
    assert response.url == url("application_detail", draft.pk)
    assert messages_of(response) == [("error", "Attach at least one file of evidence before submitting.")]
    assert state(draft) == before


def test_submitting_twice_is_refused_with_a_message(staff_client, submitted):
    before = state(submitted)

    response = staff_client.post(url("application_submit", submitted.pk))

    assert response.status_code == 302
    assert messages_of(response)[-1][0] == "error"
    assert state(submitted) == before


def test_submit_is_post_only(staff_client, draft):
    assert staff_client.get(url("application_submit", draft.pk)).status_code == 405


def test_resubmitting_after_changes_starts_round_two(staff_client, submitted):
    AdmissionApplication.objects.filter(pk=submitted.pk).update(status=Status.CHANGES_REQUESTED)

    staff_client.post(url("application_update", submitted.pk), application_data(teacher_count="48"))
    staff_client.post(
        url("attachment_upload", submitted.pk),
        {"criterion": "facilities", "file": upload(factories.PDF_BYTES, "新设备.pdf")},
    )
    response = staff_client.post(url("application_submit", submitted.pk))

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.round, submitted.teacher_count) == (Status.SUBMITTED, 2, 48)
    assert sorted(submitted.attachments.values_list("round", flat=True)) == [1, 2]


# --- City: queue --------------------------------------------------------------------------------------


def test_queue_lists_everything_but_drafts_with_counts(admin_client, institution_a, institution_b_staff):
    factories.AdmissionApplicationFactory(institution=institution_a)  # a draft: not the city's business yet
    waiting = factories.AdmissionApplicationFactory(
        institution=institution_b_staff.institutions.get(), submitted=True
    )
    decided = [factories.AdmissionApplicationFactory(rejected=True) for _ in range(2)]

    response = admin_client.get(url("review_queue"))

    assert response.status_code == 200
    assert set(response.context["page_obj"]) == {waiting, *decided}
    counts = {value: count for value, _, count in response.context["status_counts"]}
    assert counts == {
        Status.SUBMITTED: 1,
        Status.UNDER_REVIEW: 0,
        Status.CHANGES_REQUESTED: 0,
        Status.APPROVED: 0,
        Status.REJECTED: 2,
    }
    assert url("review_detail", waiting.pk) in response.content.decode()


def test_queue_filters_by_status_county_kind_and_submitted_date(admin_client, official_a, official_b):
    county_a, county_b = official_a.county, official_b.county
    old = timezone.now() - datetime.timedelta(days=40)
    match = factories.AdmissionApplicationFactory(
        institution__county=county_a, institution__kind=Institution.Kind.PRIVATE, submitted=True
    )
    factories.AdmissionApplicationFactory(
        institution__county=county_b, institution__kind=Institution.Kind.PRIVATE, submitted=True
    )
    factories.AdmissionApplicationFactory(
        institution__county=county_a, institution__kind=Institution.Kind.TECHNICAL_SCHOOL, submitted=True
    )
    factories.AdmissionApplicationFactory(
        institution__county=county_a, institution__kind=Institution.Kind.PRIVATE, rejected=True
    )
    factories.AdmissionApplicationFactory(
        institution__county=county_a,
        institution__kind=Institution.Kind.PRIVATE,
        status=Status.SUBMITTED,
        submitted_at=old,
    )

    response = admin_client.get(
        url("review_queue"),
        {
            "status": Status.SUBMITTED,
            "county": county_a.pk,
            "kind": Institution.Kind.PRIVATE,
            "submitted_from": (TODAY - datetime.timedelta(days=7)).isoformat(),
            "submitted_to": TODAY.isoformat(),
        },
    )

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [match]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nonsense"},
        {"county": "abc"},
        {"county": "987654"},
        {"kind": "university"},
        {"submitted_from": "yesterday"},
        {"submitted_to": "2026-02-30"},
        {"page": "abc"},
        {"page": "99999"},
        {"status": "<script>alert(1)</script>"},
    ],
)
def test_bad_queue_filters_still_show_the_queue(admin_client, submitted, params):
    response = admin_client.get(url("review_queue"), params)

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_queue_query_count_does_not_grow(admin_client, official_a):
    factories.AdmissionApplicationFactory(submitted=True)
    few = query_count(admin_client, url("review_queue"))

    for _ in range(8):
        factories.AdmissionApplicationFactory(submitted=True, institution__county=official_a.county)

    assert query_count(admin_client, url("review_queue")) == few


# --- City: review and decide ----------------------------------------------------------------------------


def test_review_page_shows_the_evidence_by_criterion(admin_client, submitted):
    other = factories.ApplicationAttachmentFactory(
        application=submitted, criterion="employment", name="就业协议.pdf"
    )

    response = admin_client.get(url("review_detail", submitted.pk))

    assert response.status_code == 200
    groups = {value: files for value, _, files in response.context["attachments_by_criterion"]}
    assert groups["faculty"] == [submitted.attachments.get(criterion="faculty")]
    assert groups["employment"] == [other]
    content = response.content.decode()
    assert url("review_start", submitted.pk) in content
    assert url("review_decide", submitted.pk) not in content
    assert submitted.institution.credit_code in content


def test_review_page_of_an_application_under_review_has_the_decision_form(admin_client, under_review):
    response = admin_client.get(url("review_detail", under_review.pk))

    content = response.content.decode()
    assert url("review_decide", under_review.pk) in content
    for name in (
        "faculty_verdict",
        "facilities_verdict",
        "employment_verdict",
        "decision",
        "reason",
        "qualified_until",
    ):
        assert f'name="{name}"' in content


def test_review_page_query_count_does_not_grow(admin_client, under_review, city_admin):
    few = query_count(admin_client, url("review_detail", under_review.pk))

    for criterion in ("faculty", "facilities", "employment", "other"):
        factories.ApplicationAttachmentFactory(application=under_review, criterion=criterion)
    for n in range(3):
        factories.ApplicationReviewFactory(
            application=under_review, round=10 + n, reviewer=city_admin, decision=Decision.REQUEST_CHANGES
        )
        ApplicationEvent.objects.create(
            application=under_review,
            old_status=Status.SUBMITTED,
            new_status=Status.UNDER_REVIEW,
            actor=city_admin,
        )

    assert query_count(admin_client, url("review_detail", under_review.pk)) == few


def test_starting_the_review(admin_client, submitted, institution_staff):
    response = admin_client.post(url("review_start", submitted.pk))

    assert response.status_code == 302
    assert response.url == url("review_detail", submitted.pk)
    submitted.refresh_from_db()
    assert submitted.status == Status.UNDER_REVIEW
    assert Notification.objects.filter(recipient=institution_staff).exists()


def test_starting_a_review_already_started_is_refused_with_a_message(admin_client, under_review):
    before = state(under_review)

    response = admin_client.post(url("review_start", under_review.pk))

    assert response.status_code == 302
    assert response.url == url("review_detail", under_review.pk)
    level, text = messages_of(response)[-1]
    assert level == "error"
    assert "Someone may have acted on it meanwhile" in text
    assert state(under_review) == before


@pytest.mark.parametrize("method", ["get"])
@pytest.mark.parametrize("name", ["review_start", "review_decide"])
def test_review_actions_are_post_only(admin_client, under_review, name, method):
    assert getattr(admin_client, method)(url(name, under_review.pk)).status_code == 405


def test_approving_qualifies_the_institution_and_tells_it(
    admin_client, under_review, institution_staff, city_admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("review_decide", under_review.pk), review_data())

    assert response.status_code == 302
    assert response.url == url("review_detail", under_review.pk)
    assert messages_of(response)[-1][0] == "success"
    under_review.refresh_from_db()
    assert under_review.status == Status.APPROVED
    review = under_review.reviews.get()
    assert (review.reviewer, review.decision, review.qualified_until) == (
        city_admin,
        Decision.APPROVE,
        NEXT_YEAR,
    )
    institution = under_review.institution
    institution.refresh_from_db()
    assert (institution.status, institution.qualified_until) == (Institution.Status.QUALIFIED, NEXT_YEAR)
    assert set(under_review.occupations.all()) <= set(institution.occupations.all())
    assert [m.to for m in mailoutbox] == [[institution_staff.email]]
    assert Notification.objects.filter(recipient=institution_staff, body="三项条件符合准入要求").exists()


@pytest.mark.parametrize("decision", [Decision.REJECT, Decision.REQUEST_CHANGES])
def test_rejecting_or_requesting_changes_tells_the_institution(
    admin_client, under_review, institution_staff, decision, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url("review_decide", under_review.pk), review_data(decision=decision, qualified_until="")
        )

    assert response.status_code == 302
    under_review.refresh_from_db()
    assert (
        under_review.status
        == {Decision.REJECT: Status.REJECTED, Decision.REQUEST_CHANGES: Status.CHANGES_REQUESTED}[decision]
    )
    assert under_review.institution.status == Institution.Status.REGISTERED
    assert [m.to for m in mailoutbox] == [[institution_staff.email]]


BAD_DECISIONS = {
    "approve without a date": ({"qualified_until": ""}, "qualified_until"),
    "approve until today": ({"qualified_until": TODAY.isoformat()}, "qualified_until"),
    "approve until last year": (
        {"qualified_until": (TODAY - datetime.timedelta(days=365)).isoformat()},
        "qualified_until",
    ),
    "not a date": ({"qualified_until": "明年六月"}, "qualified_until"),
    "no faculty verdict": ({"faculty_verdict": None}, "faculty_verdict"),
    "no facilities verdict": ({"facilities_verdict": None}, "facilities_verdict"),
    "no employment verdict": ({"employment_verdict": None}, "employment_verdict"),
    "unknown verdict": ({"employment_verdict": "great"}, "employment_verdict"),
    "no decision": ({"decision": None}, "decision"),
    "unknown decision": ({"decision": "delete"}, "decision"),
    "no reason": ({"reason": ""}, "reason"),
}


@pytest.mark.parametrize(("overrides", "field"), BAD_DECISIONS.values(), ids=BAD_DECISIONS.keys())
def test_a_bad_decision_shows_the_errors_and_changes_nothing(admin_client, under_review, overrides, field):
    before = state(under_review)
    notifications = Notification.objects.count()

    response = admin_client.post(url("review_decide", under_review.pk), review_data(**overrides))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert state(under_review) == before
    assert Notification.objects.count() == notifications
    assert url("review_decide", under_review.pk) in response.content.decode()


def test_a_blank_reason_is_refused_with_a_message(admin_client, under_review):
    """Whitespace strips to empty, so the form answers 'required'."""
    before = state(under_review)

    response = admin_client.post(url("review_decide", under_review.pk), review_data(reason="   "))

    assert response.status_code == 400
    assert response.context["form"].has_error("reason", "required")
    assert state(under_review) == before


def test_a_draft_is_not_found_by_the_city(admin_client, submitted):
    AdmissionApplication.objects.filter(pk=submitted.pk).update(status=Status.DRAFT)
    before = state(submitted)

    assert admin_client.get(url("review_detail", submitted.pk)).status_code == 404
    assert admin_client.post(url("review_decide", submitted.pk), review_data()).status_code == 404
    assert state(submitted) == before


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.CHANGES_REQUESTED])
def test_deciding_an_application_not_under_review_is_refused_with_a_message(admin_client, submitted, status):
    AdmissionApplication.objects.filter(pk=submitted.pk).update(status=status)
    before = state(submitted)

    response = admin_client.post(url("review_decide", submitted.pk), review_data())

    assert response.status_code == 302
    assert response.url == url("review_detail", submitted.pk)
    level, text = messages_of(response)[-1]
    assert level == "error"
    with translation.override("en"):
        current = str(Status(status).label)
    assert text.startswith(f"The application is “{current}” and cannot become “Approved”.")
    assert state(submitted) == before


def test_deciding_twice_is_refused_with_a_message_and_the_first_decision_stays(
    admin_client, under_review, city_admin
):
    admin_client.post(
        url("review_decide", under_review.pk),
        review_data(decision=Decision.REJECT, qualified_until="", reason="第一次"),
    )
    before = state(under_review)
    second_admin = factories.CityAdminFactory()
    admin_client.force_login(second_admin)

    response = admin_client.post(url("review_decide", under_review.pk), review_data(reason="第二次"))

    assert response.status_code == 302
    level, text = messages_of(response)[-1]
    assert level == "error"
    assert text == (
        "The application is “Rejected” and cannot become “Approved”. Someone may have acted on it meanwhile; "
        "reload the page."
    )
    assert state(under_review) == before
    review = ApplicationReview.objects.get()
    assert (review.reviewer, review.decision, review.reason) == (city_admin, Decision.REJECT, "第一次")
    assert under_review.institution.status == Institution.Status.REGISTERED


def test_the_whole_round_trip_through_the_pages(client, institution_staff, city_admin, draft):
    """Draft → submitted → under review → changes requested → round 2 → approved."""
    client.force_login(institution_staff)
    client.post(
        url("attachment_upload", draft.pk), {"criterion": "faculty", "file": upload(factories.PDF_BYTES)}
    )
    client.post(url("application_submit", draft.pk))
    client.force_login(city_admin)
    client.post(url("review_start", draft.pk))
    client.post(
        url("review_decide", draft.pk),
        review_data(decision=Decision.REQUEST_CHANGES, qualified_until="", reason="补充"),
    )
    client.force_login(institution_staff)
    client.post(url("application_update", draft.pk), application_data(teacher_count="50"))
    client.post(url("application_submit", draft.pk))
    client.force_login(city_admin)
    client.post(url("review_start", draft.pk))
    client.post(url("review_decide", draft.pk), review_data())

    draft.refresh_from_db()
    assert (draft.status, draft.round, draft.teacher_count) == (Status.APPROVED, 2, 50)
    assert [e.new_status for e in draft.events.order_by("pk")] == [
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.CHANGES_REQUESTED,
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.APPROVED,
    ]
    assert [(r.round, r.decision) for r in draft.reviews.order_by("round")] == [
        (1, Decision.REQUEST_CHANGES),
        (2, Decision.APPROVE),
    ]
    client.force_login(institution_staff)
    response = client.get(url("application_detail", draft.pk))
    assert "application-status-approved" in response.content.decode()
    assert NEXT_YEAR.isoformat() in response.content.decode()


# --- City: institutions ---------------------------------------------------------------------------------


def test_institution_admin_list_shows_every_institution(admin_client):
    institutions = [
        factories.InstitutionFactory(),
        factories.QualifiedInstitutionFactory(),
        factories.InstitutionFactory(suspended=True),
        factories.InstitutionFactory(expired=True),
    ]

    response = admin_client.get(url("institution_admin_list"))

    assert response.status_code == 200
    assert set(response.context["page_obj"]) == set(institutions)
    content = response.content.decode()
    assert url("institution_suspend", institutions[1].pk) in content
    assert url("institution_reinstate", institutions[2].pk) in content
    assert url("institution_suspend", institutions[0].pk) not in content


def test_institution_admin_list_query_count_does_not_grow(admin_client):
    factories.QualifiedInstitutionFactory()
    few = query_count(admin_client, url("institution_admin_list"))

    for _ in range(4):
        factories.QualifiedInstitutionFactory()
        factories.InstitutionFactory(suspended=True)

    assert query_count(admin_client, url("institution_admin_list")) == few


def test_suspending_and_reinstating_an_institution(admin_client, institution_a, institution_staff):
    Institution.objects.filter(pk=institution_a.pk).update(
        status=Institution.Status.QUALIFIED, qualified_until=NEXT_YEAR
    )

    response = admin_client.post(url("institution_suspend", institution_a.pk), {"reason": "安全检查不合格"})

    assert response.status_code == 302
    assert response.url == url("institution_admin_list")
    assert messages_of(response)[-1][0] == "success"
    institution_a.refresh_from_db()
    assert institution_a.status == Institution.Status.SUSPENDED
    assert Notification.objects.filter(recipient=institution_staff, body="安全检查不合格").exists()

    response = admin_client.post(url("institution_reinstate", institution_a.pk))

    assert response.status_code == 302
    institution_a.refresh_from_db()
    assert institution_a.status == Institution.Status.QUALIFIED


@pytest.mark.parametrize("reason", ["", "   "])
def test_suspending_without_a_reason_is_refused_with_a_message(admin_client, institution_a, reason):
    Institution.objects.filter(pk=institution_a.pk).update(
        status=Institution.Status.QUALIFIED, qualified_until=NEXT_YEAR
    )

    response = admin_client.post(url("institution_suspend", institution_a.pk), {"reason": reason})

    assert response.status_code == 302
    assert messages_of(response) == [("error", "Please give the reason for the decision.")]
    institution_a.refresh_from_db()
    assert institution_a.status == Institution.Status.QUALIFIED


def test_suspending_an_institution_that_is_not_qualified_is_refused_with_a_message(
    admin_client, institution_a
):
    response = admin_client.post(url("institution_suspend", institution_a.pk), {"reason": "原因"})

    assert response.status_code == 302
    assert messages_of(response) == [("error", "Only a qualified institution can be suspended.")]
    institution_a.refresh_from_db()
    assert institution_a.status == Institution.Status.REGISTERED


def test_reinstating_an_institution_that_is_not_suspended_is_refused_with_a_message(
    admin_client, institution_a
):
    response = admin_client.post(url("institution_reinstate", institution_a.pk))

    assert response.status_code == 302
    assert messages_of(response) == [("error", "Only a suspended institution can be reinstated.")]
    institution_a.refresh_from_db()
    assert institution_a.status == Institution.Status.REGISTERED


@pytest.mark.parametrize("name", ["institution_suspend", "institution_reinstate"])
def test_suspend_and_reinstate_are_post_only(admin_client, institution_a, name):
    assert admin_client.get(url(name, institution_a.pk)).status_code == 405
