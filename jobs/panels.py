from django.db.models import Count, Q, Window

from jobs.models import Apprenticeship, Employer
from jobs.permissions import visible_apprenticeships
from laborbrand.accounts.models import User
from laborbrand.accounts.workbench import Panel, panel

MY_APPRENTICESHIPS_SHOWN = 3


@panel(User.Role.EMPLOYER, order=20)
def my_company(user):
    return Panel(
        "jobs/panels/_my_company.html", {"employers": list(user.employers.select_related("province"))}
    )


@panel(User.Role.CITY_ADMIN, order=40)
def employers_awaiting_verification(user):
    """The latest employers waiting to be verified, each row carrying the total waiting (a window count, so
    one query)."""
    latest = list(
        Employer.objects.filter(verified_at__isnull=True)
        .select_related("province")
        .annotate(pending_total=Window(Count("pk")))
        .order_by("-created")[:5]
    )
    return Panel(
        "jobs/panels/_employers_awaiting_verification.html",
        {"pending_count": latest[0].pending_total if latest else 0, "latest": latest},
    )


@panel(User.Role.WORKER, order=27)
def my_apprenticeships(user):
    """The worker's latest apprenticeships (one query)."""
    apprenticeships = user.apprenticeships.select_related(
        "employer", "institution", "occupation", "target_level"
    ).order_by("-start_date", "-pk")
    return Panel(
        "jobs/panels/_my_apprenticeships.html",
        {"apprenticeships": list(apprenticeships[:MY_APPRENTICESHIPS_SHOWN])},
    )


@panel(User.Role.EMPLOYER, order=25)
@panel(User.Role.INSTITUTION_STAFF, order=28)
def apprenticeships(user):
    """The apprenticeships of the user's company or institution by status (one aggregate)."""
    Status = Apprenticeship.Status
    counts = visible_apprenticeships(user).aggregate(
        active=Count("pk", filter=Q(status=Status.ACTIVE), distinct=True),
        completed=Count("pk", filter=Q(status=Status.COMPLETED), distinct=True),
        ended=Count("pk", filter=Q(status=Status.ENDED), distinct=True),
    )
    return Panel("jobs/panels/_apprenticeships.html", counts)
