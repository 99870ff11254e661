"""Workers' profiles, applying with consent and "my applications"; the employer's applicant pipeline (one POST
URL per step) and its list with its Excel export."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobs import services
from jobs.forms.applications import ApplicantFilterForm, ApplyForm, MoveForm, WorkerProfileForm
from jobs.listings import APPLICANT_SEARCH, applicant_listing
from jobs.models import Application, ApplicationEvent, JobPosting, WorkerProfile
from jobs.permissions import (
    employer_may_see_phone,
    get_applicant_for_employer,
    get_own_application,
    get_own_posting,
    get_posting_to_apply,
)
from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.listings import staff_list, wants_export
from laborbrand.pages import confirmation_page, next_url, paginate, refusals_shown

Role = User.Role
AppStatus = Application.Status
# The steps whose note the worker sees (the time and place of an interview, the terms of an offer); the same
# notes go into the worker's notification (services.application_move).
NOTES_SHOWN_TO_WORKER = (AppStatus.INTERVIEW, AppStatus.OFFERED)
# The steps that keep an application going, one tap each (with the note), by the URL that makes them.
NEXT_STEPS = {AppStatus.INTERVIEW: "jobs:applicant_interview", AppStatus.OFFERED: "jobs:applicant_offer"}
# The steps that end an application: the employer confirms them on a page of their own.
FINAL_STEPS = {
    AppStatus.HIRED: "jobs:applicant_hire_confirm",
    AppStatus.REJECTED: "jobs:applicant_reject_confirm",
}


def _shows_phone(user: User, posting: JobPosting) -> bool:
    """Whether the user sees the full phone numbers of the posting's applicants (asked once per page)."""
    return employer_may_see_phone(user, Application(posting=posting))


# --- Workers ------------------------------------------------------------------------------------------------


@role_required(Role.WORKER)
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = WorkerProfile.objects.filter(user=request.user).first() or WorkerProfile(user=request.user)
    back_to = next_url(request)
    form = WorkerProfileForm(request.POST or None, instance=profile)
    if form.is_valid():
        fields = form.profile_fields()
        services.profile_save(
            user=request.user,
            desired_occupations=fields.pop("desired_occupations"),
            preferred_provinces=fields.pop("preferred_provinces"),
            **fields,
        )
        messages.success(request, _("Your job-seeking profile is saved."))
        return redirect(back_to or "jobs:profile_edit")
    return render(
        request,
        "jobs/profile_form.html",
        {"form": form, "profile": profile, "next": back_to, "account": request.user},
    )


def _apply_page(request: HttpRequest, posting: JobPosting, form: ApplyForm, status: int = 200):
    profile = WorkerProfile.objects.filter(user=request.user).first()
    apply_url = reverse("jobs:apply", args=[posting.pk])
    return render(
        request,
        "jobs/apply.html",
        {
            "posting": posting,
            "form": form,
            "consent_text": services.consent_text(posting),
            "profile_complete": profile is not None and profile.is_complete,
            "profile_url": f"{reverse('jobs:profile_edit')}?{urlencode({'next': apply_url})}",
        },
        status=status,
    )


