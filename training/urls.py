from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("register/", views.institution_register, name="institution_register"),
]
