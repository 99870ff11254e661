"""Demo employers and their apprentices (企业新型学徒制).

employer_a's company is local and verified (as if by the city admin, ahead of the job board's verification
pages); employer_b's waits for verification. employer_a trains eight demo trainees as apprentices with two
qualified institutions, recorded through `jobs.services` by the employer's or the institution's staff: six in
progress, one completed and one ended early.

An employer that exists already is left as it is, and a trainee who already has an apprenticeship with the
employer gets no other: rerunning changes nothing.
"""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.utils import timezone

from jobs import services
from jobs.models import Apprenticeship, Employer
from laborbrand.accounts.demo import ensure_user
from laborbrand.accounts.models import User
from laborbrand.reference.models import Occupation, Province, SkillLevel
from training.models import Institution

AStatus = Apprenticeship.Status

EMPLOYERS = [
    (
        "employer_a",
        {
            "name": "六安精工机械有限公司",
            "credit_code": "91341500MA2N1X3K54",
            "province": "340000",
            "city_name": "六安市",
            "industry": "通用设备制造",
            "contact_name": "孙立",
            "contact_phone": "0564-3345678",
        },
    ),
    (
        "employer_b",
        {
            "name": "苏州长三角家政服务有限公司",
            "credit_code": "91320500MA1Q2W3E4N",
            "province": "320000",
            "city_name": "苏州市",
            "industry": "居民服务",
            "contact_name": "钱敏",
            "contact_phone": "0512-65432100",
        },
    ),
]

# Employers verified when created, and how many days ago.
VERIFIED_DAYS_AGO = {"employer_a": 200}

# employer_a's apprentices, by trainee number (training.demo.TRAINEE_NAMES): the institution (by its staff
# user name), occupation and target level rank, start and end in days from today, who records it (the
# employer's or the institution's staff), and who closes it ("status", "closed_by") if it is not in progress.
APPRENTICESHIPS = [
    {
        "trainee": 51,
        "institution": "inst_3",
        "occupation": "加工中心操作工",
        "rank": 3,
        "start": -150,
        "end": 580,
        "by": "employer_a",
    },
    {
        "trainee": 52,
        "institution": "inst_3",
        "occupation": "钳工",
        "rank": 2,
        "start": -120,
        "end": 245,
        "by": "inst_3",
    },
    {
        "trainee": 53,
        "institution": "inst_3",
        "occupation": "焊工",
        "rank": 2,
        "start": -95,
        "end": 270,
        "by": "employer_a",
    },
    {
        "trainee": 54,
        "institution": "institution_a",
        "occupation": "数控铣工",
        "rank": 2,
        "start": -70,
        "end": 295,
        "by": "institution_a",
    },
    {
        "trainee": 55,
        "institution": "inst_3",
        "occupation": "加工中心操作工",
        "rank": 2,
        "start": -40,
        "end": 690,
        "by": "employer_a",
    },
    {
        "trainee": 45,
        "institution": "inst_3",
        "occupation": "数控车工",
        "rank": 2,
        "start": -14,
        "end": 351,
        "by": "inst_3",
    },
    {
        "trainee": 12,
        "institution": "inst_3",
        "occupation": "钳工",
        "rank": 1,
        "start": -410,
        "end": -45,
        "by": "employer_a",
        "status": AStatus.COMPLETED,
        "closed_by": "inst_3",
    },
    {
        "trainee": 37,
        "institution": "institution_a",
        "occupation": "数控车工",
        "rank": 2,
        "start": -280,
        "end": 85,
        "by": "institution_a",
        "status": AStatus.ENDED,
        "closed_by": "employer_a",
    },
]


def _employers(ctx) -> dict[str, Employer]:
    now = timezone.now().replace(second=0, microsecond=0)
    employers = {}
    for username, spec in EMPLOYERS:
        spec = {**spec, "province": Province.objects.get(code=spec["province"])}
        if username in VERIFIED_DAYS_AGO:
            verified = now - timedelta(days=VERIFIED_DAYS_AGO[username])
            spec |= {"verified_at": verified, "created": verified - timedelta(days=3, hours=2)}
        user, _ = ensure_user(
            ctx,
            username=username,
            role=User.Role.EMPLOYER,
            real_name=spec["contact_name"],
            email=f"{username}@example.com",
        )
        employer, _created = Employer.objects.get_or_create(credit_code=spec["credit_code"], defaults=spec)
        employer.staff.add(user)
        employers[username] = employer
    return employers


def _apprenticeships(employer: Employer, employer_staff: User) -> None:
    if not employer.is_verified:
        return
    today = timezone.localdate()
    for spec in APPRENTICESHIPS:
        worker = User.objects.filter(username=f"trainee_{spec['trainee']:02d}").first()
        staff = User.objects.get(username=spec["institution"])
        institution = Institution.objects.filter(staff=staff).first()
        occupation = Occupation.objects.get(name=spec["occupation"])
        if (
            worker is None
            or institution is None
            or not institution.is_qualified
            or not institution.occupations.filter(pk=occupation.pk).exists()
            or worker.apprenticeships.filter(employer=employer).exists()
            or worker.apprenticeships.filter(status=AStatus.ACTIVE).exists()
        ):
            continue
        parties = {"employer_a": employer_staff, spec["institution"]: staff}
        start = today + timedelta(days=spec["start"])
        apprenticeship = services.apprenticeship_record(
            actor=parties[spec["by"]],
            employer=employer,
            institution=institution,
            worker=worker,
            occupation=occupation,
            target_level=SkillLevel.objects.get(rank=spec["rank"]),
            start_date=start,
            end_date=today + timedelta(days=spec["end"]),
        )
        recorded = datetime.datetime.combine(start - timedelta(days=5), datetime.time(10))
        Apprenticeship.objects.filter(pk=apprenticeship.pk).update(created=timezone.make_aware(recorded))
        if "status" in spec:
            services.apprenticeship_set_status(
                apprenticeship=apprenticeship, actor=parties[spec["closed_by"]], to=spec["status"]
            )


def seed(ctx):
    employers = _employers(ctx)
    employer_staff = User.objects.get(username="employer_a")
    _apprenticeships(employers["employer_a"], employer_staff)
