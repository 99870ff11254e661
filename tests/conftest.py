"""Personas shared by every test: one user per role, officials of two different counties."""

import importlib

import pytest
from django.apps import apps
from django.test import RequestFactory
from django.urls import reverse

from tests import factories


@pytest.fixture
def city_admin(db):
    return factories.CityAdminFactory(username="city_admin")


@pytest.fixture
def official_a(db):
    return factories.OfficialFactory(username="official_a", county=factories.make_county("341524"))


@pytest.fixture
def official_b(db):
    return factories.OfficialFactory(username="official_b", county=factories.make_county("341525"))


@pytest.fixture
def institution_staff(db):
    user = factories.InstitutionStaffFactory(username="institution_a")
    factories.InstitutionFactory(staff=[user])
    return user


@pytest.fixture
def employer(db):
    user = factories.EmployerStaffFactory(username="employer_a")
    factories.EmployerFactory(staff=[user])
    return user


@pytest.fixture
def worker(db):
    return factories.WorkerFactory(username="worker_a")


@pytest.fixture
def personas(city_admin, official_a, institution_staff, employer, worker):
    """One signed-in-able user per role, keyed by role value."""
    return {u.role: u for u in (city_admin, official_a, institution_staff, employer, worker)}


@pytest.fixture
def password_login(client):
    """`client.login` with a request, as django-axes needs one to count the attempt."""

    def login(username: str, password: str = factories.TEST_PASSWORD) -> bool:
        request = RequestFactory().post(reverse("login"))
        return client.login(request=request, username=username, password=password)

    return login


def _load_reference_data() -> None:
    """Put back the reference data migration's rows if a flush removed them (idempotent)."""
    if apps.get_model("reference", "Province").objects.exists():
        return
    migration = importlib.import_module("laborbrand.reference.migrations.0002_load_reference_data")
    migration.load(apps, None)


@pytest.fixture(scope="session")
def _reference_data_restored_after_session(django_db_setup, django_db_blocker):
    # Transactional tests empty every table afterwards, including the counties and occupations a data
    # migration loaded; with --reuse-db the next session would otherwise start without them.
    yield
    with django_db_blocker.unblock():
        _load_reference_data()


@pytest.fixture
def committed_db(_reference_data_restored_after_session, transactional_db):
    """Like `transactional_db` (rows are really committed, so other threads and processes see them), with
    the reference data in place."""
    _load_reference_data()


def pytest_configure(config):
    # WhiteNoise warns that STATIC_ROOT has not been collected; tests serve no static files.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
