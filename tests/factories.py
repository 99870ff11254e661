"""factory_boy factories, one per model. Personal identifiers are generated with valid check digits."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from stdnum.cn import uscc

from brands.models import Brand, BrandNews, BrandStandard
from jobs.models import Application, Apprenticeship, Employer, JobPosting, WorkerProfile
from laborbrand.accounts import pii
from laborbrand.accounts.models import Notification, User
from laborbrand.reference.models import County, Occupation, OccupationCategory, Province, SkillLevel
from training.models import (
    AdmissionApplication,
    ApplicationAttachment,
    ApplicationReview,
    Assessment,
    Certificate,
    Enrollment,
    EthicsAttendance,
    EthicsSession,
    Institution,
    PartnerAgreement,
    TrainingProgram,
    certificate_number,
    passes,
)

TEST_PASSWORD = "Test#pass2026"


def make_id_number(n: int, *, birth: str | None = None, region: str = "341524") -> str:
    """A valid 18-character ID number; `n` makes it unique. Without `birth`, people are born on
    consecutive days from 2000-01-01."""
    if birth is None:
        birth = (datetime.date(2000, 1, 1) + datetime.timedelta(days=n // 1000)).strftime("%Y%m%d")
    body = f"{region}{birth}{n % 1000:03d}"
    return body + pii.id_number_check_character(body)


def make_id_number_ending_in_x() -> str:
    """A valid ID number whose check character is X (people type it as lower-case x)."""
    return next(number for n in range(1000) if (number := make_id_number(n, birth="20010203")).endswith("X"))


def make_phone(n: int) -> str:
    return f"139{n:08d}"


def make_credit_code(n: int) -> str:
    body = f"91341500MA{n:07d}"
    return body + uscc.calc_check_digit(body)


def make_county(code: str = "341524") -> County:
    return County.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    role = User.Role.WORKER
    password = factory.django.Password(TEST_PASSWORD)


class WorkerFactory(UserFactory):
    role = User.Role.WORKER
    id_number = factory.Sequence(make_id_number)
    phone = factory.Sequence(make_phone)
    privacy_consent_at = factory.Faker("date_time", tzinfo=datetime.UTC)


class CityAdminFactory(UserFactory):
    role = User.Role.CITY_ADMIN


class OfficialFactory(UserFactory):
    role = User.Role.COUNTY_OFFICIAL
    county = factory.LazyFunction(make_county)


class InstitutionStaffFactory(UserFactory):
    role = User.Role.INSTITUTION_STAFF


class EmployerStaffFactory(UserFactory):
    role = User.Role.EMPLOYER


def _qualified_until():
    return timezone.localdate() + datetime.timedelta(days=365)


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


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(WorkerFactory)
    title = factory.Sequence(lambda n: f"通知{n}")
    body = "正文"


# --- Brands ---------------------------------------------------------------------------------------------

BrandStatus = Brand.Status


def make_category(slug: str = "machining") -> OccupationCategory:
    return OccupationCategory.objects.get(slug=slug)


def _brand_author(brand) -> User:
    """An active official of the brand's county (the first one there, e.g. official_a), else a new one."""
    return User.objects.officials().filter(county=brand.county).order_by("pk").first() or OfficialFactory(
        county=brand.county
    )


