from django.contrib import admin
from django.urls import include, path

from laborbrand import views
from laborbrand.accounts.views import PortalLoginView

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("favicon.ico", views.favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", PortalLoginView.as_view(), name="login"),
    path("accounts/", include("laborbrand.accounts.urls")),
    path("brands/", include("brands.urls")),
    path("training/", include("training.urls")),
    path("jobs/", include("jobs.urls")),
    path("targets/", include("targets.urls")),
    path("imports/", include("laborbrand.imports.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path(
        "captcha/", include("captcha.urls")
    ),  # the image challenge before a code is sent (django-simple-captcha)
]

# Error pages in the site's layout (429, django-ratelimit's refusal, is RATELIMIT_VIEW in settings).
handler400 = "laborbrand.errors.bad_request"
handler403 = "laborbrand.errors.permission_denied"
handler404 = "laborbrand.errors.page_not_found"
handler500 = "laborbrand.errors.server_error"
