"""Two people recording national certificates at the same moment, each on their own database connection:
one number is recorded once, and one person cannot end up with two valid certificates for a qualification
(nor with two worker records). PostgreSQL only (row locks)."""

import pytest
from django.db import connection

from laborbrand.accounts.models import User
from tests import factories
from tests.training.national_certificate_helpers import ID_NUMBER, NUMBER, OTHER_NUMBER, facts
from tests.training.test_concurrency import at_once
from training.models import Certificate
from training.services.certificates import national_certificate_record

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks (SELECT … FOR UPDATE): PostgreSQL only"
)


@pytest.fixture
def recorders(committed_db):
    """A city admin, and staff of a qualified institution."""
    staff = factories.InstitutionStaffFactory()
    institution = factories.QualifiedInstitutionFactory(staff=[staff])
    return [(factories.CityAdminFactory(), None), (staff, institution)]


def recording(actor, institution, **overrides):
    def prepare():
        def act():
            national_certificate_record(actor=actor, institution=institution, **facts(**overrides))

        return act

    return prepare


def test_one_number_recorded_twice_at_once_is_recorded_once(recorders):
    worker = factories.WorkerFactory()
    (admin, _none), (staff, institution) = recorders

    outcomes = at_once(
        recording(admin, None),
        recording(staff, institution, real_name=worker.real_name, id_number=worker.id_number),
    )

    assert sorted(outcomes) == ["done", "refused"]
    assert Certificate.objects.filter(number=NUMBER).count() == 1


def test_one_new_persons_qualification_recorded_twice_at_once_gives_one_record_and_one_certificate(recorders):
    (admin, _none), (staff, institution) = recorders

    outcomes = at_once(recording(admin, None), recording(staff, institution, number=OTHER_NUMBER))

    assert sorted(outcomes) == ["done", "refused"]
    assert User.objects.by_id_number(ID_NUMBER).count() == 1
    assert Certificate.objects.valid().count() == 1
