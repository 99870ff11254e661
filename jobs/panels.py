from jobs.models import Employer
from laborbrand.accounts.models import User
from laborbrand.accounts.workbench import Panel, panel


@panel(User.Role.EMPLOYER, order=20)
def my_company(user):
    return Panel(
        "jobs/panels/_my_company.html", {"employers": list(user.employers.select_related("province"))}
    )


@panel(User.Role.CITY_ADMIN, order=40)
def employers_awaiting_verification(user):
    pending = Employer.objects.filter(verified_at__isnull=True)
    return Panel(
        "jobs/panels/_employers_awaiting_verification.html",
        {
            "pending_count": pending.count(),
            "latest": list(pending.select_related("province").order_by("-created")[:5]),
        },
    )
