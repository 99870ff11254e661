"""The training app's URLs, grouped as its views are: institutions, admission, agreements, programmes,
enrolment, ethics sessions, assessments and certificates. Every state change has a POST URL of its own."""

from django.urls import path

from training.views import (
    admission,
    agreements,
    certificates,
    enrollment,
    ethics,
    institutions,
    members,
    programs,
)

app_name = "training"

urlpatterns = [
    path("register/", institutions.institution_register, name="institution_register"),
    # Public
    path("institutions/", institutions.institution_public_list, name="institution_public_list"),
    # Institution staff
    path("applications/", admission.application_list, name="application_list"),
    path("applications/new/", admission.application_create, name="application_create"),
    path("applications/<int:pk>/", admission.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", admission.application_update, name="application_update"),
    path("applications/<int:pk>/submit/", admission.application_submit, name="application_submit"),
    path("applications/<int:pk>/attachments/", admission.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", admission.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", admission.attachment_delete, name="attachment_delete"),
    # City admins
    path("review/", admission.review_queue, name="review_queue"),
    path("review/<int:pk>/", admission.review_detail, name="review_detail"),
    path("review/<int:pk>/start/", admission.review_start, name="review_start"),
    path("review/<int:pk>/decide/", admission.review_decide, name="review_decide"),
    path("institutions/manage/", institutions.institution_admin_list, name="institution_admin_list"),
    path("institutions/<int:pk>/suspend/", institutions.institution_suspend, name="institution_suspend"),
    path(
        "institutions/<int:pk>/reinstate/", institutions.institution_reinstate, name="institution_reinstate"
    ),
    # Partner agreements
    path("agreements/", agreements.agreement_list, name="agreement_list"),
    path("agreements/new/", agreements.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/document/", agreements.agreement_document, name="agreement_document"),
    path("agreements/overview/", agreements.agreement_overview, name="agreement_overview"),
    # Programmes and enrolment
    path("programmes/", programs.program_search, name="program_search"),
    path("programmes/<int:pk>/", programs.program_public_detail, name="program_public_detail"),
    path("programmes/<int:pk>/apply/", enrollment.enrollment_apply, name="enrollment_apply"),
    path("my-training/", enrollment.my_training, name="my_training"),
    path("my-training/<int:pk>/withdraw/", enrollment.enrollment_withdraw, name="enrollment_withdraw"),
    path(
        "my-training/<int:pk>/withdraw/confirm/",
        enrollment.enrollment_withdraw_confirm,
        name="enrollment_withdraw_confirm",
    ),
    path("programmes/manage/", programs.program_list, name="program_list"),
    path("programmes/manage/new/", programs.program_create, name="program_create"),
    path("programmes/manage/<int:pk>/", programs.program_detail, name="program_detail"),
    path("programmes/manage/<int:pk>/edit/", programs.program_update, name="program_update"),
    path("programmes/manage/<int:pk>/open/", programs.program_open, name="program_open"),
    path("programmes/manage/<int:pk>/start/", programs.program_start, name="program_start"),
    path("programmes/manage/<int:pk>/complete/", programs.program_complete, name="program_complete"),
    path(
        "programmes/manage/<int:pk>/complete-early/",
        programs.program_complete_early,
        name="program_complete_early",
    ),
    path("programmes/manage/<int:pk>/walk-in/", enrollment.enrollment_walk_in, name="enrollment_walk_in"),
    path("programmes/manage/<int:pk>/results/", enrollment.program_results, name="program_results"),
    path("enrolments/<int:pk>/accept/", enrollment.enrollment_accept, name="enrollment_accept"),
    path("enrolments/<int:pk>/decline/", enrollment.enrollment_decline, name="enrollment_decline"),
    # Ethics sessions
    path("ethics/", ethics.ethics_list, name="ethics_list"),
    path("ethics/new/", ethics.ethics_create, name="ethics_create"),
    path("ethics/<int:pk>/", ethics.ethics_detail, name="ethics_detail"),
    path("ethics/<int:pk>/edit/", ethics.ethics_update, name="ethics_update"),
    path("ethics/<int:pk>/attendance/", ethics.ethics_attendance_add, name="ethics_attendance_add"),
    path(
        "ethics/<int:pk>/attendance/<int:worker_pk>/remove/",
        ethics.ethics_attendance_remove,
        name="ethics_attendance_remove",
    ),
    # Assessments and certificates
    path("assessments/", certificates.assessment_list, name="assessment_list"),
    path("assessments/new/", certificates.assessment_create, name="assessment_create"),
    path("certificates/", certificates.certificate_list, name="certificate_list"),
    path("certificates/record/", certificates.certificate_record, name="certificate_record"),
    path("certificates/<int:pk>/revoke/", certificates.certificate_revoke, name="certificate_revoke"),
    path("certificates/<int:pk>/print/", certificates.certificate_print, name="certificate_print"),
    path("certificates/verify/", certificates.certificate_verify, name="certificate_verify"),
    # A brand's members (county officials, city admins)
    path("brands/<int:pk>/members/", members.brand_members, name="brand_members"),
]
