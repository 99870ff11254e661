from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("register/", views.employer_register, name="employer_register"),
]
