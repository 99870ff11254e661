"""Personas shared by every test: one user per role, officials of two different counties."""

import importlib
import sys
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from laborbrand import sms
from tests import factories


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counts (the public certificate check) start from nothing in every test."""
    cache.clear()


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    """Each test reads only the text messages it sent (the locmem SMS backend, as mail.outbox)."""
    sms.outbox.clear()


@pytest.fixture
def city_admin(db):
    return factories.CityAdminFactory(username="city_admin")


@pytest.fixture
def leading_member(db):
    """A member of the programme's leading group from another department (read-only)."""
    return factories.LeadingGroupMemberFactory(username="leading_a", real_name="王财政")


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
def institution_a(institution_staff):
    """institution_staff's institution (金寨县, registered, not yet admitted)."""
    return institution_staff.institutions.get()


@pytest.fixture
def institution_b_staff(db):
    """Staff of another institution (霍山县), with their own institution."""
    user = factories.InstitutionStaffFactory(username="institution_b")
    factories.InstitutionFactory(staff=[user], county=factories.make_county("341525"))
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
def personas(city_admin, official_a, institution_staff, employer, worker, leading_member):
    """One signed-in-able user per role, keyed by role value."""
    return {u.role: u for u in (city_admin, official_a, institution_staff, employer, worker, leading_member)}


@pytest.fixture
def password_login(client):
    """`client.login` with a request, as django-axes needs one to count the attempt."""

    def login(username: str, password: str = factories.TEST_PASSWORD) -> bool:
        request = RequestFactory().post(reverse("login"))
        return client.login(request=request, username=username, password=password)

    return login


def _load_reference_data() -> None:
    """Put back the data migrations' rows if a flush removed them (idempotent): reference data and the
    city's default brand recognition criteria."""
    if not apps.get_model("reference", "Province").objects.exists():
        migration = importlib.import_module("laborbrand.reference.migrations.0002_load_reference_data")
        migration.load(apps, None)
    importlib.import_module("brands.migrations.0002_default_recognition_criteria").load(apps, None)


@pytest.fixture(scope="session")
def _reference_data_restored_after_session(django_db_setup, django_db_blocker):
    # Transactional tests empty every table afterwards, including the counties, occupations and recognition
    # criteria data migrations loaded; with --reuse-db the next session would otherwise start without them.
    yield
    with django_db_blocker.unblock():
        _load_reference_data()


@pytest.fixture
def committed_db(_reference_data_restored_after_session, transactional_db):
    """Like `transactional_db` (rows are really committed, so other threads and processes see them), with
    the reference data in place."""
    _load_reference_data()


T = TypeVar("T")


@pytest.fixture(scope="session")
def shared_rows(django_db_setup, django_db_blocker) -> Callable[[Callable[[], T]], Iterator[T]]:
    """Rows made once for several tests, as Django's TestCase.setUpTestData: in a class- or module-scoped
    fixture, `yield from shared_rows(make)` runs `make()` in a transaction that stays open while the tests of
    the class (module) run and is rolled back after the last; each test runs in a savepoint of it (the `db`
    fixture), so what one test changes is undone before the next. Hand each test a `copy.deepcopy` of the
    objects (a function-scoped fixture). Every test of that class (module) then sees the rows, whether it asks
    for them or not; and none may be transactional (`transactional_db`, `live_server`)."""

    def share(make: Callable[[], T]) -> Iterator[T]:
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                made = make()
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(*sys.exc_info())
                raise
        try:
            yield made
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)

    return share


@pytest.fixture
def recognition_criteria(db):
    """The city's default recognition criteria (a data migration's rows; a flush may have removed them)."""
    importlib.import_module("brands.migrations.0002_default_recognition_criteria").load(apps, None)
    return list(apps.get_model("brands", "RecognitionCriterion").objects.order_by("pk"))


@pytest.fixture
def brand_a(official_a):
    """A draft brand of official_a's county (金寨县), with no standards yet."""
    return factories.DraftBrandFactory(name="金寨红嫂家政", county=official_a.county, created_by=official_a)


@pytest.fixture
def brand_b(official_b):
    """A draft brand of official_b's county (霍山县), with one standard per dimension."""
    return factories.DraftBrandFactory(
        name="霍山茶艺", county=official_b.county, created_by=official_b, standards=True
    )


@pytest.fixture
def qualified_institution_a(institution_a):
    """institution_a (institution_staff's), admitted for a year from today for the first machining occupation
    (the one brand factories give their brands)."""
    institution_a.status = institution_a.Status.QUALIFIED
    institution_a.qualified_until = factories._qualified_until()
    institution_a.save(update_fields=["status", "qualified_until"])
    institution_a.occupations.add(*factories.make_occupations(1))
    return institution_a


@pytest.fixture
def measured_brand(db):
    """A cultivating brand of 金寨县 asking for at least 3 months of training, 50% practical hours and
    level rank 3."""
    return factories.add_measured_standards(
        factories.CultivatingBrandFactory(name="金寨家政", standards=False), months=3, share=50, level=3
    )


@pytest.fixture
def program_a(qualified_institution_a, measured_brand):
    """An enrolling programme of institution_a for measured_brand that meets its standards."""
    return factories.TrainingProgramFactory(
        institution=qualified_institution_a, brand=measured_brand, enrolling=True, title="金寨家政培训班"
    )


def pytest_configure(config):
    # WhiteNoise warns that STATIC_ROOT has not been collected; tests serve no static files.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
