"""Workbench panels of the training app. Each panel runs a fixed number of queries, however many rows."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from laborbrand.accounts.models import User
from laborbrand.accounts.workbench import Panel, panel
from training.models import AdmissionApplication, Institution, PartnerAgreement, filing_deadline

Role = User.Role


@panel(Role.INSTITUTION_STAFF, order=20)
def my_institution(user):
    """The institution(s) of the account, each with its latest admission application (or none)."""
    institutions = list(
        user.institutions.select_related("county").prefetch_related(
            Prefetch(
                "applications",
                queryset=AdmissionApplication.objects.order_by("-created", "-pk").only(
                    "pk", "institution_id", "status", "round", "created", "submitted_at"
                ),
                to_attr="applications_newest_first",
            )
        )
    )
    for institution in institutions:
        applications = institution.applications_newest_first
        institution.latest_application = applications[0] if applications else None
        institution.has_open_application = any(
            a.status not in AdmissionApplication.CLOSED_STATUSES for a in applications
        )
    return Panel("training/panels/_my_institution.html", {"institutions": institutions})


@panel(Role.COUNTY_OFFICIAL, order=30)
def county_agreements(user):
    """This year's partner agreements of the county, filed on time and late."""
    today = timezone.localdate()
    deadline = filing_deadline(today.year)
    counts = (
        PartnerAgreement.objects.filter(county=user.county_id)
        .signed_in(today.year)
        .aggregate(total=Count("pk"), late=Count("pk", filter=Q(filed_on__gt=deadline)))
    )
    return Panel(
        "training/panels/_county_agreements.html",
        {
            "year": today.year,
            "deadline": deadline,
            "deadline_passed": today > deadline,
            "total": counts["total"],
            "late": counts["late"],
            "on_time": counts["total"] - counts["late"],
        },
    )


@panel(Role.CITY_ADMIN, order=28)
def applications_awaiting_review(user):
    Status = AdmissionApplication.Status
    counts = AdmissionApplication.objects.aggregate(
        submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
        under_review=Count("pk", filter=Q(status=Status.UNDER_REVIEW)),
    )
    return Panel(
        "training/panels/_applications_awaiting_review.html",
        {**counts, "total": counts["submitted"] + counts["under_review"]},
    )


@panel(Role.CITY_ADMIN, order=30)
def institutions_by_status(user):
    counts = dict(Institution.objects.values_list("status").annotate(n=Count("pk")))
    rows = [(label, counts.get(value, 0)) for value, label in Institution.Status.choices]
    return Panel(
        "training/panels/_institutions_by_status.html", {"rows": rows, "total": sum(counts.values())}
    )
