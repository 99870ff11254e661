"""Workbench panels of the training app. Each panel runs a fixed number of queries, however many rows."""

from django.db.models import Count, Min, Prefetch, Q
from django.utils import timezone

from laborbrand.accounts.models import User
from laborbrand.accounts.workbench import Panel, panel
from laborbrand.metrics import Period, Scope, get, year_to_date_label
from training.models import (
    AdmissionApplication,
    Certificate,
    Enrollment,
    Institution,
    PartnerAgreement,
    TrainingProgram,
    filing_deadline,
)
from training.permissions import visible_ethics_sessions

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


MY_TRAINING_SHOWN = 3


@panel(Role.WORKER, order=25)
def my_training(user):
    """The worker's latest enrolments, with their status, and how many valid certificates they hold (two
    queries)."""
    enrollments = user.enrollments.select_related("program", "program__institution").order_by(
        "-applied_at", "-pk"
    )
    return Panel(
        "training/panels/_my_training.html",
        {
            "enrollments": list(enrollments[:MY_TRAINING_SHOWN]),
            "valid_certificates": user.certificates.valid().count(),
        },
    )


@panel(Role.INSTITUTION_STAFF, order=22)
def institution_programs(user):
    """The institution's programmes by status and the applications waiting for a decision (two queries)."""
    programs = TrainingProgram.objects.filter(institution__staff=user)
    counts = dict(programs.values_list("status").annotate(n=Count("pk")).order_by())
    rows = [(value, label, counts.get(value, 0)) for value, label in TrainingProgram.Status.choices]
    pending = Enrollment.objects.filter(program__in=programs, status=Enrollment.Status.APPLIED).count()
    return Panel(
        "training/panels/_institution_programs.html",
        {"rows": rows, "total": sum(counts.values()), "pending": pending},
    )


@panel(Role.INSTITUTION_STAFF, order=24)
def institution_assessments(user):
    """This year's assessments of the institution, the passes, and the certificates they issued that are still
    valid, with the institution itself (one query). A certificate belongs to one assessment and bears its
    date, so counting along assessments needs no second join."""
    year = timezone.localdate().year
    this_year = Q(assessments__assessed_on__year=year)
    institution = user.institutions.annotate(
        assessed=Count("assessments", filter=this_year),
        passed=Count("assessments", filter=this_year & Q(assessments__passed=True)),
        valid_certificates=Count(
            "assessments__certificate",
            filter=this_year & Q(assessments__certificate__status=Certificate.Status.VALID),
        ),
    ).first()
    return Panel(
        "training/panels/_institution_assessments.html",
        {
            "year": year,
            "can_assess": institution is not None and institution.is_qualified,
            "total": institution.assessed if institution else 0,
            "passed": institution.passed if institution else 0,
            "valid_certificates": institution.valid_certificates if institution else 0,
        },
    )


@panel(Role.COUNTY_OFFICIAL, order=35)
@panel(Role.INSTITUTION_STAFF, order=26)
@panel(Role.CITY_ADMIN, order=32)
def ethics_sessions(user):
    """The year to date's ethics sessions held and their attendance, the sessions still planned this year and
    the date of the next one (two aggregates). City admins and county officials see the registry's
    `ethics_sessions` for the city or the county (its sessions and those of its institutions), with its
    definition; an institution its own sessions (not a scope of the registry)."""
    today = timezone.localdate()
    period = Period.year_to_date(today)
    visible = visible_ethics_sessions(user)
    metric = None
    if user.role in (Role.CITY_ADMIN, Role.COUNTY_OFFICIAL):
        metric = get("ethics_sessions")
        scope = Scope.county(user.county_id) if user.role == Role.COUNTY_OFFICIAL else Scope.city()
        held = metric.records(scope, period)
    else:
        held = visible.filter(held_on__gte=period.start, held_on__lte=today)
    counts = held.aggregate(held=Count("pk", distinct=True), attendance=Count("attendance", distinct=True))
    coming = visible.aggregate(
        planned=Count("pk", filter=Q(held_on__year=today.year, held_on__gt=today), distinct=True),
        next_on=Min("held_on", filter=Q(held_on__gt=today)),
    )
    return Panel(
        "training/panels/_ethics_sessions.html",
        {
            "year": today.year,
            "metric": metric,
            "period_label": year_to_date_label(period),
            **counts,
            **coming,
        },
    )