@role_required(Role.WORKER)
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Applying to a job with the separate consent the privacy law asks for; the service re-checks every
    rule, so a stale page or a double click ends in a message, not a second application."""
    posting = get_posting_to_apply(pk)
    if request.method != "POST":
        mine = Application.objects.filter(posting=posting, worker=request.user).first()
        if mine is not None:
            messages.info(
                request,
                _("You applied to “%(title)s” on %(date)s. Its progress is below.")
                % {"title": posting.title, "date": timezone.localdate(mine.created).isoformat()},
            )
            return redirect("jobs:my_applications")
        if not posting.accepts_applications:
            messages.error(request, _("This job is no longer taking applications."))
            return redirect("jobs:search")
        # A recommended job's link (and an invitation's) carries ?from=recommendation to here.
        recommended = request.GET.get("from") == "recommendation" or request.GET.get("recommendation") == "1"
        return _apply_page(request, posting, ApplyForm(initial={"recommendation": recommended}))

    form = ApplyForm(request.POST)
    applied = Application.objects.filter(posting=posting, worker=request.user)
    if not form.is_valid() and posting.accepts_applications and not applied.exists():
        return _apply_page(request, posting, form, status=400)
    # Otherwise the service names the refusal that matters more than a missing tick (applied, closed).
    with refusals_shown(request):
        services.application_submit(
            posting=posting,
            worker=request.user,
            consent=form.cleaned_data.get("consent", False),
            from_recommendation=form.cleaned_data.get("recommendation", False),
        )
        messages.success(
            request,
            _("You applied to “%(title)s”. %(employer)s has been told and can now see your details.")
            % {"title": posting.title, "employer": posting.employer.name},
        )
        return redirect("jobs:my_applications")
    if applied.exists():
        return redirect("jobs:my_applications")
    if not posting.accepts_applications:
        return redirect("jobs:search")
    return redirect("jobs:apply", pk=posting.pk)


@role_required(Role.WORKER)
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = (
        request.user.job_applications.select_related(
            "posting", "posting__employer", "counter_act__staff", "counter_act__county"
        )
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("created", "pk")),
        )
        .order_by("-created", "-pk")
    )
    return render(
        request,
        "jobs/my_applications.html",
        {
            "page_obj": paginate(request, applications),
            "withdrawable": set(services.WITHDRAWABLE),
            "notes_shown": set(NOTES_SHOWN_TO_WORKER),
        },
    )


@role_required(Role.WORKER)
@require_GET
def application_withdraw_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """What withdrawing means, before the worker does it (application_withdraw makes the move)."""
    application = get_own_application(request.user, pk)
    return confirmation_page(
        request,
        "jobs/application_withdraw.html",
        possible=application.status in services.WITHDRAWABLE,
        action=reverse("jobs:application_withdraw", args=[pk]),
        cancel_url=reverse("jobs:my_applications"),
        application=application,
        posting=application.posting,
    )


@role_required(Role.WORKER)
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_own_application(request.user, pk)
    with refusals_shown(request):
        services.application_withdraw(application=application, worker=request.user)
        messages.success(
            request,
            _("Your application to “%(title)s” is withdrawn.") % {"title": application.posting.title},
        )
    return redirect("jobs:my_applications")


# --- Employers ----------------------------------------------------------------------------------------------


@role_required(Role.EMPLOYER)
def applicant_list(request: HttpRequest, pk: int) -> HttpResponse:
    """A posting's applicants, filtered by status and searched by name; with ?export=xlsx the Excel file of
    exactly those (the phone numbers as the page shows them)."""
    posting = get_own_posting(request.user, pk)
    form = ApplicantFilterForm(request.GET or None)
    show_phone = _shows_phone(request.user, posting)
    context = {
        "posting": posting,
        "form": form,
        "attention": {AppStatus.SUBMITTED},
        "show_phone": show_phone,
    }
    if not wants_export(request):
        counts = dict(posting.applications.values_list("status").annotate(n=Count("pk")).order_by())
        context["status_counts"] = [
            (value, label, counts.get(value, 0)) for value, label in AppStatus.choices
        ]
        context["total"] = sum(counts.values())
    return staff_list(
        request,
        form.filter(posting.applications.all()),
        applicant_listing(show_phone=show_phone),
        "jobs/applicant_list.html",
        context,
        search=APPLICANT_SEARCH,
        export_name=(f"applicants-{posting.pk}", _("Applicants of %(title)s") % {"title": posting.title}),
    )


@role_required(Role.EMPLOYER)
def applicant_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The export's earlier address: the list's own export (?export=xlsx) of the same filters, refused the
    same way."""
    get_own_posting(request.user, pk)
    query = request.GET.copy()
    query["export"] = "xlsx"
    return redirect(f"{reverse('jobs:applicant_list', args=[pk])}?{query.urlencode()}")


