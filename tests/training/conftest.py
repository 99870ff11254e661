"""Fixtures shared by the split training test modules (the admission pages, the admission services and the
programme pages); a module's own fixture of the same name takes precedence."""

import pytest
from django.utils import translation

from tests import factories
from tests.training.admission_views_helpers import Status
from tests.training.program_views_helpers import logged_in
from training.models import AdmissionApplication

# --- The admission pages (test_admission_views_*.py) ---------------------------------------------------


@pytest.fixture
def admin_client(client, city_admin):
    client.force_login(city_admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def draft(institution_a):
    return factories.AdmissionApplicationFactory(institution=institution_a)


@pytest.fixture
def submitted(institution_a):
    application = factories.AdmissionApplicationFactory(institution=institution_a, submitted=True)
    factories.ApplicationAttachmentFactory(application=application)
    return application


@pytest.fixture
def under_review(submitted):
    AdmissionApplication.objects.filter(pk=submitted.pk).update(status=Status.UNDER_REVIEW)
    submitted.refresh_from_db()
    return submitted


# --- The admission services (test_admission_services_*.py) ---------------------------------------------


@pytest.fixture
def application(institution_a):
    """A draft of institution_a with one PDF of evidence, so it may be submitted."""
    application = factories.AdmissionApplicationFactory(institution=institution_a)
    factories.ApplicationAttachmentFactory(application=application)
    return application


# --- The programme pages (test_program_views_*.py) -----------------------------------------------------


@pytest.fixture
def staff_client(client, institution_staff, qualified_institution_a):
    return logged_in(client, institution_staff)


@pytest.fixture
def worker_client(client, worker):
    return logged_in(client, worker)


# --- The Excel imports (test_import_*.py) --------------------------------------------------------------


@pytest.fixture
def in_english():
    """Refusals read in English (the site's default language is Chinese)."""
    with translation.override("en"):
        yield
