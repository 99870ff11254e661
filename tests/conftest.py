"""Personas shared by every test: one user per role, officials of two different counties."""

import pytest

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
