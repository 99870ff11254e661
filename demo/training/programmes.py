"""The demo's training programmes for the public brands, in every state (completed with results, running,
enrolling, planned), with the trainees and demo workers who applied and were accepted."""

from __future__ import annotations

import datetime
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from brands.models import Brand, BrandStandard
from demo.common import at
from demo.training.trainees import ensure_trainees
from laborbrand.accounts.models import User
from laborbrand.reference.models import SkillLevel
from training.models import Enrollment, Institution, TrainingProgram
from training.services.enrollment import enrollment_accept, enrollment_apply, results_record
from training.services.programs import program_advance, program_create

PStatus = TrainingProgram.Status

# The programmes, by the staff user name of the institution running them. Dates are relative to today:
# a completed programme gives "end" (days ago) and is exactly "months" long; the others give "start" (days
# from today, negative when it has started). Trainees are numbers of TRAINEE_NAMES or the demo workers:
# "accepted" take a place, "applied" are still waiting; "failed" (of the accepted) did not pass.
# The hours and levels meet each brand's measurable standards (months, practical share, certificate level).
PROGRAMS = [
    {
        "institution": "inst_4",
        "brand": "裕安家政服务",
        "occupation": "家政服务员",
        "rank": 1,
        "issue": 1,
        "status": PStatus.COMPLETED,
        "end": 7,
        "months": 1,
        "hours": (40, 80, 40),
        "capacity": 60,
        "place": "裕安区苏埠镇社区综合服务中心",
        "accepted": list(range(1, 17)),
        "failed": [7],
    },
    {
        "institution": "institution_a",
        "brand": "金寨红嫂家政",
        "occupation": "养老护理员",
        "rank": 2,
        "issue": 2,
        "status": PStatus.COMPLETED,
        "end": 2,
        "months": 2,
        "hours": (96, 144, 80),
        "capacity": 40,
        "place": "金寨县梅山镇金寨县职业技术学校养老护理实训室",
        "accepted": [17, 18, 19, 20, 35, 36, 37, 38],
        "failed": [37],
    },
    {
        "institution": "inst_7",
        "brand": "舒城电子装配工",
        "occupation": "电子设备装接工",
        "rank": 2,
        "issue": 2,
        "status": PStatus.COMPLETED,
        "end": 30,
        "months": 3,
        "hours": (140, 220, 120),
        "capacity": 40,
        "place": "舒城县杭埠镇经济开发区电子产业实训中心SMT实训车间",
        "accepted": ["worker_a", 39, 40, 41, 42, 43, 44, 45, 46],
        "failed": [],
    },
    {
        "institution": "inst_8",
        "brand": "霍山黄芽茶艺师",
        "occupation": "茶叶加工工",
        "rank": 3,
        "issue": 1,
        "status": PStatus.COMPLETED,
        "end": 35,
        "months": 2,
        "hours": (80, 160, 80),
        "capacity": 30,
        "place": "霍山县佛子岭镇霍山县技工学校茶叶加工实训基地",
        "accepted": [47, 48, 49, 50, 21, 22, 23, 24],
        "failed": [],
    },
    {
        "institution": "inst_3",
        "brand": "金安机械加工",
        "occupation": "数控车工",
        "rank": 2,
        "issue": 1,
        "status": PStatus.RUNNING,
        "start": -40,
        "months": 3,
        "hours": (150, 240, 90),
        "capacity": 45,
        "place": "金安区三十铺镇职教园金安区机电职业技术学院数控实训中心",
        "accepted": [51, 52, 53, 54, 55, 56, 57, 58],
    },
    {
        "institution": "inst_4",
        "brand": "霍邱柳编匠人",
        "occupation": "电子商务师",
        "rank": 2,
        "issue": 1,
        "status": PStatus.RUNNING,
        "start": -12,
        "months": 2,
        "hours": (64, 96, 32),
        "capacity": 30,
        "place": "霍邱县临水镇柳编产业园电商直播基地",
        "accepted": [25, 26, 27, 28, 29, 30],
    },
    {
        "institution": "inst_7",
        "brand": "舒城电子装配工",
        "occupation": "工业机器人系统操作员",
        "rank": 3,
        "issue": 1,
        "status": PStatus.RUNNING,
        "start": -3,
        "months": 4,
        "hours": (160, 320, 160),
        "capacity": 30,
        "place": "舒城县杭埠镇经济开发区合作企业智能产线",
        "accepted": [39, 40, 41, 42, 59, 60],
    },
    {
        "institution": "institution_a",
        "brand": "金寨红嫂家政",
        "occupation": "育婴员",
        "rank": 2,
        "issue": 3,
        "status": PStatus.RUNNING,
        "start": -25,
        "months": 2,
        "hours": (120, 120, 80),
        "capacity": 50,
        "place": "金寨县梅山镇金寨县职业技术学校母婴护理实训室",
        "accepted": [31, 32, 33, 34, 21, 22],
    },
    {
        "institution": "inst_8",
        "brand": "霍山黄芽茶艺师",
        "occupation": "茶艺师",
        "rank": 3,
        "issue": 2,
        "status": PStatus.RUNNING,
        "start": -30,
        "months": 3,
        "hours": (120, 200, 80),
        "capacity": 30,
        "place": "霍山县衡山镇霍山县技工学校茶艺实训室",
        "accepted": ["worker_b", 23, 24, 47, 48],
    },
    {
        "institution": "inst_8",
        "brand": "霍山石斛种植技工",
        "occupation": "农业技术员",
        "rank": 2,
        "issue": 1,
        "status": PStatus.RUNNING,
        "start": -20,
        "months": 3,
        "hours": (100, 160, 120),
        "capacity": 30,
        "place": "霍山县太平畈乡石斛种植基地",
        "accepted": [49, 50, 43, 44],
    },
    {
        "institution": "inst_3",
        "brand": "金安机械加工",
        "occupation": "钳工",
        "rank": 2,
        "issue": 1,
        "status": PStatus.ENROLLING,
        "start": 20,
        "months": 3,
        "hours": (150, 230, 100),
        "capacity": 40,
        "place": "金安区三十铺镇职教园金安区机电职业技术学院钳工实训车间",
        "accepted": [45, 46],
        "applied": [35, 36],
    },
    {
        "institution": "inst_4",
        "brand": "裕安家政服务",
        "occupation": "收纳整理师",
        "rank": 1,
        "issue": 1,
        "status": PStatus.ENROLLING,
        "start": 15,
        "months": 2,
        "hours": (48, 96, 48),
        "capacity": 40,
        "place": "裕安区巾帼家政职业培训学校收纳整理实训区",
        "accepted": [3, 4, 5],
        "applied": [6],
    },
    {
        "institution": "inst_4",
        "brand": "霍邱柳编匠人",
        "occupation": "竹编工艺师",
        "rank": 2,
        "issue": 2,
        "status": PStatus.ENROLLING,
        "start": 25,
        "months": 2,
        "hours": (48, 144, 48),
        "capacity": 50,
        "place": "霍邱县临水镇柳编技艺传习所",
        "accepted": [8, 9],
        "applied": [10],
    },
    {
        "institution": "inst_7",
        "brand": "舒城电子装配工",
        "occupation": "电子产品装调工",
        "rank": 2,
        "issue": 3,
        "status": PStatus.ENROLLING,
        "start": 14,
        "months": 3,
        "hours": (140, 220, 120),
        "capacity": 40,
        "place": "舒城县杭埠镇经济开发区电子产业实训中心",
        "accepted": [38],
        "applied": [37],
    },
    {
        "institution": "institution_a",
        "brand": "金寨红嫂家政",
        "occupation": "家政服务员",
        "rank": 2,
        "issue": 4,
        "status": PStatus.ENROLLING,
        "start": 12,
        "months": 2,
        "hours": (96, 144, 80),
        "capacity": 50,
        "place": "金寨县梅山镇金寨县职业技术学校家政实训室",
        "accepted": [17, 18],
        "applied": [19, 11],
    },
    {
        "institution": "inst_3",
        "brand": "金安机械加工",
        "occupation": "加工中心操作工",
        "rank": 3,
        "issue": 1,
        "status": PStatus.PLANNED,
        "start": 75,
        "months": 4,
        "hours": (180, 320, 140),
        "capacity": 30,
        "place": "金安区三十铺镇职教园金安区机电职业技术学院加工中心实训车间",
    },
]

