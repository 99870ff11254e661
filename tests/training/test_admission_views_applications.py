"""The institution's admission pages end to end through the test client: it lists its applications,
fills one in, edits it, attaches files, submits and resubmits. Bad input and refused moves give a clear
message (or form errors) and change nothing; nothing gives a 500; list and detail pages run a fixed number
of queries."""

import pytest

from laborbrand.accounts.models import Notification
from tests import factories
from tests.training.admission_views_helpers import (
    Decision,
    Status,
    application_data,
    messages_of,
    query_count,
    state,
    upload,
    url,
)
from training.models import AdmissionApplication, ApplicationAttachment, ApplicationEvent

pytestmark = pytest.mark.django_db

TEN_MB = 10 * 1024 * 1024


@pytest.fixture
def staff_client(client, institution_staff):
    client.force_login(institution_staff)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


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
