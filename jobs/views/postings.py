"""An employer's job postings: its list in every status, creating, editing, publishing, closing and marking
filled; and a city admin taking a posting down."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from jobs import services
from jobs.forms.postings import PostingFilterForm, PostingForm, TakeDownForm
from jobs.listings import POSTING_SEARCH, POSTINGS
from jobs.matching.permissions import posting_candidates
from jobs.models import Application, Employer, JobPosting
from jobs.permissions import get_own_posting, own_employer, visible_postings
from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.listings import staff_list, wants_export
from laborbrand.pages import confirmation_page, refusals_shown
from laborbrand.queries import count_of

Role = User.Role
PostingStatus = JobPosting.Status
AppStatus = Application.Status

# The statuses an employer sets by hand, in the order they are offered: the button's label and where it
# leads. A move that cannot be undone (a filled posting is never published again) leads to its confirmation
# page; closing does not (the employer can publish a closed posting again).
STATUS_ACTIONS = {
    PostingStatus.CLOSED: (gettext_lazy("Close"), "jobs:posting_close"),
    PostingStatus.FILLED: (gettext_lazy("Mark filled"), "jobs:posting_fill_confirm"),
}
CONFIRMED_STATUSES = (PostingStatus.FILLED,)


def _own_employer_or_403(user: User) -> Employer:
    """The company of an employer-role user; an account not (or no longer) attached to one may not act."""
    employer = own_employer(user)
    if employer is None:
        raise PermissionDenied
    return employer


@role_required(Role.EMPLOYER, Role.CITY_ADMIN)
def posting_manage_list(request: HttpRequest) -> HttpResponse:
    """An employer's postings in every status with their applicant counts; for city admins every company's
    postings (each leading to its public page, where they can take it down)."""
    visible = visible_postings(request.user)
    applications = Application.objects.filter(posting=OuterRef("pk"))
    form = PostingFilterForm(request.GET or None)
    postings = form.filter(visible).annotate(
        applicant_count=count_of(applications),
        new_count=count_of(applications.filter(status=AppStatus.SUBMITTED)),
    )
    context = {
        "form": form,
        "attention": {PostingStatus.DRAFT},
        "overseeing": request.user.role == Role.CITY_ADMIN,
        "employer": own_employer(request.user),
    }
    if not wants_export(request):
        counts = dict(visible.values_list("status").annotate(n=Count("pk")).order_by())
        context["status_counts"] = [
            (value, label, counts.get(value, 0)) for value, label in PostingStatus.choices
        ]
        context["total"] = sum(counts.values())
    return staff_list(
        request,
        postings,
        POSTINGS,
        "jobs/posting_manage_list.html",
        context,
        search=POSTING_SEARCH,
        export_name=("postings", _("Job postings")),
    )


@role_required(Role.EMPLOYER)
def posting_create(request: HttpRequest) -> HttpResponse:
    employer = _own_employer_or_403(request.user)
    form = PostingForm(request.POST or None, creating=True)
    if form.is_valid():
        with refusals_shown(request, form):
            posting = services.posting_create(employer=employer, actor=request.user, **form.cleaned_data)
            if employer.is_verified:
                messages.success(request, _("Posting saved as a draft. Publish it when it is ready."))
            else:
                messages.success(
                    request,
                    _(
                        "Posting saved as a draft. It can be published once the city has verified your "
                        "company."
                    ),
                )
            return redirect("jobs:posting_manage_detail", pk=posting.pk)
    return render(request, "jobs/posting_form.html", {"form": form, "employer": employer})


@role_required(Role.EMPLOYER)
def posting_manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    posting = get_own_posting(request.user, pk)
    counts = dict(posting.applications.values_list("status").annotate(n=Count("pk")).order_by())
    verified = posting.employer.is_verified
    return render(
        request,
        "jobs/posting_manage_detail.html",
        {
            "posting": posting,
            "employer": posting.employer,
            "applicant_counts": [(value, label, counts.get(value, 0)) for value, label in AppStatus.choices],
            "applicant_total": sum(counts.values()),
            "candidate_count": posting_candidates(request.user, posting).count(),
            "can_edit": posting.status in services.EDITABLE_POSTING_STATUSES,
            "can_publish": posting.status in services.PUBLISHABLE_POSTING_STATUSES,
            "publish_blocked": not verified,
            "status_actions": [
                (reverse(url_name, args=[pk]), label, to in CONFIRMED_STATUSES)
                for to, (label, url_name) in STATUS_ACTIONS.items()
                if to in services.POSTING_STATUS_ALLOWED.get(posting.status, ())
            ],
        },
    )


@role_required(Role.EMPLOYER)
def posting_update(request: HttpRequest, pk: int) -> HttpResponse:
    posting = get_own_posting(request.user, pk)
    # A filled or taken-down posting: the refusal is a message on its page, where no form is offered.
    with refusals_shown(request):
        services.posting_assert_editable(posting)
        title = posting.title  # the form writes its input onto the instance while validating
        form = PostingForm(request.POST or None, instance=posting)
        if form.is_valid():
            with refusals_shown(request, form):
                services.posting_update(posting=posting, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Posting saved."))
                return redirect("jobs:posting_manage_detail", pk=pk)
        return render(
            request,
            "jobs/posting_form.html",
            {"form": form, "posting": posting, "title": title, "employer": posting.employer},
        )
    return redirect("jobs:posting_manage_detail", pk=pk)


@role_required(Role.EMPLOYER)
@require_POST
def posting_publish(request: HttpRequest, pk: int) -> HttpResponse:
    with refusals_shown(request):
        posting = services.posting_publish(posting=get_own_posting(request.user, pk), actor=request.user)
        messages.success(
            request,
            _("Published: the posting is on the public job board until %(date)s.")
            % {"date": posting.open_until.isoformat()},
        )
    return redirect("jobs:posting_manage_detail", pk=pk)


def _set_status(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    with refusals_shown(request):
        posting = services.posting_set_status(
            posting=get_own_posting(request.user, pk), actor=request.user, to=to
        )
        messages.success(
            request, _("The posting is now “%(status)s”.") % {"status": posting.get_status_display()}
        )
    return redirect("jobs:posting_manage_detail", pk=pk)


@role_required(Role.EMPLOYER)
@require_POST
def posting_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_status(request, pk, PostingStatus.CLOSED)


@role_required(Role.EMPLOYER)
@require_GET
def posting_fill_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """What marking a posting filled means, before the employer does it (posting_fill makes it)."""
    posting = get_own_posting(request.user, pk)
    return confirmation_page(
        request,
        "jobs/posting_set_status.html",
        possible=PostingStatus.FILLED in services.POSTING_STATUS_ALLOWED.get(posting.status, ()),
        action=reverse("jobs:posting_fill", args=[pk]),
        cancel_url=reverse("jobs:posting_manage_detail", args=[pk]),
        posting=posting,
        to=PostingStatus.FILLED,
        still_open=posting.applications.filter(status__in=services.WITHDRAWABLE).count(),
    )


@role_required(Role.EMPLOYER)
@require_POST
def posting_fill(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_status(request, pk, PostingStatus.FILLED)


@role_required(Role.CITY_ADMIN)
def posting_take_down(request: HttpRequest, pk: int) -> HttpResponse:
    posting = get_object_or_404(
        visible_postings(request.user).select_related("employer", "occupation", "province", "county"), pk=pk
    )
    form = TakeDownForm(request.POST or None)
    if form.is_valid():
        with refusals_shown(request):
            services.posting_take_down(
                posting=posting, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("“%(title)s” is taken down and %(employer)s is told why.")
                % {"title": posting.title, "employer": posting.employer.name},
            )
        return redirect("jobs:posting_detail", pk=pk)
    return render(
        request,
        "jobs/posting_take_down.html",
        {"posting": posting, "form": form},
        status=400 if form.is_bound else 200,
    )