# The order a programme moves in; a programme is moved up to its demo status.
PROGRAM_STEPS = [PStatus.PLANNED, PStatus.ENROLLING, PStatus.RUNNING, PStatus.COMPLETED]


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _program_dates(spec: dict, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Start and end, exactly spec["months"] whole months apart (end inclusive)."""
    if "end" in spec:
        end = today - timedelta(days=spec["end"])
        return _add_months(end + timedelta(days=1), -spec["months"]), end
    start = today + timedelta(days=spec["start"])
    return start, _add_months(start, spec["months"]) - timedelta(days=1)


def _program_title(spec: dict, level: SkillLevel, start: datetime.date) -> str:
    return f"{spec['brand']} {spec['occupation']}（{level.grade}）培训班 {start.year}年第{spec['issue']}期"


def _existing_program(spec: dict, institution: Institution, brand: Brand, title: str):
    """The demo programme if it exists: by title, or (should the dates have moved into another year since it
    was seeded) by its institution, brand, occupation and issue number."""
    return (
        TrainingProgram.objects.filter(title=title).first()
        or TrainingProgram.objects.filter(
            institution=institution,
            brand=brand,
            occupation__name=spec["occupation"],
            title__endswith=f"年第{spec['issue']}期",
        ).first()
    )


def _scores(program: TrainingProgram, enrollments: list[Enrollment], failed: set[int]) -> dict:
    """Deterministic, plausible theory and practical scores: both 60–98 for a pass; for a fail a practical
    score of 50–59."""
    results = {}
    for enrollment in enrollments:
        seed = (enrollment.worker_id * 37 + program.pk * 11) % 100
        theory = Decimal(60 + seed % 39) + Decimal(seed % 2 * 5) / 10
        failing = enrollment.worker_id in failed
        practical = Decimal(50 + seed % 10) if failing else Decimal(62 + (seed * 7) % 37)
        results[enrollment.pk] = (min(theory, Decimal("98.0")), practical)
    return results


def _ethics_hours(brand: Brand) -> int:
    """The brand's minimum of professional-ethics hours, else a day of them (8)."""
    standard = brand.standards.filter(measure=BrandStandard.Measure.MIN_ETHICS_HOURS).first()
    return standard.target if standard else 8


def _program(spec: dict, *, institutions, trainees, today) -> None:
    institution = institutions[spec["institution"]]
    brand = Brand.objects.public().get(name=spec["brand"])
    level = SkillLevel.objects.get(rank=spec["rank"])
    start, end = _program_dates(spec, today)
    title = _program_title(spec, level, start)
    if _existing_program(spec, institution, brand, title) is not None:
        return
    theory, practical, practice = spec["hours"]
    staff = User.objects.get(username=spec["institution"])
    program = program_create(
        institution=institution,
        brand=brand,
        occupation=brand.occupations.get(name=spec["occupation"]),
        target_level=level,
        title=title,
        theory_hours=theory,
        ethics_hours=_ethics_hours(brand),
        practical_hours=practical,
        practice_hours=practice,
        start_date=start,
        end_date=end,
        capacity=spec["capacity"],
        place=spec["place"],
    )
    created = at(min(start - timedelta(days=30), today - timedelta(days=3)), hour=10)
    TrainingProgram.objects.filter(pk=program.pk).update(created=created)

    def worker(ref) -> User:
        return User.objects.get(username=ref) if isinstance(ref, str) else trainees[ref]

    steps = PROGRAM_STEPS[1 : PROGRAM_STEPS.index(spec["status"]) + 1]
    if PStatus.ENROLLING in steps:
        program = program_advance(program=program, to=PStatus.ENROLLING, actor=staff)
        for i, ref in enumerate([*spec.get("accepted", []), *spec.get("applied", [])]):
            person = worker(ref)
            if program.enrollments.filter(worker=person).exists():
                continue
            enrollment = enrollment_apply(program=program, worker=person)
            if ref in spec.get("accepted", []):
                enrollment_accept(enrollment=enrollment)
            applied = min(created + timedelta(days=3 + i % 9, hours=i % 7), timezone.now())
            Enrollment.objects.filter(pk=enrollment.pk).update(applied_at=applied)
    for step in steps[1:]:
        program = program_advance(program=program, to=step, actor=staff)
    if spec["status"] == PStatus.COMPLETED:
        failed = {worker(ref).pk for ref in spec.get("failed", [])}
        enrollments = list(program.enrollments.taking_a_place())
        results_record(program=program, results=_scores(program, enrollments, failed))
        completed = min(at(end + timedelta(days=1), hour=16), timezone.now())
        program.enrollments.completed().update(completed_at=completed)


def seed_programmes(ctx) -> None:
    today = timezone.localdate()
    institutions = {
        username: Institution.objects.get(staff__username=username)
        for username in {spec["institution"] for spec in PROGRAMS}
    }
    trainees = ensure_trainees(ctx)
    for spec in PROGRAMS:
        if institutions[spec["institution"]].is_qualified:
            _program(spec, institutions=institutions, trainees=trainees, today=today)
