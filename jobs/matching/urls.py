"""The matching's URLs, included by jobs/urls.py into the `jobs` namespace (jobs:recommended, …)."""

from django.urls import path

from jobs.matching.views import recommendations, runs

urlpatterns = [
    # Workers and employers
    path("recommended/", recommendations.recommended, name="recommended"),
    path("recommended/personalisation/", recommendations.personalisation, name="personalisation"),
    path("postings/<int:pk>/candidates/", recommendations.candidate_list, name="candidate_list"),
    path("candidates/<int:pk>/invite/", recommendations.candidate_invite, name="candidate_invite"),
    # City admins
    path("matching/runs/", runs.run_list, name="match_runs"),
    path("matching/runs/start/", runs.run_start, name="match_run_start"),
    path("matching/runs/<int:pk>/progress/", runs.run_progress, name="match_run_progress"),
    path("matching/weights/", runs.weights_edit, name="match_weights"),
]
