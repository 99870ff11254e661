"""The job-seeking profiles of the two demo workers and of the trainees (from their training)."""

from __future__ import annotations

from demo.jobs.occupations import JOBS
from jobs import services
from jobs.models import Apprenticeship, WorkerProfile
from laborbrand.accounts.models import User
from laborbrand.reference.models import County, Occupation, Province
from training.models import Enrollment

AStatus = Apprenticeship.Status

# The two demo workers' profiles; the trainees' come from their training (see _trainee_profile).
WORKER_PROFILES = {
    "worker_a": {
        "desired": ["电子设备装接工", "电子产品装调工", "工业机器人系统操作员"],
        "provinces": ["320000", "440000"],
        "experience_years": 3,
        "experience": (
            "曾在东莞电子厂从事SMT插件和手工焊接工作，后返乡参加舒城电子装配工培训，"
            "取得电子设备装接工（四级/中级工）职业技能等级证书。"
        ),
        "accepts_other_province": True,
        "expected_salary": 7000,
        "seeking": True,
    },
    "worker_b": {
        "desired": ["茶艺师", "茶叶加工工"],
        "provinces": [],
        "experience_years": 1,
        "experience": "在霍山县茶叶合作社做过一季采茶和茶叶分拣，正在参加霍山黄芽茶艺师培训。",
        "accepts_other_province": False,
        "expected_salary": 4500,
        "seeking": True,
    },
}
PREFERRED_PROVINCES = [[], ["320000", "330000"], ["310000"], ["320000"], ["440000"], []]


def _desired_occupations(user: User) -> list[Occupation]:
    """The occupations a trainee trained or is training in, apprenticeships included (at most three)."""
    names = [
        *Enrollment.objects.filter(worker=user).order_by("pk").values_list("program__occupation", flat=True),
        *user.apprenticeships.order_by("pk").values_list("occupation", flat=True),
    ]
    ids = list(dict.fromkeys(names))[:3]
    occupations = Occupation.objects.in_bulk(ids)
    return [occupations[pk] for pk in ids]


def _trainee_profile(user: User, n: int, provinces: dict, counties: dict) -> dict | None:
    desired = _desired_occupations(user)
    if not desired:
        return None
    accepts = n % 3 != 0
    pay = JOBS.get(desired[0].name, {"pay": (4000, 6000)})["pay"][1]
    expected = min(12000, max(4000, pay + (n % 4) * 500 + (1500 if accepts else 0)))
    years = n % 7
    apprentice = user.apprenticeships.filter(status=AStatus.ACTIVE).exists()
    return {
        "desired_occupations": desired,
        "preferred_provinces": [provinces[c] for c in PREFERRED_PROVINCES[n % 6]] if accepts else [],
        "home_county": counties.get(user.id_number[:6]),
        "experience_years": years,
        "experience": (
            f"有{years}年{desired[0].name}相关工作经验，已参加劳务品牌技能培训。"
            if years
            else "首次外出求职，已参加劳务品牌技能培训。"
        ),
        "accepts_other_province": accepts,
        "expected_salary": expected,
        "seeking": not apprentice and n % 10 != 0,
    }


def seed_profiles() -> None:
    provinces = {p.code: p for p in Province.objects.all()}
    counties = {c.code: c for c in County.objects.all()}
    with_profile = set(WorkerProfile.objects.values_list("user_id", flat=True))
    workers = User.objects.filter(role=User.Role.WORKER, username__in=WORKER_PROFILES)
    for user in workers:
        if user.pk in with_profile:
            continue
        spec = WORKER_PROFILES[user.username]
        services.profile_save(
            user=user,
            desired_occupations=Occupation.objects.filter(name__in=spec["desired"]),
            preferred_provinces=[provinces[c] for c in spec["provinces"]],
            home_county=counties.get(user.id_number[:6]),
            experience_years=spec["experience_years"],
            experience=spec["experience"],
            accepts_other_province=spec["accepts_other_province"],
            expected_salary=spec["expected_salary"],
            seeking=spec["seeking"],
        )
    trainees = User.objects.filter(role=User.Role.WORKER, username__startswith="trainee_").order_by(
        "username"
    )
    for user in trainees:
        if user.pk in with_profile:
            continue
        fields = _trainee_profile(user, int(user.username.removeprefix("trainee_")), provinces, counties)
        if fields is not None:
            services.profile_save(user=user, **fields)
