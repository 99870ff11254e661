from django.db.models import Count

from laborbrand.accounts.models import User
from laborbrand.accounts.workbench import Panel, panel
from training.models import Institution


@panel(User.Role.INSTITUTION_STAFF, order=20)
def my_institution(user):
    institutions = list(user.institutions.select_related("county"))
    return Panel("training/panels/_my_institution.html", {"institutions": institutions})


@panel(User.Role.CITY_ADMIN, order=30)
def institutions_by_status(user):
    counts = dict(Institution.objects.values_list("status").annotate(n=Count("pk")))
    rows = [(label, counts.get(value, 0)) for value, label in Institution.Status.choices]
    return Panel(
        "training/panels/_institutions_by_status.html", {"rows": rows, "total": sum(counts.values())}
    )
