"""The nightly-matching benchmark's synthetic city (bench_matching): seeking workers with profiles,
certificates, brand training and applications, and open postings over the benchmark's own occupations,
brands and locations. On PostgreSQL the rows go in with COPY (100,000 workers in about 25 s), elsewhere with
bulk_create. No history records or notifications are written, as for data nobody ever edited. Every row is
marked as bench/marks.py says."""

from __future__ import annotations

import datetime
import io
import random
from collections import defaultdict
from decimal import Decimal

from django.core.management.base import CommandError
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from bench.marks import ADMIN_USERNAME, CATEGORY_SLUG, EMAIL_DOMAIN, WORKER_USERNAME
from bench.postings import MARKER, NAME_PREFIX, PARTNER_PROVINCES, Loader, bench_credit_code
from brands.models import Brand
from jobs.models import Application, JobPosting, WorkerProfile
from laborbrand.accounts.models import User
from laborbrand.reference.models import County, Occupation, OccupationCategory, Province, SkillLevel
from training.models import Assessment, Certificate, Enrollment, Institution, TrainingProgram

CATEGORIES = 20
OCCUPATIONS_PER_CATEGORY = 3
BRANDS = 12
EMPLOYERS = 300  # at most; one per ten postings
# The 30 locations: the city's 7 counties, the city without a county, 3 other cities of its province, and 19
# cities in partner provinces (PARTNER_PROVINCES).
HOME_PROVINCE_CITIES = ("合肥市", "芜湖市", "安庆市")
COUNTY_SHARE = 0.7  # of postings; the rest spread over the other 23 locations

# Workers
NO_HOME_COUNTY = 0.1
SALARY_UNKNOWN = 0.3
ACCEPTS_OTHER_PROVINCE = 0.4
PREFERS_PROVINCES = 0.3  # of those who accept another province
OTHER_CATEGORY = 0.08  # a desired occupation outside the worker's main category
CERTIFICATES = {0: 55, 1: 33, 2: 12}  # workers holding 0, 1 or 2 valid certificates
LEVEL_WEIGHTS = (5, 4, 3, 1.5, 0.5)  # levels 1..5 of a certificate
TRAINED_IN_BRAND = 0.08  # passed a brand's programme: a brand member
APPLIED = 0.05  # workers who applied to 1–3 postings already
APPLICATION_STATUSES = {
    Application.Status.SUBMITTED: 50,
    Application.Status.VIEWED: 15,
    Application.Status.INTERVIEW: 10,
    Application.Status.OFFERED: 5,
    Application.Status.HIRED: 5,
    Application.Status.REJECTED: 10,
    Application.Status.WITHDRAWN: 5,
}
CONSENT_TEXT = "本人同意将求职资料提供给该用人单位，用于本次招聘。"
COPY_ROWS = 50_000


class PostingLoader(Loader):
    """bench_load_postings' postings, but all open, over the benchmark's occupations, brands and locations."""

    status_weights = {JobPosting.Status.OPEN: 1}
    lapsed_share = 0

    def __init__(self, rng, occupations, brands, locations):
        super().__init__(rng)
        self.occupations = occupations
        self.occupation_weights = popularity(len(occupations))
        self.brands = brands
        self.locations = [place[:3] for place in locations]
        self.location_weights = [place[3] for place in locations]

    def _location(self, employer):
        return self.rng.choices(self.locations, weights=self.location_weights)[0]


def popularity(n: int) -> list[float]:
    """Some occupations are wanted and offered more than others, not overwhelmingly so."""
    return [1 / (rank + 1) ** 0.5 for rank in range(n)]


