"""Two assessors recording passes at the same moment, each on their own database connection: the year's
serial row is locked while a number is drawn, so they get different numbers; and one worker cannot end up
with two valid certificates for the same occupation and level. PostgreSQL only (row locks)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from tests import factories
from tests.training.test_concurrency import at_once
from training.models import CERTIFICATE_NUMBER_RE, Certificate, CertificateSerial, Institution
from training.services.certificates import assessment_record

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks (SELECT … FOR UPDATE): PostgreSQL only"
)

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def assessors(committed_db):
    """Two staff members of one qualified institution."""
    staff = [factories.InstitutionStaffFactory(), factories.InstitutionStaffFactory()]
    institution = factories.QualifiedInstitutionFactory(staff=staff)
    return institution, staff


def assessing(institution, actor, worker):
    def prepare():
        seen = Institution.objects.get(pk=institution.pk)

        def act():
            assessment_record(
                institution=seen,
                actor=actor,
                worker=worker,
                occupation=seen.occupations.get(),
                level=factories.make_level(3),
                assessed_on=YESTERDAY,
                theory_score=Decimal("88"),
                practical_score=Decimal("90"),
            )

        return act

    return prepare


@pytest.mark.parametrize("run", range(3))
def test_passes_at_the_same_moment_get_consecutive_numbers(assessors, run):
    institution, staff = assessors
    if run == 2:  # the year's serial row exists already
        CertificateSerial.objects.create(year=YESTERDAY.year, last=41)
    workers = factories.WorkerFactory.create_batch(2)

    outcomes = at_once(*(assessing(institution, s, w) for s, w in zip(staff, workers, strict=True)))

    assert outcomes == ["done", "done"]
    serials = sorted(
        int(CERTIFICATE_NUMBER_RE.match(n)[2]) for n in Certificate.objects.values_list("number", flat=True)
    )
    first = 42 if run == 2 else 1
    assert serials == [first, first + 1]
    assert CertificateSerial.objects.get(year=YESTERDAY.year).last == first + 1


def test_one_worker_assessed_twice_at_once_gets_one_certificate(assessors):
    institution, staff = assessors
    worker = factories.WorkerFactory()

    outcomes = at_once(assessing(institution, staff[0], worker), assessing(institution, staff[1], worker))

    assert sorted(outcomes) == ["done", "refused"]
    assert Certificate.objects.valid().filter(worker=worker).count() == 1
