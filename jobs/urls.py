from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("register/", views.employer_register, name="employer_register"),
    path("apprenticeships/", views.apprenticeship_list, name="apprenticeship_list"),
    path("apprenticeships/new/", views.apprenticeship_create, name="apprenticeship_create"),
    path(
        "apprenticeships/<int:pk>/status/<str:to>/",
        views.apprenticeship_set_status,
        name="apprenticeship_set_status",
    ),
]