class CityBuilder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.workers = 0
        self.levels = list(SkillLevel.objects.order_by("rank"))
        self.counties = list(County.objects.order_by("code"))
        if not self.levels or not self.counties:
            raise CommandError("The reference data has no skill levels or counties: run migrate first.")

    # Reference rows, employers and postings

    def build_reference(self, postings: int) -> None:
        rng = self.rng
        with transaction.atomic():
            self.admin = User.objects.create(
                username=ADMIN_USERNAME,
                email=f"admin@{EMAIL_DOMAIN}",
                role=User.Role.CITY_ADMIN,
                is_active=False,
                password="!",  # noqa: S106  (unusable: nobody signs in as the benchmark)
            )
            categories = OccupationCategory.objects.bulk_create(
                OccupationCategory(
                    slug=CATEGORY_SLUG.format(i), name=f"{NAME_PREFIX}类别{i:02d}", order=900 + i
                )
                for i in range(1, CATEGORIES + 1)
            )
            occupations = Occupation.objects.bulk_create(
                Occupation(category=category, name=f"{NAME_PREFIX}工种{c:02d}-{i}")
                for c, category in enumerate(categories, start=1)
                for i in range(1, OCCUPATIONS_PER_CATEGORY + 1)
            )
            self.occupations = occupations
            self.by_category = defaultdict(list)
            for occupation in occupations:
                self.by_category[occupation.category_id].append(occupation)
            # Workers want popular occupations more, as employers offer them more (another order than the
            # postings', so supply and demand do not line up exactly).
            self.worker_occupations = rng.sample(occupations, len(occupations))
            self.worker_weights = popularity(len(occupations))

            self.institution = Institution.objects.bulk_create(
                [
                    Institution(
                        name=f"{NAME_PREFIX}职业技能评价中心",
                        kind=Institution.Kind.VOCATIONAL_COLLEGE,
                        county=self.counties[0],
                        credit_code=bench_credit_code(self.counties[0].city.code, 1),
                        contact_name="王老师",
                        contact_phone="0564-3300000",
                        status=Institution.Status.QUALIFIED,
                        qualified_until=self.today + datetime.timedelta(days=365),
                    )
                ]
            )[0]
            Institution.occupations.through.objects.bulk_create(
                Institution.occupations.through(institution_id=self.institution.pk, occupation_id=o.pk)
                for o in occupations
            )
            brand_categories = rng.sample(categories, BRANDS)
            brands = Brand.objects.bulk_create(
                Brand(
                    name=f"{NAME_PREFIX}品牌{i:02d}",
                    slug=f"bench-brand-{i:02d}",
                    county=rng.choice(self.counties),
                    category=category,
                    description="基准测试用的劳务品牌。",
                    status=Brand.Status.RECOGNISED,
                    created_by=self.admin,
                )
                for i, category in enumerate(brand_categories, start=1)
            )
            Brand.occupations.through.objects.bulk_create(
                Brand.occupations.through(brand_id=brand.pk, occupation_id=occupation.pk)
                for brand in brands
                for occupation in rng.sample(self.by_category[brand.category_id], rng.randint(1, 3))
            )
            started = self.today - datetime.timedelta(days=200)
            self.programs = TrainingProgram.objects.bulk_create(
                TrainingProgram(
                    institution=self.institution,
                    brand=brand,
                    occupation=rng.choice(list(brand.occupations.all())),
                    target_level=self.levels[rng.randrange(3)],
                    title=f"{brand.name}培训班",
                    theory_hours=60,
                    practical_hours=100,
                    practice_hours=40,
                    start_date=started,
                    end_date=started + datetime.timedelta(days=90),
                    capacity=500,
                    place="六安市",
                    status=TrainingProgram.Status.COMPLETED,
                )
                for brand in brands
            )
            self.programs_by_category = defaultdict(list)
            for program, brand in zip(self.programs, brands, strict=True):
                self.programs_by_category[brand.category_id].append(program)

            loader = PostingLoader(
                rng, rng.sample(occupations, len(occupations)), self._brands(brands), self._locations()
            )
            employers = loader.create_employers(min(EMPLOYERS, max(1, postings // 10)))
            loader.create_postings(employers, postings)
            self.postings_by_category = defaultdict(list)
            rows = JobPosting.objects.filter(employer__in=employers).values_list("pk", "occupation__category")
            for pk, category in rows:
                self.postings_by_category[category].append(pk)
        analyze(JobPosting, Occupation, Brand)

    def _brands(self, brands):
        return list(Brand.objects.filter(pk__in=[b.pk for b in brands]).prefetch_related("occupations"))

    def _locations(self):
        """(province, city name, county, weight): the 30 places postings are in."""
        city = self.counties[0].city
        home = city.province
        provinces = {p.code: p for p in Province.objects.all()}
        counties = [(home, city.name, c, COUNTY_SHARE / len(self.counties)) for c in self.counties]
        elsewhere = [(home, city.name, None), *((home, name, None) for name in HOME_PROVINCE_CITIES)]
        elsewhere += [
            (provinces[code], name, None)
            for code, (names, _weight) in PARTNER_PROVINCES.items()
            for name in names
        ]
        share = (1 - COUNTY_SHARE) / len(elsewhere)
        return counties + [(*place, share) for place in elsewhere]

    # Workers

    def build_workers(self, count: int) -> None:
        """`count` more seeking workers, with profiles, certificates, brand training and applications."""
        if count <= 0:
            return
        rng, now, today = self.rng, self.now, self.today
        rows = {model: [] for model in COLUMNS}
        provinces = list(Province.objects.filter(code__in=PARTNER_PROVINCES).values_list("pk", flat=True))
        certificate_counts, certificate_weights = zip(*CERTIFICATES.items(), strict=True)
        statuses, status_weights = zip(*APPLICATION_STATUSES.items(), strict=True)
        joined = now - datetime.timedelta(days=30)
        institution, admin = self.institution.pk, self.admin.pk
        issued_by = ("portal", self.institution.name, admin)  # source, evaluation body, recorded by
        user_ids = reserve_ids(User, count)
        profile_ids = reserve_ids(WorkerProfile, count)
        assessment_ids = iter(reserve_ids(Assessment, max(CERTIFICATES) * count))
        for serial, user, profile in zip(
            range(self.workers + 1, self.workers + count + 1), user_ids, profile_ids, strict=True
        ):
            username = WORKER_USERNAME.format(serial)
            email = f"{username}@{EMAIL_DOMAIN}"
            account = (user, "!", False, username, "", "", email, False, True, joined)
            rows[User].append((*account, "worker", "", "", joined, True))  # role, names, consent, registered

            main = rng.choices(self.worker_occupations, weights=self.worker_weights)[0]
            same_category = self.by_category[main.category_id]
            wanted = [main]  # a list, not a set: the same seed gives the same workers
            for _ in range(rng.choice((0, 1, 1, 2))):
                occupation = rng.choice(self.occupations if rng.random() < OTHER_CATEGORY else same_category)
                if occupation not in wanted:
                    wanted.append(occupation)
            accepts = rng.random() < ACCEPTS_OTHER_PROVINCE
            county = None if rng.random() < NO_HOME_COUNTY else rng.choice(self.counties).pk
            salary = None
            if rng.random() >= SALARY_UNKNOWN:
                salary = min(max(round(rng.lognormvariate(8.5, 0.3) / 500) * 500, 1000), 200000)
            experience = rng.randint(0, 20)
            rows[WorkerProfile].append(
                (profile, user, county, experience, "", accepts, salary, True, True, now)
            )
            rows[Desired] += [(profile, o.pk) for o in wanted]
            if accepts and rng.random() < PREFERS_PROVINCES:
                rows[Preferred] += [(profile, p) for p in rng.sample(provinces, rng.randint(1, 2))]

            held = set()
            for _ in range(rng.choices(certificate_counts, weights=certificate_weights)[0]):
                occupation = rng.choice(wanted if rng.random() < 0.8 else same_category).pk
                level = rng.choices(self.levels, weights=LEVEL_WEIGHTS)[0].pk
                if (occupation, level) in held:
                    continue
                held.add((occupation, level))
                pk = next(assessment_ids)
                on = today - datetime.timedelta(days=rng.randint(30, 2000))
                rows[Assessment].append(
                    (pk, institution, user, occupation, level, on, PASSED[0], PASSED[1], True, admin, now)
                )
                number = f"{MARKER}{pk:010d}"
                rows[Certificate].append(
                    (number, pk, user, institution, occupation, level, on, "valid", "", *issued_by, now)
                )

            programs = self.programs_by_category.get(main.category_id) or self.programs
            if programs and rng.random() < TRAINED_IN_BRAND:
                done = now - datetime.timedelta(days=rng.randint(30, 300))
                applied = done - datetime.timedelta(days=100)
                program = rng.choice(programs).pk
                rows[Enrollment].append((program, user, "completed", False, True, *PASSED, applied, done))

            postings = self.postings_by_category.get(main.category_id)
            if postings and rng.random() < APPLIED:
                for posting in rng.sample(postings, min(len(postings), rng.randint(1, 3))):
                    status = rng.choices(statuses, weights=status_weights)[0]
                    on = now - datetime.timedelta(days=rng.randint(1, 60))
                    rows[Application].append((posting, user, status, on, CONSENT_TEXT, False, on, on))
        with transaction.atomic():
            for model, columns in COLUMNS.items():
                insert(model, columns, rows[model])
        self.workers += count
        analyze(*COLUMNS)


Desired = WorkerProfile.desired_occupations.through
Preferred = WorkerProfile.preferred_provinces.through
PASSED = (Decimal("80.0"), Decimal("75.0"))
# The columns build_workers fills, in insertion order (a foreign key's table first).
COLUMNS = {
    User: (
        "id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff",
        "is_active", "date_joined", "role", "real_name", "department", "privacy_consent_at", "registered",
    ),
    WorkerProfile: (
        "id", "user_id", "home_county_id", "experience_years", "experience", "accepts_other_province",
        "expected_salary", "seeking", "personalised", "updated",
    ),
    Desired: ("workerprofile_id", "occupation_id"),
    Preferred: ("workerprofile_id", "province_id"),
    Assessment: (
        "id", "institution_id", "worker_id", "occupation_id", "level_id", "assessed_on", "theory_score",
        "practical_score", "passed", "created_by_id", "created",
    ),
    Certificate: (
        "number", "assessment_id", "worker_id", "institution_id", "occupation_id", "level_id", "issued_on",
        "status", "revoke_reason", "source", "evaluation_body", "recorded_by_id", "recorded_at",
    ),
    Enrollment: (
        "program_id", "worker_id", "status", "walk_in", "passed", "theory_score", "practical_score",
        "applied_at", "completed_at",
    ),
    Application: (
        "posting_id", "worker_id", "status", "consent_at", "consent_text", "recommendation", "created",
        "status_changed",
    ),
}  # fmt: skip


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for rows inserted with COPY, drawn from the table's sequence (PostgreSQL) or after the
    largest one (SQLite, where nothing else writes at the same time)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]
    largest = model.objects.aggregate(largest=Max("pk"))["largest"] or 0
    return list(range(largest + 1, largest + 1 + count))


def insert(model: type[models.Model], fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows (tuples of the given field attnames): COPY on PostgreSQL, bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            (model(**dict(zip(fields, row, strict=True))) for row in rows), batch_size=500
        )
        return
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), COPY_ROWS):
            text = "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows[start : start + COPY_ROWS])
            cursor.cursor.copy_expert(sql, io.StringIO(text))


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    return str(value)


def analyze(*models_: type[models.Model]) -> None:
    """Planner statistics after a bulk load, as autovacuum would gather a little later."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(m._meta.db_table for m in models_))
