from django.urls import path

from laborbrand.imports import views

app_name = "imports"

urlpatterns = [
    path("batch/<int:pk>/", views.batch_detail, name="batch"),
    path("batch/<int:pk>/status/", views.batch_status, name="batch_status"),
    path("batch/<int:pk>/confirm/", views.batch_confirm, name="batch_confirm"),
    path("batch/<int:pk>/undo/", views.batch_undo, name="batch_undo"),
    path("batch/<int:pk>/errors/", views.batch_errors, name="batch_errors"),
    path("<slug:key>/", views.start, name="start"),
    path("<slug:key>/template/", views.template_download, name="template"),
]
