"""Factories of training programmes (checked against a brand's measured standards) and enrolments, ethics
sessions, assessments and certificates."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from brands.models import Brand, BrandStandard
from laborbrand.accounts.models import User
from tests.factories.accounts import CityAdminFactory, InstitutionStaffFactory, OfficialFactory, WorkerFactory
from tests.factories.admission import QualifiedInstitutionFactory
from tests.factories.brands import BrandStandardFactory, CultivatingBrandFactory
from tests.factories.helpers import _first_staff_member, make_county, make_level, make_occupations
from training.models import (
    Assessment,
    Certificate,
    Enrollment,
    EthicsAttendance,
    EthicsSession,
    TrainingProgram,
    certificate_number,
    passes,
)

# --- Training: programmes and enrolment -----------------------------------------------------------------

ProgramStatus = TrainingProgram.Status
EnrollmentStatus = Enrollment.Status
Measure = BrandStandard.Measure


def add_measured_standards(brand: Brand, *, months: int = 3, share: int = 50, level: int = 3) -> Brand:
    """Give the brand the three measurable targets programmes are checked against (months of training,
    practical-hours share in %, minimum level rank); pass None to leave one out."""
    for measure, target in (
        (Measure.MIN_TRAINING_MONTHS, months),
        (Measure.MIN_PRACTICAL_SHARE, share),
        (Measure.MIN_CERTIFICATE_LEVEL, level),
    ):
        if target is not None:
            BrandStandardFactory(
                brand=brand, dimension=BrandStandard.Dimension.SKILL, measure=measure, target=target
            )
    return brand


def _program_start():
    return timezone.localdate() + datetime.timedelta(days=30)


def _program_end(program) -> datetime.date:
    """Four whole months after the start (the day before the same day four months on)."""
    start = program.start_date
    year, month = divmod(start.month - 1 + 4, 12)
    return datetime.date(start.year + year, month + 1, min(start.day, 28)) - datetime.timedelta(days=1)


class TrainingProgramFactory(factory.django.DjangoModelFactory):
    """A planned programme of a qualified institution for a cultivating brand (no measurable standards
    unless given; see add_measured_standards) and the brand's first occupation, to level 3 (四级… rank 3),
    120 hours of which 60% practical, four months starting in 30 days, 20 places.
    Status traits: `enrolling`, `running`, `completed`."""

    class Meta:
        model = TrainingProgram
        skip_postgeneration_save = True

    class Params:
        enrolling = factory.Trait(status=ProgramStatus.ENROLLING)
        running = factory.Trait(status=ProgramStatus.RUNNING)
        completed = factory.Trait(status=ProgramStatus.COMPLETED)

    institution = factory.SubFactory(QualifiedInstitutionFactory)
    brand = factory.SubFactory(CultivatingBrandFactory)
    occupation = factory.LazyAttribute(lambda p: p.brand.occupations.order_by("pk").first())
    target_level = factory.LazyFunction(make_level)
    title = factory.Sequence(lambda n: f"测试培训班{n}")
    theory_hours = 48
    practical_hours = 48
    practice_hours = 24
    start_date = factory.LazyFunction(_program_start)
    end_date = factory.LazyAttribute(_program_end)
    capacity = 20
    place = "金寨县梅山镇实训基地"
    status = ProgramStatus.PLANNED

    @factory.post_generation
    def admitted(self, create, extracted, **kwargs):
        """The institution is admitted for the programme's occupation (programmes are only run for those)."""
        if create:
            self.institution.occupations.add(self.occupation)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """A worker's pending application to an enrolling programme. Status traits: `accepted`, `declined`,
    `withdrawn`, `completed` (passed with 85 theory and 80 practical points, completed now)."""

    class Meta:
        model = Enrollment

    class Params:
        accepted = factory.Trait(status=EnrollmentStatus.ACCEPTED)
        declined = factory.Trait(status=EnrollmentStatus.DECLINED)
        withdrawn = factory.Trait(status=EnrollmentStatus.WITHDRAWN)
        completed = factory.Trait(
            status=EnrollmentStatus.COMPLETED,
            theory_score=Decimal("85.0"),
            practical_score=Decimal("80.0"),
            passed=True,
            completed_at=factory.LazyFunction(timezone.now),
        )

    program = factory.SubFactory(TrainingProgramFactory, enrolling=True)
    worker = factory.SubFactory(WorkerFactory)
    status = EnrollmentStatus.APPLIED


# --- Training: ethics sessions, assessments, certificates -----------------------------------------------


def _ethics_recorder(session) -> User:
    if session.institution is not None:
        return _first_staff_member(session.institution, InstitutionStaffFactory)
    if session.county is not None:
        return User.objects.officials().filter(county=session.county).order_by("pk").first() or (
            OfficialFactory(county=session.county)
        )
    return User.objects.with_role(User.Role.CITY_ADMIN).order_by("pk").first() or CityAdminFactory()


