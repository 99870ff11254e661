from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("register/", views.institution_register, name="institution_register"),
    # Public
    path("institutions/", views.institution_public_list, name="institution_public_list"),
    # Institution staff
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", views.application_create, name="application_create"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_update, name="application_update"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    # City admins
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
    path("review/<int:pk>/start/", views.review_start, name="review_start"),
    path("review/<int:pk>/decide/", views.review_decide, name="review_decide"),
    path("institutions/manage/", views.institution_admin_list, name="institution_admin_list"),
    path("institutions/<int:pk>/suspend/", views.institution_suspend, name="institution_suspend"),
    path("institutions/<int:pk>/reinstate/", views.institution_reinstate, name="institution_reinstate"),
    # Partner agreements
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/document/", views.agreement_document, name="agreement_document"),
    path("agreements/overview/", views.agreement_overview, name="agreement_overview"),
    # Programmes and enrolment
    path("programmes/", views.program_search, name="program_search"),
    path("programmes/<int:pk>/", views.program_public_detail, name="program_public_detail"),
    path("programmes/<int:pk>/apply/", views.enrollment_apply, name="enrollment_apply"),
    path("my-training/", views.my_training, name="my_training"),
    path("my-training/<int:pk>/withdraw/", views.enrollment_withdraw, name="enrollment_withdraw"),
    path(
        "my-training/<int:pk>/withdraw/confirm/",
        views.enrollment_withdraw_confirm,
        name="enrollment_withdraw_confirm",
    ),
    path("programmes/manage/", views.program_list, name="program_list"),
    path("programmes/manage/new/", views.program_create, name="program_create"),
    path("programmes/manage/<int:pk>/", views.program_detail, name="program_detail"),
    path("programmes/manage/<int:pk>/edit/", views.program_update, name="program_update"),
    path("programmes/manage/<int:pk>/status/<str:to>/", views.program_advance, name="program_advance"),
    path(
        "programmes/manage/<int:pk>/complete-early/",
        views.program_complete_early,
        name="program_complete_early",
    ),
    path("programmes/manage/<int:pk>/walk-in/", views.enrollment_walk_in, name="enrollment_walk_in"),
    path("programmes/manage/<int:pk>/results/", views.program_results, name="program_results"),
    path("enrolments/<int:pk>/<str:decision>/", views.enrollment_decide, name="enrollment_decide"),
    # Ethics sessions
    path("ethics/", views.ethics_list, name="ethics_list"),
    path("ethics/new/", views.ethics_create, name="ethics_create"),
    path("ethics/<int:pk>/", views.ethics_detail, name="ethics_detail"),
    path("ethics/<int:pk>/edit/", views.ethics_update, name="ethics_update"),
    path("ethics/<int:pk>/attendance/", views.ethics_attendance_add, name="ethics_attendance_add"),
    path(
        "ethics/<int:pk>/attendance/<int:worker_pk>/remove/",
        views.ethics_attendance_remove,
        name="ethics_attendance_remove",
    ),
    # Assessments and certificates
    path("assessments/", views.assessment_list, name="assessment_list"),
    path("assessments/new/", views.assessment_create, name="assessment_create"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("certificates/verify/", views.certificate_verify, name="certificate_verify"),
]
