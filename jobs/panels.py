"""Workbench panels of the jobs app. Each panel runs a fixed number of queries, however many rows."""

from django.db.models import Count, Q, Window
from django.utils import timezone

from jobs.figures import fairs_planned, matching_figures
from jobs.matching.permissions import worker_recommendations
from jobs.matching.runs import latest_run, running_run
from jobs.models import Application, Apprenticeship, Employer, JobPosting, WorkerProfile
from jobs.permissions import visible_apprenticeships
from laborbrand.accounts.models import User
from laborbrand.accounts.workbench import Panel, panel
from laborbrand.metrics import Period, Scope, get, year_to_date_label
from laborbrand.metrics import figure as registry_figure

Role = User.Role
MY_APPRENTICESHIPS_SHOWN = 3
MY_APPLICATIONS_SHOWN = 3
RECOMMENDATIONS_SHOWN = 3


@panel(Role.EMPLOYER, order=20)
def my_company(user):
    return Panel(
        "jobs/panels/_my_company.html", {"employers": list(user.employers.select_related("province"))}
    )


@panel(Role.EMPLOYER, order=22)
def my_postings(user):
    """The company's postings by status and its new (not yet viewed) applicants, with whether the company
    is verified (one query)."""
    Status = JobPosting.Status
    by_status = {
        status: Count("postings", filter=Q(postings__status=status), distinct=True)
        for status in Status.values
    }
    employer = (
        user.employers.annotate(
            **by_status,
            new_applicants=Count(
                "postings__applications",
                filter=Q(postings__applications__status=Application.Status.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("pk")
        .first()
    )
    if employer is None:  # not linked to a company: the company panel says so
        return None
    rows = [(value, label, getattr(employer, value)) for value, label in Status.choices]
    return Panel(
        "jobs/panels/_my_postings.html",
        {
            "verified": employer.is_verified,
            "rows": [row for row in rows if row[2]],
            "total": sum(count for _value, _label, count in rows),
            "new_applicants": employer.new_applicants,
        },
    )


@panel(Role.CITY_ADMIN, order=40)
def employers_awaiting_verification(user):
    """The latest employers waiting to be verified, each row carrying the total waiting (a window count, so
    one query)."""
    latest = list(
        Employer.objects.awaiting_verification()
        .select_related("province")
        .annotate(pending_total=Window(Count("pk")))
        .order_by("-created")[:5]
    )
    return Panel(
        "jobs/panels/_employers_awaiting_verification.html",
        {"pending_count": latest[0].pending_total if latest else 0, "latest": latest},
    )


COOPERATION_METRICS = ("docking_fairs", "placements", "cross_province_placements")


@panel(Role.CITY_ADMIN, order=45)
@panel(Role.COUNTY_OFFICIAL, order=40)
def labour_cooperation(user):
    """The year to date's docking fairs held, placements and cross-province placements from the registry,
    for the city (city admins) or the official's county, and the fairs still planned this year (five
    queries, one of them the home province)."""
    today = timezone.localdate()
    period = Period.year_to_date(today)
    scope = Scope.county(user.county_id) if user.role == Role.COUNTY_OFFICIAL else Scope.city()
    return Panel(
        "jobs/panels/_labour_cooperation.html",
        {
            "figures": {
                key: {"metric": get(key), "figure": registry_figure(key, scope, period)}
                for key in COOPERATION_METRICS
            },
            "fairs_planned": fairs_planned(scope, today),
            "period_label": year_to_date_label(period),
            "county_only": scope.county_id is not None,
        },
    )


@panel(Role.CITY_ADMIN, order=47)
def matching(user):
    """The run users see (the latest completed one), a running run's progress and the city's matching
    success in the year to date (five queries)."""
    period = Period.year_to_date()
    return Panel(
        "jobs/panels/_matching.html",
        {
            "shown": latest_run(),
            "running": running_run(),
            "success": {**matching_figures(period), "period_label": year_to_date_label(period)},
        },
    )


@panel(Role.WORKER, order=21)
def recommended_for_you(user):
    """The worker's best recommended jobs of the latest completed run; when there are none, whether the
    worker switched personalised recommendations off (at most four queries, however many recommendations)."""
    recommendations = list(
        worker_recommendations(user).select_related("posting", "posting__employer")[:RECOMMENDATIONS_SHOWN]
    )
    switched_off = (
        not recommendations
        and WorkerProfile.objects.filter(user=user).values_list("personalised", flat=True).first() is False
    )
    return Panel(
        "jobs/panels/_recommended_for_you.html",
        {"recommendations": recommendations, "switched_off": switched_off},
    )


@panel(Role.WORKER, order=22)
def my_job_applications(user):
    """The worker's latest job applications with their status, and whether the profile employers see is
    complete enough to apply (two queries)."""
    applications = user.job_applications.select_related("posting", "posting__employer").order_by(
        "-created", "-pk"
    )
    profile = (
        WorkerProfile.objects.filter(user=user).annotate(occupations=Count("desired_occupations")).first()
    )
    return Panel(
        "jobs/panels/_my_job_applications.html",
        {
            "applications": list(applications[:MY_APPLICATIONS_SHOWN]),
            "has_profile": profile is not None,
            "profile_complete": profile is not None
            and profile.home_county_id is not None
            and profile.occupations > 0,
        },
    )


@panel(Role.WORKER, order=27)
def my_apprenticeships(user):
    """The worker's latest apprenticeships (one query)."""
    apprenticeships = user.apprenticeships.select_related(
        "employer", "institution", "occupation", "target_level"
    ).order_by("-start_date", "-pk")
    return Panel(
        "jobs/panels/_my_apprenticeships.html",
        {"apprenticeships": list(apprenticeships[:MY_APPRENTICESHIPS_SHOWN])},
    )


@panel(Role.EMPLOYER, order=25)
@panel(Role.INSTITUTION_STAFF, order=28)
def apprenticeships(user):
    """The apprenticeships of the user's company or institution by status (one aggregate)."""
    Status = Apprenticeship.Status
    counts = visible_apprenticeships(user).aggregate(
        active=Count("pk", filter=Q(status=Status.ACTIVE), distinct=True),
        completed=Count("pk", filter=Q(status=Status.COMPLETED), distinct=True),
        ended=Count("pk", filter=Q(status=Status.ENDED), distinct=True),
    )
    return Panel("jobs/panels/_apprenticeships.html", counts)


COUNTER_ACTS_SHOWN = 3


@panel(Role.COUNTY_OFFICIAL, order=42)
def service_counter(user):
    """What the county's service counter does for workers who come in (jobs/counter.py); no query."""
    return Panel("jobs/panels/_service_counter.html")


@panel(Role.WORKER, order=29)
def done_for_me_at_the_counter(user):
    """The latest acts a service counter did for the worker; nothing when there are none (one query)."""
    acts = list(
        user.counter_acts.select_related("staff", "county", "posting").order_by("-created", "-pk")[
            : COUNTER_ACTS_SHOWN + 1
        ]
    )
    if not acts:
        return None
    return Panel(
        "jobs/panels/_done_for_me.html",
        {"acts": acts[:COUNTER_ACTS_SHOWN], "more": len(acts) > COUNTER_ACTS_SHOWN},
    )
