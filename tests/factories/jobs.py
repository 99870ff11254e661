"""Factories of employers (verified or not), apprenticeships, job postings, worker profiles and job
applications."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from jobs.models import Application, Apprenticeship, Employer, JobPosting, WorkerProfile
from laborbrand.reference.models import Province
from tests.factories.accounts import EmployerStaffFactory, WorkerFactory
from tests.factories.admission import QualifiedInstitutionFactory
from tests.factories.helpers import (
    _first_staff_member,
    make_county,
    make_credit_code,
    make_level,
    make_occupations,
    make_province,
)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试机械有限公司{n}")
    credit_code = factory.Sequence(lambda n: make_credit_code(500_000 + n))
    province = factory.LazyFunction(lambda: Province.objects.get(code="340000"))
    city_name = "六安市"
    industry = "通用设备制造"
    contact_name = "孙经理"
    contact_phone = "0564-3345678"

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        if create and extracted:
            self.staff.add(*extracted)


# --- Jobs: apprenticeships ------------------------------------------------------------------------------


class ApprenticeshipFactory(factory.django.DjangoModelFactory):
    """An active apprenticeship of a new worker with a verified employer and a qualified institution, in the
    institution's first occupation toward level rank 3, started a month ago for a year, recorded by the
    employer's staff. Traits: `completed`, `ended`."""

    class Meta:
        model = Apprenticeship

    class Params:
        completed = factory.Trait(status=Apprenticeship.Status.COMPLETED)
        ended = factory.Trait(status=Apprenticeship.Status.ENDED)

    employer = factory.SubFactory(EmployerFactory, verified_at=factory.LazyFunction(timezone.now))
    institution = factory.SubFactory(QualifiedInstitutionFactory)
    worker = factory.SubFactory(WorkerFactory)
    occupation = factory.LazyAttribute(lambda a: a.institution.occupations.order_by("pk").first())
    target_level = factory.LazyFunction(make_level)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    end_date = factory.LazyAttribute(lambda a: a.start_date + datetime.timedelta(days=365))
    status = Apprenticeship.Status.ACTIVE
    created_by = factory.LazyAttribute(lambda a: _first_staff_member(a.employer, EmployerStaffFactory))


# --- Jobs: the board ------------------------------------------------------------------------------------


class VerifiedEmployerFactory(EmployerFactory):
    verified_at = factory.LazyFunction(timezone.now)


PostingStatus = JobPosting.Status


class JobPostingFactory(factory.django.DjangoModelFactory):
    """An open posting of a new verified employer in 金寨县 (安徽省), published now and open for 30 more
    days: a machining occupation, no minimum level, no brand, ¥6,000–8,000, no benefits. Status traits:
    `draft`, `closed`, `filled`, `expired` (status recorded), `lapsed` (still open, date passed yesterday),
    `taken_down`."""

    class Meta:
        model = JobPosting

    class Params:
        draft = factory.Trait(status=PostingStatus.DRAFT, published_at=None)
        closed = factory.Trait(status=PostingStatus.CLOSED)
        filled = factory.Trait(status=PostingStatus.FILLED)
        expired = factory.Trait(
            status=PostingStatus.EXPIRED,
            open_until=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1)),
        )
        lapsed = factory.Trait(
            open_until=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
        )
        taken_down = factory.Trait(status=PostingStatus.TAKEN_DOWN, taken_down_reason="虚假招聘信息。")

    employer = factory.SubFactory(VerifiedEmployerFactory)
    title = factory.Sequence(lambda n: f"数控车工{n}")
    occupation = factory.LazyFunction(lambda: make_occupations(1)[0])
    min_level = None
    brand = None
    headcount = 5
    salary_min = 6000
    salary_max = 8000
    province = factory.LazyFunction(make_province)
    city_name = "六安市"
    county = factory.LazyFunction(make_county)
    description = "负责数控车床操作，两班倒。"
    open_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = PostingStatus.OPEN
    published_at = factory.LazyFunction(timezone.now)


class WorkerProfileFactory(factory.django.DjangoModelFactory):
    """A complete profile of a new worker from 金寨县 wanting one machining occupation, seeking work."""

    class Meta:
        model = WorkerProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(WorkerFactory)
    home_county = factory.LazyFunction(make_county)
    experience_years = 3
    expected_salary = 6000

    @factory.post_generation
    def desired_occupations(self, create, extracted, **kwargs):
        if create:
            self.desired_occupations.set(make_occupations(1) if extracted is None else extracted)

    @factory.post_generation
    def preferred_provinces(self, create, extracted, **kwargs):
        if create and extracted:
            self.preferred_provinces.set(extracted)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted application of a new worker to a new open posting, with the consent given now (no events:
    the services write those)."""

    class Meta:
        model = Application

    posting = factory.SubFactory(JobPostingFactory)
    worker = factory.SubFactory(WorkerFactory)
    status = Application.Status.SUBMITTED
    consent_at = factory.LazyFunction(timezone.now)
    consent_text = factory.LazyAttribute(lambda a: f"我同意{a.posting.employer.name}获取我的求职信息。")