class EthicsSessionFactory(factory.django.DjangoModelFactory):
    """A two-hour session held a week ago, organised by 金寨县 for a new cultivating brand of the county.
    Pass `institution=...` for an institution's session, `county=None` for the city bureau's; `brands`
    replaces the brand, `attendees` records workers as present."""

    class Meta:
        model = EthicsSession
        skip_postgeneration_save = True

    held_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    topic = factory.Sequence(lambda n: f"诚信服务与职业操守{n}")
    speaker = "王师傅"
    speaker_title = "全国劳动模范"
    place = "金寨县人社局报告厅"
    hours = Decimal("2.0")
    institution = None
    county = factory.LazyAttribute(lambda s: None if s.institution else make_county())
    created_by = factory.LazyAttribute(_ethics_recorder)

    @factory.post_generation
    def brands(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [CultivatingBrandFactory(county=self.county or make_county())]
        self.brands.set(extracted)

    @factory.post_generation
    def attendees(self, create, extracted, **kwargs):
        if create and extracted:
            EthicsAttendance.objects.bulk_create(EthicsAttendance(session=self, worker=w) for w in extracted)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A passed assessment (80 theory, 75 practical) yesterday by a qualified institution in its first
    occupation, at level rank 3, with no certificate (CertificateFactory adds one). Trait: `failed` (50
    theory)."""

    class Meta:
        model = Assessment

    class Params:
        failed = factory.Trait(theory_score=Decimal("50.0"))

    institution = factory.SubFactory(QualifiedInstitutionFactory)
    worker = factory.SubFactory(WorkerFactory)
    occupation = factory.LazyAttribute(lambda a: a.institution.occupations.order_by("pk").first())
    level = factory.LazyFunction(make_level)
    assessed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    theory_score = Decimal("80.0")
    practical_score = Decimal("75.0")
    passed = factory.LazyAttribute(lambda a: passes(a.theory_score, a.practical_score))
    created_by = factory.LazyAttribute(lambda a: _first_staff_member(a.institution, InstitutionStaffFactory))


class CertificateFactory(factory.django.DjangoModelFactory):
    """A valid certificate of a passed assessment, with the assessment's worker, issuer, occupation and level.
    Its serial starts at 5,000,000 so it never meets one the services draw (from 1). Trait: `revoked`."""

    class Meta:
        model = Certificate

    class Params:
        revoked = factory.Trait(
            status=Certificate.Status.REVOKED,
            revoked_at=factory.LazyFunction(timezone.now),
            revoked_by=factory.LazyAttribute(lambda c: c.assessment.created_by),
            revoke_reason="证书材料造假，予以撤销。",
        )

    assessment = factory.SubFactory(AssessmentFactory)
    number = factory.LazyAttributeSequence(lambda c, n: certificate_number(c.issued_on.year, 5_000_000 + n))
    worker = factory.LazyAttribute(lambda c: c.assessment.worker)
    institution = factory.LazyAttribute(lambda c: c.assessment.institution)
    occupation = factory.LazyAttribute(lambda c: c.assessment.occupation)
    level = factory.LazyAttribute(lambda c: c.assessment.level)
    issued_on = factory.LazyAttribute(lambda c: c.assessment.assessed_on)
    status = Certificate.Status.VALID
    source = Certificate.Source.PORTAL
    evaluation_body = factory.LazyAttribute(lambda c: c.assessment.institution.name)
    recorded_by = factory.LazyAttribute(lambda c: c.assessment.created_by)


# --- National certificates (issue 16) --------------------------------------------------------------------


def _national_recorder(certificate) -> User:
    if certificate.institution is None:
        return CityAdminFactory()
    return _first_staff_member(certificate.institution, InstitutionStaffFactory)


def _national_occupation(certificate):
    if certificate.institution is None:
        return make_occupations(1)[0]
    return certificate.institution.occupations.order_by("pk").first()


class NationalCertificateFactory(factory.django.DjangoModelFactory):
    """A valid national certificate recorded as printed by a qualified institution's staff, a year after its
    issue: a 22-character number (S and 21 digits), the institution as evaluation body, the institution's
    first occupation at level rank 3. With `institution=None` a city admin recorded it for the city bureau.
    Traits: `imported`, `revoked`."""

    class Meta:
        model = Certificate

    class Params:
        imported = factory.Trait(source=Certificate.Source.IMPORTED)
        revoked = factory.Trait(
            status=Certificate.Status.REVOKED,
            revoked_at=factory.LazyFunction(timezone.now),
            revoked_by=factory.LazyAttribute(lambda c: c.recorded_by),
            revoke_reason="证书编号在全国证书查询系统中查无此证。",
        )

    number = factory.Sequence(lambda n: f"S00003400000123{n:07d}")
    source = Certificate.Source.RECORDED
    worker = factory.SubFactory(WorkerFactory)
    institution = factory.SubFactory(QualifiedInstitutionFactory)
    evaluation_body = factory.LazyAttribute(
        lambda c: c.institution.name if c.institution is not None else "六安市职业技能等级认定中心"
    )
    occupation = factory.LazyAttribute(_national_occupation)
    level = factory.LazyFunction(make_level)
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    recorded_by = factory.LazyAttribute(_national_recorder)
    status = Certificate.Status.VALID
