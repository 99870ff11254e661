"""employer_a's demo apprentices with two qualified institutions: in progress, completed, ended early."""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.utils import timezone

from jobs import services
from jobs.models import Apprenticeship, Employer
from laborbrand.accounts.models import User
from laborbrand.reference.models import Occupation, SkillLevel
from training.models import Institution

AStatus = Apprenticeship.Status

# employer_a's apprentices, by trainee number (demo.training.trainees): the institution (by its staff
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


def seed_apprenticeships(employer: Employer, employer_staff: User) -> None:
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
