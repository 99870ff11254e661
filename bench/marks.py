"""How the nightly-matching benchmark (bench_matching) marks every row it creates, finding those rows, and
clearing them: exactly the benchmark data and nothing else.

- employers and postings as bench_load_postings marks them (name and credit code; bench/postings.py creates
  and clears them), all postings open;
- occupation categories with the slug `bench-NN` and occupations in them, named `BENCH …`;
- users named `bench-w0000001` … (workers) and `bench-admin` (starts the runs, creates the brands), with an
  address at `bench.invalid` (a reserved domain no real user has), and everything that hangs on them:
  profiles, applications, assessments, certificates (numbered `BENCH…`, never a real `LA…` number) and
  enrolments;
- brands (slug `bench-…`), one training institution (the BENCH credit code) and its programmes;
- the match runs the benchmark started (started by `bench-admin`) with their recommendations.
"""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.db.models import Q

from bench.postings import CREDIT_CODE_REGEX, NAME_PREFIX, bench_employers, clear_bench_postings
from brands.models import Brand
from jobs.models import (
    Application,
    ApplicationEvent,
    JobPosting,
    MatchChunk,
    MatchInvitation,
    MatchRun,
    Recommendation,
    WorkerProfile,
)
from laborbrand.accounts.models import Notification, User
from laborbrand.reference.models import Occupation, OccupationCategory
from training.models import Assessment, Certificate, Enrollment, Institution, TrainingProgram

EMAIL_DOMAIN = "bench.invalid"
ADMIN_USERNAME = "bench-admin"
WORKER_USERNAME = "bench-w{:07d}"
USERNAME_REGEX = r"^bench-(admin|w[0-9]{7})$"
CATEGORY_SLUG = "bench-{:02d}"


def bench_admin() -> User | None:
    return bench_users().filter(username=ADMIN_USERNAME).first()


def bench_users():
    """The users the benchmark created: both marks must be present."""
    return User.objects.filter(Q(username__regex=USERNAME_REGEX) & Q(email__endswith=f"@{EMAIL_DOMAIN}"))


def bench_categories():
    return OccupationCategory.objects.filter(slug__regex=r"^bench-[0-9]{2}$", name__startswith=NAME_PREFIX)


def bench_institutions():
    return Institution.objects.filter(name__startswith=NAME_PREFIX, credit_code__regex=CREDIT_CODE_REGEX)


def bench_brands():
    return Brand.objects.filter(slug__startswith="bench-brand-", name__startswith=NAME_PREFIX)


def clear() -> str:
    """Delete every benchmark row (see the module docstring); each table in one DELETE."""
    users = bench_users()
    postings = JobPosting.objects.filter(employer__in=bench_employers())
    occupations = Occupation.objects.filter(category__in=bench_categories())
    runs = MatchRun.objects.filter(started_by__in=users)

    def delete(queryset) -> int:
        return queryset._raw_delete(queryset.db)

    try:
        with transaction.atomic():
            removed = {"recommendations": delete(Recommendation.objects.filter(run_id__in=runs))}
            removed["recommendations"] += delete(
                Recommendation.objects.filter(Q(worker__in=users) | Q(posting__in=postings))
            )
            delete(MatchChunk.objects.filter(run__in=runs))
            removed["runs"] = delete(runs)
            delete(MatchInvitation.objects.filter(Q(worker__in=users) | Q(posting__in=postings)))
            applications = Application.objects.filter(worker__in=users)
            delete(ApplicationEvent.objects.filter(application__in=applications))
            removed["applications"] = delete(applications)
            delete(Notification.objects.filter(recipient__in=users))
            delete(Enrollment.objects.filter(worker__in=users))
            removed["certificates"] = delete(Certificate.objects.filter(worker__in=users))
            delete(Assessment.objects.filter(worker__in=users))
            profiles = WorkerProfile.objects.filter(user__in=users)
            delete(WorkerProfile.desired_occupations.through.objects.filter(workerprofile__in=profiles))
            delete(WorkerProfile.preferred_provinces.through.objects.filter(workerprofile__in=profiles))
            delete(profiles)
            delete(TrainingProgram.objects.filter(brand__in=bench_brands()))
            delete(Brand.occupations.through.objects.filter(brand__in=bench_brands()))
            delete(bench_brands())
            institutions = bench_institutions()
            delete(Institution.occupations.through.objects.filter(institution__in=institutions))
            delete(institutions)
            removed["postings"], _employers = clear_bench_postings()
            removed["workers"] = delete(users.filter(role=User.Role.WORKER))
            delete(users)
            delete(occupations)
            delete(bench_categories())
    except IntegrityError as error:
        raise CommandError(f"Other data refers to benchmark rows; nothing was removed ({error}).") from None
    return "removed benchmark data: " + ", ".join(f"{n:,} {what}" for what, n in removed.items())
