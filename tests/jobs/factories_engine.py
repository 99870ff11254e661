"""Helpers for the matching engine tests (tests/jobs/matching/test_match_run_*.py,
tests/test_match_celery.py): seeking workers with the occupations they want and the certificates they hold,
open postings of one shared verified employer, a small mixed city, a larger one made in bulk, and the rows a
run published."""

from __future__ import annotations

import datetime
from collections import Counter

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from jobs.models import Application, Employer, JobPosting, MatchRun, Recommendation, WorkerProfile
from laborbrand.accounts.models import User
from laborbrand.reference.models import County, Occupation, Province
from tests import factories
from training.models import Certificate, Institution

ENGINE_EMPLOYER = "引擎测试制造有限公司"
ENGINE_INSTITUTION = "引擎测试职业培训学校"


def occupations(category: str) -> list[Occupation]:
    """The occupations of a category (by slug) in id order."""
    return list(Occupation.objects.filter(category__slug=category).order_by("pk"))


def county(code: str) -> County:
    return County.objects.get(code=code)


def engine_employer() -> Employer:
    """One verified employer for every posting of a test (a new one per posting would only cost time)."""
    return Employer.objects.filter(name=ENGINE_EMPLOYER).first() or factories.VerifiedEmployerFactory(
        name=ENGINE_EMPLOYER
    )


def posting(occupation: Occupation, **fields) -> JobPosting:
    """An open posting (JobPostingFactory: 金寨县, published now, no minimum level, ¥6,000–8,000) in the
    occupation; `min_level` may be given as a rank."""
    if isinstance(fields.get("min_level"), int):
        fields["min_level"] = factories.make_level(fields["min_level"])
    fields.setdefault("employer", engine_employer())
    return factories.JobPostingFactory(occupation=occupation, **fields)


def away_posting(occupation: Occupation, **fields) -> JobPosting:
    """An open posting in another province (苏州市, 江苏省)."""
    return posting(
        occupation, province=Province.objects.get(code="320000"), city_name="苏州市", county=None, **fields
    )


def certify(worker: User, occupation: Occupation, rank: int = 3, **fields) -> Certificate:
    """A valid certificate of the worker in the occupation at the level rank, from one shared institution."""
    institution = Institution.objects.filter(name=ENGINE_INSTITUTION).first() or (
        factories.QualifiedInstitutionFactory(name=ENGINE_INSTITUTION)
    )
    return factories.CertificateFactory(
        assessment__worker=worker,
        assessment__institution=institution,
        assessment__occupation=occupation,
        assessment__level=factories.make_level(rank),
        **fields,
    )


def seeker(wants=(), *, certificates=(), user=None, **profile) -> User:
    """A worker with a seeking profile (金寨县, expects ¥6,000) wanting the occupations `wants`, holding a
    certificate for each (occupation, rank) in `certificates`."""
    if user is not None:
        profile["user"] = user
    worker = factories.WorkerProfileFactory(desired_occupations=list(wants), **profile).user
    for occupation, rank in certificates:
        certify(worker, occupation, rank)
    return worker


def applied(worker: User, job: JobPosting, status: str = Application.Status.SUBMITTED) -> Application:
    return factories.ApplicationFactory(worker=worker, posting=job, status=status)


