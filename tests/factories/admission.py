"""Factories of training institutions (registered or qualified), their admission applications with
attachments and reviews, and the partner agreements counties sign with them."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from laborbrand.accounts.models import User
from tests.factories.accounts import CityAdminFactory, InstitutionStaffFactory, OfficialFactory
from tests.factories.helpers import (
    PDF_BYTES,
    _qualified_until,
    make_county,
    make_credit_code,
    make_occupations,
    pdf_file,
)
from training.models import (
    AdmissionApplication,
    ApplicationAttachment,
    ApplicationReview,
    Institution,
    PartnerAgreement,
)


class InstitutionFactory(factory.django.DjangoModelFactory):
    """A registered (not yet admitted) institution of 金寨县. Traits: `qualified` (for a year from today),
    `suspended`, `expired` (its date passed yesterday)."""

    class Meta:
        model = Institution
        skip_postgeneration_save = True

    class Params:
        qualified = factory.Trait(
            status=Institution.Status.QUALIFIED, qualified_until=factory.LazyFunction(_qualified_until)
        )
        suspended = factory.Trait(
            status=Institution.Status.SUSPENDED, qualified_until=factory.LazyFunction(_qualified_until)
        )
        expired = factory.Trait(
            status=Institution.Status.EXPIRED,
            qualified_until=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1)),
        )

    name = factory.Sequence(lambda n: f"测试职业培训学校{n}")
    kind = Institution.Kind.TECHNICAL_SCHOOL
    county = factory.LazyFunction(make_county)
    credit_code = factory.Sequence(make_credit_code)
    contact_name = "周老师"
    contact_phone = "0564-7012345"

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        if create and extracted:
            self.staff.add(*extracted)

    @factory.post_generation
    def occupations(self, create, extracted, **kwargs):
        if create and extracted:
            self.occupations.add(*extracted)


class QualifiedInstitutionFactory(InstitutionFactory):
    """Admitted (准入) for a year from today, for one machining occupation unless `occupations` are given."""

    status = Institution.Status.QUALIFIED
    qualified_until = factory.LazyFunction(_qualified_until)

    @factory.post_generation
    def occupations(self, create, extracted, **kwargs):
        if create:
            self.occupations.add(*(make_occupations(1) if extracted is None else extracted))


AppStatus = AdmissionApplication.Status


def _institution_staff_member(obj) -> User:
    """The institution's first staff member, else a new one."""
    institution = obj.application.institution
    user = institution.staff.order_by("pk").first()
    if user is None:
        user = InstitutionStaffFactory()
        institution.staff.add(user)
    return user


class AdmissionApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application of a new institution, for one machining occupation. Status traits: `submitted`,
    `under_review`, `changes_requested`, `approved`, `rejected` (with the times those states imply; no
    events, reviews or attachments: add them with their own factories)."""

    class Meta:
        model = AdmissionApplication
        skip_postgeneration_save = True

    class Params:
        submitted = factory.Trait(status=AppStatus.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now))
        under_review = factory.Trait(
            status=AppStatus.UNDER_REVIEW, submitted_at=factory.LazyFunction(timezone.now)
        )
        changes_requested = factory.Trait(
            status=AppStatus.CHANGES_REQUESTED,
            submitted_at=factory.LazyFunction(timezone.now),
            decided_at=factory.LazyFunction(timezone.now),
        )
        approved = factory.Trait(
            status=AppStatus.APPROVED,
            submitted_at=factory.LazyFunction(timezone.now),
            decided_at=factory.LazyFunction(timezone.now),
        )
        rejected = factory.Trait(
            status=AppStatus.REJECTED,
            submitted_at=factory.LazyFunction(timezone.now),
            decided_at=factory.LazyFunction(timezone.now),
        )

    institution = factory.SubFactory(InstitutionFactory)
    status = AppStatus.DRAFT
    teacher_count = 40
    double_qualified_share = 60
    senior_title_count = 8
    training_space_m2 = 3200
    equipment = "数控车床 12 台\n工业机器人 4 台"
    partner_employers = "安徽合力股份有限公司\n六安江淮电机有限公司"
    placement_rate = 92

    @factory.post_generation
    def occupations(self, create, extracted, **kwargs):
        if create:
            self.occupations.set(make_occupations(1) if extracted is None else extracted)


class ApplicationAttachmentFactory(factory.django.DjangoModelFactory):
    """A small real PDF of faculty evidence, uploaded in the application's current round by one of the
    institution's staff."""

    class Meta:
        model = ApplicationAttachment

    application = factory.SubFactory(AdmissionApplicationFactory)
    criterion = ApplicationAttachment.Criterion.FACULTY
    file = factory.LazyFunction(pdf_file)
    name = "evidence.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    round = factory.LazyAttribute(lambda a: a.application.round)
    uploaded_by = factory.LazyAttribute(_institution_staff_member)


class ApplicationReviewFactory(factory.django.DjangoModelFactory):
    """An approval of an approved application's current round, every criterion met."""

    class Meta:
        model = ApplicationReview

    application = factory.SubFactory(AdmissionApplicationFactory, approved=True)
    round = factory.LazyAttribute(lambda r: r.application.round)
    reviewer = factory.SubFactory(CityAdminFactory)
    faculty_verdict = ApplicationReview.Verdict.MEETS
    facilities_verdict = ApplicationReview.Verdict.MEETS
    employment_verdict = ApplicationReview.Verdict.MEETS
    decision = ApplicationReview.Decision.APPROVE
    reason = "三项条件均符合准入要求。"
    qualified_until = factory.LazyFunction(_qualified_until)


def _county_official(agreement) -> User:
    return User.objects.officials().filter(county=agreement.county).order_by("pk").first() or OfficialFactory(
        county=agreement.county
    )


class PartnerAgreementFactory(factory.django.DjangoModelFactory):
    """An agreement of 金寨县 with a qualified institution, signed and filed on 1 March last year (on time),
    with no brands unless `brands` are given."""

    class Meta:
        model = PartnerAgreement
        skip_postgeneration_save = True

    county = factory.LazyFunction(make_county)
    institution = factory.SubFactory(QualifiedInstitutionFactory)
    signed_on = factory.LazyFunction(lambda: datetime.date(timezone.localdate().year - 1, 3, 1))
    filed_on = factory.LazyAttribute(lambda a: a.signed_on)
    document = factory.LazyFunction(lambda: pdf_file("agreement.pdf"))
    created_by = factory.LazyAttribute(_county_official)

    @factory.post_generation
    def brands(self, create, extracted, **kwargs):
        if create and extracted:
            self.brands.set(extracted)
