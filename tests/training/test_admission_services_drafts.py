"""Preparing an admission application through the services: one open application per institution (also
in the database), creating and editing (kept in history), and attachments: stored under a generated name,
kept per round, removable only while the round is being prepared."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from laborbrand.exceptions import InvalidTransition
from tests import factories
from tests.training.admission_services_helpers import Decision, Status, decide, set_status
from training.models import ApplicationAttachment
from training.services.admission import (
    application_create,
    application_start_review,
    application_submit,
    application_update,
    attachment_add,
    attachment_delete,
)

pytestmark = pytest.mark.django_db


# --- One open application per institution ---------------------------------------------------------------


def application_fields():
    return {
        "teacher_count": 30,
        "double_qualified_share": 50,
        "senior_title_count": 5,
        "training_space_m2": 1500,
        "equipment": "数控车床 6 台",
        "partner_employers": "六安江淮电机有限公司",
        "placement_rate": 85,
    }


def test_create_makes_a_round_one_draft(institution_a):
    occupations = factories.make_occupations(2)

    application = application_create(
        institution=institution_a, occupations=occupations, **application_fields()
    )

    application.refresh_from_db()
    assert (application.status, application.round, application.institution) == (
        Status.DRAFT,
        1,
        institution_a,
    )
    assert set(application.occupations.all()) == set(occupations)
    assert application.history.count() >= 1


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.CHANGES_REQUESTED]
)
def test_an_institution_with_an_open_application_cannot_start_another(institution_a, status):
    factories.AdmissionApplicationFactory(institution=institution_a, status=status)

    with translation.override("en"), pytest.raises(InvalidTransition) as excinfo:
        application_create(
            institution=institution_a, occupations=factories.make_occupations(1), **application_fields()
        )

    assert str(excinfo.value) == "Your institution already has an application in progress."
    assert institution_a.applications.count() == 1


@pytest.mark.parametrize("status", [Status.APPROVED, Status.REJECTED])
def test_after_a_decided_application_the_institution_may_apply_again(institution_a, status):
    factories.AdmissionApplicationFactory(institution=institution_a, status=status)

    application_create(
        institution=institution_a, occupations=factories.make_occupations(1), **application_fields()
    )

    assert institution_a.applications.count() == 2
    assert institution_a.applications.open().count() == 1


def test_the_database_refuses_a_second_open_application(institution_a):
    factories.AdmissionApplicationFactory(institution=institution_a, submitted=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.AdmissionApplicationFactory(institution=institution_a)

    assert institution_a.applications.count() == 1


def test_the_database_allows_many_closed_applications(institution_a):
    factories.AdmissionApplicationFactory(institution=institution_a, rejected=True)
    factories.AdmissionApplicationFactory(institution=institution_a, rejected=True)
    factories.AdmissionApplicationFactory(institution=institution_a, approved=True)
    factories.AdmissionApplicationFactory(institution=institution_a)

    assert institution_a.applications.count() == 4


def test_other_institutions_applications_do_not_count(institution_a, institution_b_staff):
    factories.AdmissionApplicationFactory(institution=institution_b_staff.institutions.get(), submitted=True)

    application_create(
        institution=institution_a, occupations=factories.make_occupations(1), **application_fields()
    )

    assert institution_a.applications.count() == 1


# --- Editing --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DRAFT, Status.CHANGES_REQUESTED])
def test_draft_and_changes_requested_applications_can_be_edited(application, status):
    set_status(application, status)
    occupations = factories.make_occupations(2, "domestic")

    application_update(
        application=application, occupations=occupations, **{**application_fields(), "teacher_count": 55}
    )

    application.refresh_from_db()
    assert application.teacher_count == 55
    assert application.status == status
    assert set(application.occupations.all()) == set(occupations)


def test_edits_are_kept_in_history(application):
    set_status(application, Status.CHANGES_REQUESTED)

    application_update(
        application=application,
        occupations=factories.make_occupations(1),
        **{**application_fields(), "teacher_count": 55},
    )

    assert [h.teacher_count for h in application.history.order_by("history_date") if h.history_type == "~"][
        -1
    ] == 55
    assert application.history.earliest("history_date").teacher_count == 40


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.REJECTED])
def test_applications_out_of_the_institutions_hands_cannot_be_edited(application, status):
    set_status(application, status)
    occupations = list(application.occupations.all())

    with pytest.raises(InvalidTransition):
        application_update(
            application=application,
            occupations=factories.make_occupations(2, "domestic"),
            **application_fields(),
        )

    application.refresh_from_db()
    assert application.teacher_count == 40
    assert list(application.occupations.all()) == occupations


# --- Attachments ----------------------------------------------------------------------------------------


def add(application, actor, name="师资证明.pdf"):
    return attachment_add(
        application=application,
        actor=actor,
        criterion=ApplicationAttachment.Criterion.FACILITIES,
        upload=factories.pdf_file(name),
        content_type="application/pdf",
    )


def test_attachment_is_stored_under_a_generated_name(application, institution_staff):
    attachment = add(application, institution_staff, name="../../etc/passwd.pdf")

    attachment.refresh_from_db()
    assert attachment.name == "../../etc/passwd.pdf"  # display text only
    assert attachment.file.name.startswith(f"training/applications/{application.pk}/")
    assert attachment.file.name.endswith(".pdf")
    assert "passwd" not in attachment.file.name
    assert attachment.file.read() == factories.PDF_BYTES
    assert (attachment.size, attachment.content_type, attachment.round, attachment.uploaded_by) == (
        len(factories.PDF_BYTES),
        "application/pdf",
        1,
        institution_staff,
    )


def test_a_long_file_name_is_shortened_to_fit(application, institution_staff):
    attachment = add(application, institution_staff, name="证" * 200 + ".pdf")

    assert len(attachment.name) == 120
    assert attachment.name.endswith(".pdf")


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.REJECTED])
def test_no_files_can_be_added_once_submitted(application, institution_staff, status):
    set_status(application, status)

    with pytest.raises(InvalidTransition):
        add(application, institution_staff)

    assert application.attachments.count() == 1


def test_a_file_of_the_current_round_can_be_removed(
    application, institution_staff, django_capture_on_commit_callbacks
):
    attachment = add(application, institution_staff)
    storage, name = attachment.file.storage, attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        attachment_delete(attachment=attachment)

    assert not ApplicationAttachment.objects.filter(pk=attachment.pk).exists()
    assert not storage.exists(name)


def test_files_of_a_decided_round_are_kept_when_changes_are_requested(application, institution_staff):
    """The reviewer decided round 1 on these files; they stay as they were submitted."""
    reviewed = application.attachments.get()
    set_status(application, Status.CHANGES_REQUESTED)

    with translation.override("en"), pytest.raises(InvalidTransition) as excinfo:
        attachment_delete(attachment=reviewed)

    assert str(excinfo.value) == "Files of an earlier round are kept as they were submitted."
    assert ApplicationAttachment.objects.filter(pk=reviewed.pk).exists()
    assert reviewed.file.storage.exists(reviewed.file.name)


def test_files_added_after_changes_were_requested_belong_to_the_next_round(application, institution_staff):
    set_status(application, Status.CHANGES_REQUESTED)

    added = add(application, institution_staff)

    assert added.round == 2
    attachment_delete(attachment=added)  # still in the institution's hands
    assert application.attachments.count() == 1


def test_a_resubmitted_round_keeps_both_rounds_files(application, institution_staff, city_admin):
    application_submit(application=application, actor=institution_staff)
    application_start_review(application=application, actor=city_admin)
    decide(application, city_admin, Decision.REQUEST_CHANGES)
    add(application, institution_staff)

    application_submit(application=application, actor=institution_staff)

    application.refresh_from_db()
    assert application.round == 2
    assert sorted(application.attachments.values_list("round", flat=True)) == [1, 2]


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.REJECTED])
def test_files_cannot_be_removed_once_submitted(application, status):
    attachment = application.attachments.get()
    set_status(application, status)

    with pytest.raises(InvalidTransition):
        attachment_delete(attachment=attachment)

    assert application.attachments.count() == 1
