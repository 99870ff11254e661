"""The jobs app's URLs (namespace `jobs`), the matching's included from jobs/matching/urls.py."""

from django.urls import include, path

from jobs.views import (
    alerts,
    applications,
    apprenticeships,
    board,
    cooperation,
    counter,
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
    path("postings/<int:pk>/close/", postings.posting_close, name="posting_close"),
    path("postings/<int:pk>/fill/", postings.posting_fill, name="posting_fill"),
    path("postings/<int:pk>/fill/confirm/", postings.posting_fill_confirm, name="posting_fill_confirm"),
    path("postings/<int:pk>/applicants/", applications.applicant_list, name="applicant_list"),
    path("postings/<int:pk>/applicants.xlsx", applications.applicant_export, name="applicant_export"),
    path("applicants/<int:pk>/", applications.applicant_detail, name="applicant_detail"),
    path("applicants/<int:pk>/viewed/", applications.applicant_mark_viewed, name="applicant_mark_viewed"),
    path("applicants/<int:pk>/interview/", applications.applicant_interview, name="applicant_interview"),
    path("applicants/<int:pk>/offer/", applications.applicant_offer, name="applicant_offer"),
    path("applicants/<int:pk>/hire/", applications.applicant_hire, name="applicant_hire"),
    path(
        "applicants/<int:pk>/hire/confirm/",
        applications.applicant_hire_confirm,
        name="applicant_hire_confirm",
    ),
    path("applicants/<int:pk>/reject/", applications.applicant_reject, name="applicant_reject"),
    path(
        "applicants/<int:pk>/reject/confirm/",
        applications.applicant_reject_confirm,
        name="applicant_reject_confirm",
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
    # Saved searches and their alerts
    path("saved-searches/", alerts.saved_search_list, name="saved_search_list"),
    path("saved-searches/new/", alerts.saved_search_create, name="saved_search_create"),
    path("saved-searches/<int:pk>/", alerts.saved_search_open, name="saved_search_open"),
    path("saved-searches/<int:pk>/edit/", alerts.saved_search_edit, name="saved_search_edit"),
    path("saved-searches/<int:pk>/delete/", alerts.saved_search_delete, name="saved_search_delete"),
    path("alerts/unsubscribe/<str:token>/", alerts.saved_search_unsubscribe, name="saved_search_unsubscribe"),
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
        "apprenticeships/<int:pk>/complete/",
        apprenticeships.apprenticeship_complete,
        name="apprenticeship_complete",
    ),
    path(
        "apprenticeships/<int:pk>/complete/confirm/",
        apprenticeships.apprenticeship_complete_confirm,
        name="apprenticeship_complete_confirm",
    ),
    path("apprenticeships/<int:pk>/end/", apprenticeships.apprenticeship_end, name="apprenticeship_end"),
    path(
        "apprenticeships/<int:pk>/end/confirm/",
        apprenticeships.apprenticeship_end_confirm,
        name="apprenticeship_end_confirm",
    ),
    # The service counter (county officials; the record for city admins too; the worker's own page)
    path("counter/", counter.acts, name="counter_acts"),
    path("counter/register/", counter.register, name="counter_register"),
    path("counter/register/confirm/", counter.register_confirm, name="counter_register_confirm"),
    path("counter/register/resend/", counter.register_resend, name="counter_register_resend"),
    path("counter/cancel/", counter.cancel, name="counter_cancel"),
    path("counter/worker/", counter.find_worker, name="counter_find_worker"),
    path("counter/apply/", counter.apply, name="counter_apply"),
    path("counter/apply/code/", counter.apply_code, name="counter_apply_code"),
    path("counter/apply/confirm/", counter.apply_confirm, name="counter_apply_confirm"),
    path("counter/done-for-me/", counter.done_for_me, name="counter_done_for_me"),
]