class BrandFactory(factory.django.DjangoModelFactory):
    """A brand of 金寨县 (341524). Status traits: `submitted`, `returned`, `cultivating`, `recognised`,
    `rejected`, `retired`; every status but draft gets one standard per dimension, as submitting needs them
    (pass `standards=False` for none, `standards=True` to add them to a draft)."""

    class Meta:
        model = Brand
        skip_postgeneration_save = True

    class Params:
        submitted = factory.Trait(status=BrandStatus.SUBMITTED)
        returned = factory.Trait(status=BrandStatus.RETURNED)
        cultivating = factory.Trait(status=BrandStatus.CULTIVATING)
        recognised = factory.Trait(status=BrandStatus.RECOGNISED)
        rejected = factory.Trait(status=BrandStatus.REJECTED)
        retired = factory.Trait(status=BrandStatus.RETIRED)

    name = factory.Sequence(lambda n: f"测试品牌{n}")
    slug = factory.LazyAttribute(lambda b: slugify(b.name, allow_unicode=True))
    county = factory.LazyFunction(make_county)
    category = factory.LazyFunction(make_category)
    description = "以精湛技艺闻名的劳务品牌。"
    status = BrandStatus.DRAFT
    created_by = factory.LazyAttribute(_brand_author)

    @factory.post_generation
    def occupations(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = list(self.category.occupations.all()[:1])
        self.occupations.set(extracted)

    @factory.post_generation
    def standards(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = self.status != BrandStatus.DRAFT
        if extracted:
            for dimension in BrandStandard.Dimension.values:
                BrandStandardFactory(brand=self, dimension=dimension)


class DraftBrandFactory(BrandFactory):
    status = BrandStatus.DRAFT


class SubmittedBrandFactory(BrandFactory):
    status = BrandStatus.SUBMITTED


class ReturnedBrandFactory(BrandFactory):
    status = BrandStatus.RETURNED


class CultivatingBrandFactory(BrandFactory):
    status = BrandStatus.CULTIVATING


class RecognisedBrandFactory(BrandFactory):
    status = BrandStatus.RECOGNISED


class RejectedBrandFactory(BrandFactory):
    status = BrandStatus.REJECTED


class RetiredBrandFactory(BrandFactory):
    status = BrandStatus.RETIRED


class BrandStandardFactory(factory.django.DjangoModelFactory):
    """A standard without a measurable target; pass `measure` and `target` for one (or use `measured`)."""

    class Meta:
        model = BrandStandard

    class Params:
        measured = factory.Trait(measure=BrandStandard.Measure.MIN_TRAINING_MONTHS, target=3)

    brand = factory.SubFactory(DraftBrandFactory, standards=False)
    dimension = BrandStandard.Dimension.ETHICS
    requirement = factory.Sequence(lambda n: f"标准要求{n}：遵守职业道德，诚信服务。")
    measure = ""
    target = None
    order = factory.Sequence(lambda n: n)


class BrandNewsFactory(factory.django.DjangoModelFactory):
    """A draft news item of a cultivating brand; `published` publishes it."""

    class Meta:
        model = BrandNews

    class Params:
        published = factory.Trait(
            status=BrandNews.Status.PUBLISHED, published_at=factory.LazyFunction(timezone.now)
        )

    brand = factory.SubFactory(CultivatingBrandFactory)
    title = factory.Sequence(lambda n: f"品牌动态{n}")
    summary = "简讯"
    body = "本月完成一期培训。"
    status = BrandNews.Status.DRAFT
    published_at = None
    author = factory.LazyAttribute(lambda news: news.brand.created_by)


def make_occupations(n: int = 1, category: str = "machining") -> list[Occupation]:
    return list(Occupation.objects.filter(category__slug=category)[:n])


# --- Training: admission --------------------------------------------------------------------------------

# The smallest file `filetype` recognises as a PDF.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

AppStatus = AdmissionApplication.Status


def pdf_file(name: str = "evidence.pdf") -> ContentFile:
    return ContentFile(PDF_BYTES, name=name)


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


# --- Training: programmes and enrolment -----------------------------------------------------------------

ProgramStatus = TrainingProgram.Status
EnrollmentStatus = Enrollment.Status
Measure = BrandStandard.Measure


def make_level(rank: int = 3) -> SkillLevel:
    return SkillLevel.objects.get(rank=rank)


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


def _first_staff_member(organisation, staff_factory) -> User:
    """The organisation's first staff member, else a new one."""
    user = organisation.staff.order_by("pk").first()
    if user is None:
        user = staff_factory()
        organisation.staff.add(user)
    return user


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


def make_province(code: str = "340000") -> Province:
    return Province.objects.get(code=code)


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
