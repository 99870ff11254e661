"""The jobs app's URLs (namespace `jobs`), the matching's included from jobs/matching/urls.py."""

from django.urls import include, path

from jobs.views import (
    applications,
    apprenticeships,
    board,
    cooperation,
    employers,
    postings,
    registration,
)

app_name = "jobs"

urlpatterns = [
    # Public job board
    path("", board.search, name="search"),
    path("<int:pk>/", board.posting_detail, name="posting_detail"),
    # Employers
    path("register/", registration.employer_register, name="employer_register"),
    path("company/", employers.employer_edit, name="employer_edit"),
    path("postings/", postings.posting_manage_list, name="posting_manage_list"),
    path("postings/new/", postings.posting_create, name="posting_create"),
    path("postings/<int:pk>/", postings.posting_manage_detail, name="posting_manage_detail"),
    path("postings/<int:pk>/edit/", postings.posting_update, name="posting_update"),
    path("postings/<int:pk>/publish/", postings.posting_publish, name="posting_publish"),
    path("postings/<int:pk>/status/<str:to>/", postings.posting_set_status, name="posting_set_status"),
    path(
        "postings/<int:pk>/status/<str:to>/confirm/",
        postings.posting_set_status_confirm,
        name="posting_set_status_confirm",
    ),
    path("postings/<int:pk>/applicants/", applications.applicant_list, name="applicant_list"),
    path("postings/<int:pk>/applicants.xlsx", applications.applicant_export, name="applicant_export"),
    path("applicants/<int:pk>/", applications.applicant_detail, name="applicant_detail"),
    path("applicants/<int:pk>/move/", applications.applicant_move, name="applicant_move"),
    path(
        "applicants/<int:pk>/move/<str:to>/confirm/",
        applications.applicant_move_confirm,
        name="applicant_move_confirm",
    ),
    # Workers
    path("profile/", applications.profile_edit, name="profile_edit"),
    path("<int:pk>/apply/", applications.apply, name="apply"),
    path("my-applications/", applications.my_applications, name="my_applications"),
    path(
        "my-applications/<int:pk>/withdraw/", applications.application_withdraw, name="application_withdraw"
    ),
    path(
        "my-applications/<int:pk>/withdraw/confirm/",
        applications.application_withdraw_confirm,
        name="application_withdraw_confirm",
    ),
    # Matching: workers, employers, city admins
    path("", include("jobs.matching.urls")),
    # City admins
    path("employers/verification/", employers.employer_queue, name="employer_queue"),
    path("employers/<int:pk>/verify/", employers.employer_verify, name="employer_verify"),
    path("employers/<int:pk>/refuse/", employers.employer_refuse, name="employer_refuse"),
    path("postings/<int:pk>/take-down/", postings.posting_take_down, name="posting_take_down"),
    # Labour cooperation
    path("cooperation/partners/", cooperation.partner_list, name="partner_list"),
    path("cooperation/partners/new/", cooperation.partner_create, name="partner_create"),
    path("cooperation/partners/<int:pk>/edit/", cooperation.partner_update, name="partner_update"),
    path("cooperation/fairs/", cooperation.fair_list, name="fair_list"),
    path("cooperation/fairs/new/", cooperation.fair_create, name="fair_create"),
    path("cooperation/fairs/<int:pk>/", cooperation.fair_detail, name="fair_detail"),
    path("cooperation/fairs/<int:pk>/edit/", cooperation.fair_update, name="fair_update"),
    # Apprenticeships
    path("apprenticeships/", apprenticeships.apprenticeship_list, name="apprenticeship_list"),
    path("apprenticeships/new/", apprenticeships.apprenticeship_create, name="apprenticeship_create"),
    path(
        "apprenticeships/<int:pk>/status/<str:to>/",
        apprenticeships.apprenticeship_set_status,
        name="apprenticeship_set_status",
    ),
    path(
        "apprenticeships/<int:pk>/status/<str:to>/confirm/",
        apprenticeships.apprenticeship_set_status_confirm,
        name="apprenticeship_set_status_confirm",
    ),
]