@role_required(Role.EMPLOYER)
def applicant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening the page changes nothing: the employer marks the application viewed (applicant_mark_viewed),
    or its first step does (services.application_move)."""
    application = get_applicant_for_employer(request.user, pk)
    worker = application.worker
    allowed = services.APPLICATION_ALLOWED.get(application.status, ())
    return render(
        request,
        "jobs/applicant_detail.html",
        {
            "application": application,
            "posting": application.posting,
            "worker": worker,
            "profile": WorkerProfile.objects.filter(user=worker)
            .select_related("home_county")
            .prefetch_related("desired_occupations", "preferred_provinces")
            .first(),
            "certificates": worker.certificates.valid().select_related("occupation", "level", "institution"),
            "trainings": worker.enrollments.completed()
            .select_related("program", "program__institution", "program__occupation", "program__target_level")
            .order_by("-completed_at", "-pk"),
            "events": application.events.select_related("actor").order_by("created", "pk"),
            "can_mark_viewed": application.status == AppStatus.SUBMITTED,
            "next_steps": [
                (to, reverse(name, args=[pk])) for to, name in NEXT_STEPS.items() if to in allowed
            ],
            "final_steps": [
                (to, reverse(name, args=[pk])) for to, name in FINAL_STEPS.items() if to in allowed
            ],
            "move_form": MoveForm(),
            "show_phone": employer_may_see_phone(request.user, application),
        },
    )


@role_required(Role.EMPLOYER)
@require_POST
def applicant_mark_viewed(request: HttpRequest, pk: int) -> HttpResponse:
    """The employer has read the application: the worker sees it as viewed (see docs/decisions.md)."""
    application = get_applicant_for_employer(request.user, pk)
    services.application_mark_viewed(application=application, actor=request.user)
    return redirect("jobs:applicant_detail", pk=pk)


def _confirm(request: HttpRequest, pk: int, to: str, action: str) -> HttpResponse:
    """A hire or a rejection ends the application: the employer sees what it means and adds the note on this
    page (the view named `action` makes the move)."""
    application = get_applicant_for_employer(request.user, pk)
    posting = application.posting
    return confirmation_page(
        request,
        "jobs/applicant_move.html",
        possible=to in services.APPLICATION_ALLOWED.get(application.status, ()),
        action=reverse(action, args=[pk]),
        cancel_url=reverse("jobs:applicant_detail", args=[pk]),
        application=application,
        posting=posting,
        worker=application.worker,
        to=to,
        move_form=MoveForm(),
        hired=posting.applications.hired().count() if to == AppStatus.HIRED else None,
    )


def _move(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    application = get_applicant_for_employer(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("note", []):
            messages.error(request, error)
        return redirect("jobs:applicant_detail", pk=pk)
    with refusals_shown(request):
        application = services.application_move(
            application=application, actor=request.user, to=to, note=form.cleaned_data["note"]
        )
        messages.success(
            request,
            _("%(name)s is now “%(status)s”; they have been notified.")
            % {"name": application.worker.display_name, "status": application.get_status_display()},
        )
    return redirect("jobs:applicant_detail", pk=pk)


@role_required(Role.EMPLOYER)
@require_POST
def applicant_interview(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, AppStatus.INTERVIEW)


@role_required(Role.EMPLOYER)
@require_POST
def applicant_offer(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, AppStatus.OFFERED)


@role_required(Role.EMPLOYER)
@require_GET
def applicant_hire_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm(request, pk, AppStatus.HIRED, "jobs:applicant_hire")


@role_required(Role.EMPLOYER)
@require_POST
def applicant_hire(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, AppStatus.HIRED)


@role_required(Role.EMPLOYER)
@require_GET
def applicant_reject_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm(request, pk, AppStatus.REJECTED, "jobs:applicant_reject")


@role_required(Role.EMPLOYER)
@require_POST
def applicant_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, AppStatus.REJECTED)
