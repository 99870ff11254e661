from django.urls import path

from laborbrand.accounts import views

app_name = "accounts"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/worker/", views.register_worker, name="register_worker"),
    path("register/worker/code/", views.register_worker_confirm, name="register_worker_confirm"),
    path("login/code/", views.code_sign_in, name="code_sign_in"),
    path("login/code/confirm/", views.code_sign_in_confirm, name="code_sign_in_confirm"),
    path("password-reset/code/", views.password_reset_code, name="password_reset_code"),
    path(
        "password-reset/code/confirm/", views.password_reset_code_confirm, name="password_reset_code_confirm"
    ),
    path("codes/<slug:flow>/resend/", views.code_resend, name="code_resend"),
    path("phone/", views.phone_change, name="phone_change"),
    path("phone/confirm/", views.phone_change_confirm, name="phone_change_confirm"),
    path("workbench/", views.workbench_view, name="workbench"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/read-all/", views.notifications_mark_all_read, name="notifications_mark_all_read"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("officials/", views.official_list, name="official_list"),
    path("officials/new/", views.official_create, name="official_create"),
    path("officials/<int:pk>/edit/", views.official_update, name="official_update"),
    path("officials/<int:pk>/deactivate/", views.official_deactivate, name="official_deactivate"),
    path("officials/<int:pk>/activate/", views.official_activate, name="official_activate"),
    path("leading-group/", views.leading_group_list, name="leading_group_list"),
    path("leading-group/new/", views.leading_group_create, name="leading_group_create"),
    path("leading-group/<int:pk>/edit/", views.leading_group_update, name="leading_group_update"),
    path(
        "leading-group/<int:pk>/deactivate/", views.leading_group_deactivate, name="leading_group_deactivate"
    ),
    path("leading-group/<int:pk>/activate/", views.leading_group_activate, name="leading_group_activate"),
]