def small_city() -> dict:
    """Twelve seeking workers and ten open postings over three categories, with ties (identical postings),
    certificates at several levels, a brand some workers belong to, another province, incomplete profiles and
    a few applications: enough for every kind of pair, small enough for a fast test."""
    machining, domestic, construction = (
        occupations("machining"),
        occupations("domestic"),
        occupations("construction"),
    )
    brand = factories.CultivatingBrandFactory(name="引擎测试数控", occupations=[machining[1]])
    counties = [county("341524"), county("341525"), county("341502")]
    jobs = [
        posting(machining[0], min_level=3, county=counties[0]),
        posting(machining[0], min_level=3, county=counties[0]),  # the same as the first: a tie
        posting(machining[1], brand=brand, county=counties[1], salary_min=5000, salary_max=7000),
        posting(machining[4], county=None, salary_min=4000, salary_max=5000),
        away_posting(machining[0], salary_min=9000, salary_max=12000),
        posting(domestic[0], county=counties[1], headcount=2),
        posting(domestic[1], min_level=2, county=counties[2]),
        posting(domestic[1], min_level=2, county=counties[2]),
        posting(construction[0], county=counties[0], salary_min=7000, salary_max=9000),
        posting(construction[2], county=counties[1]),
    ]
    wants = [
        [machining[0]], [machining[0], machining[1]], [machining[4]], [domestic[0]], [domestic[1]],
        [construction[0]], [machining[2], domestic[3]], [], [machining[0]], [construction[2]], [domestic[0]],
        [machining[1]],
    ]  # fmt: skip
    certificates = {
        0: [(machining[0], 3)], 1: [(machining[0], 2)], 4: [(domestic[1], 2)], 7: [(construction[0], 4)],
        8: [(machining[0], 4), (domestic[0], 1)], 11: [(machining[1], 3)],
    }  # fmt: skip
    workers = []
    for i, wanted in enumerate(wants):
        workers.append(
            seeker(
                wanted,
                certificates=certificates.get(i, ()),
                home_county=None if i == 6 else counties[i % 3],
                expected_salary=None if i == 5 else 5000 + 500 * (i % 5),
                accepts_other_province=i % 4 == 0,
            )
        )
    applied(workers[0], jobs[1])
    applied(workers[3], jobs[5], Application.Status.WITHDRAWN)
    applied(factories.WorkerFactory(), jobs[5], Application.Status.HIRED)
    applied(factories.WorkerFactory(), jobs[2], Application.Status.INTERVIEW)
    return {"workers": workers, "postings": jobs, "brand": brand}


def bulk_city(
    n_workers: int, *, categories: tuple[str, ...] = ("machining", "domestic", "construction")
) -> None:
    """A larger city made with bulk_create (for the Celery tests): `n_workers` seeking workers, each
    wanting one occupation of the categories round robin, and three open postings per occupation."""
    employer = engine_employer()
    wanted = [o for slug in categories for o in occupations(slug)]
    home = county("341524")
    province = home.city.province
    now, open_until = timezone.now(), timezone.localdate() + datetime.timedelta(days=30)
    JobPosting.objects.bulk_create(
        JobPosting(
            employer=employer, title=f"{o.name}{k}", occupation=o, headcount=5, salary_min=5000,
            salary_max=6000 + 500 * k, province=province, city_name=home.city.name,
            county=home if k else None, description="批量测试岗位。", open_until=open_until,
            status=JobPosting.Status.OPEN, published_at=now,
        )
        for o in wanted
        for k in range(3)
    )  # fmt: skip
    password = make_password(factories.TEST_PASSWORD)
    users = User.objects.bulk_create(
        User(username=f"bulk_worker_{i}", role=User.Role.WORKER, real_name=f"批量{i}", password=password)
        for i in range(n_workers)
    )
    profiles = WorkerProfile.objects.bulk_create(
        WorkerProfile(user=u, home_county=home, expected_salary=5000 + 100 * (i % 20))
        for i, u in enumerate(users)
    )
    Desired = WorkerProfile.desired_occupations.through
    Desired.objects.bulk_create(
        Desired(workerprofile=p, occupation=wanted[i % len(wanted)]) for i, p in enumerate(profiles)
    )


def published(run: MatchRun) -> Counter:
    """The run's recommendations as a multiset of (worker, posting, score, worker rank, posting rank): a pair
    in both the worker's and the posting's list is stored once for each."""
    return Counter(
        Recommendation.objects.filter(run=run).values_list(
            "worker_id", "posting_id", "score", "worker_rank", "posting_rank"
        )
    )


def worker_list(run: MatchRun, worker: User) -> list[int]:
    """The posting ids of the worker's list, best first."""
    rows = Recommendation.objects.filter(run=run, worker=worker, worker_rank__gt=0).order_by("worker_rank")
    return list(rows.values_list("posting_id", flat=True))


def posting_list(run: MatchRun, job: JobPosting) -> list[int]:
    """The worker ids of the posting's list, best first."""
    rows = Recommendation.objects.filter(run=run, posting=job, posting_rank__gt=0).order_by("posting_rank")
    return list(rows.values_list("worker_id", flat=True))
