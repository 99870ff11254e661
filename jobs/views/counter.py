"""The service counter (jobs/counter.py): a county official registers a worker who is present and applies to
jobs on a worker's behalf, each time with a code the worker reads out; the counter's record for officials
and city admins; "Done for me at the counter" for the worker.

What is between two steps waits in the session: the registration (encrypted), the worker found and the job
whose code was sent. No URL carries a worker's id, so workers cannot be browsed."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobs import counter
from jobs.forms.board import PostingSearchForm as BoardSearchForm
from jobs.forms.counter import CodeForm, CounterRegistrationForm, FindWorkerForm, PostingSearchForm
from jobs.permissions import public_postings
from jobs.services import consent_text
from laborbrand.accounts import pii
from laborbrand.accounts.codes import CodeRefused
from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.forms import parse_id
from laborbrand.pages import paginate, refusals_shown
from laborbrand.reference.models import County, Occupation

Role = User.Role
WORKER = "counter.worker"
APPLY = "counter.apply"
POSTINGS_SHOWN = 10

counter_staff_only = role_required(*counter.COUNTER_ROLES)


# --- Registering a worker -----------------------------------------------------------------------------------


@counter_staff_only
def register(request: HttpRequest) -> HttpResponse:
    """Step 1: the worker's details from their ID card; a valid form sends the consent code to their phone."""
    form = CounterRegistrationForm(request.POST or None, county=request.user.county)
    if form.is_valid():
        data = form.pending()
        try:
            counter.registration_request_code(
                staff=request.user, phone=data["phone"], id_number=data["id_number"]
            )
        except CodeRefused as exc:
            form.add_error(None, str(exc))
        else:
            counter.pending_registration_save(request.session, data)
            return redirect("jobs:counter_register_confirm")
    return render(request, "jobs/counter/register.html", {"form": form}, status=400 if form.errors else 200)


def _pending_or_restart(request: HttpRequest) -> dict | None:
    pending = counter.pending_registration(request.session)
    if pending is None:
        messages.info(
            request, _("There is no registration waiting for a code. Start with the worker's details.")
        )
    return pending


def _confirm_page(request: HttpRequest, pending: dict, form: CodeForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "jobs/counter/register_confirm.html",
        {
            "form": form,
            "real_name": pending["real_name"],
            "masked_phone": pii.mask_phone(pending["phone"]),
            "masked_id_number": pii.mask_id_number(pending["id_number"]),
            "consent_text": counter.registration_consent_text(request.user.county),
        },
        status=status,
    )


@counter_staff_only
def register_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: the official reads the consent text to the worker, who reads out the code; the account is
    opened."""
    pending = _pending_or_restart(request)
    if pending is None:
        return redirect("jobs:counter_register")
    form = CodeForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _confirm_page(request, pending, form, status=400 if form.errors else 200)
    with refusals_shown(request, form):
        worker = counter.worker_register_at_counter(
            staff=request.user,
            code=form.cleaned_data["code"],
            real_name=pending["real_name"],
            id_number=pending["id_number"],
            phone=pending["phone"],
            home_county=County.objects.get(pk=pending["home_county"]),
            desired_occupations=Occupation.objects.filter(pk__in=pending["desired_occupations"]),
        )
        counter.pending_registration_clear(request.session)
        request.session[WORKER] = worker.pk
        request.session.pop(APPLY, None)
        messages.success(
            request,
            _(
                "The account of %(name)s is open and their mobile number verified. A text message tells them "
                "how to sign in. You can now apply to a job for them."
            )
            % {"name": worker.real_name},
        )
        return redirect("jobs:counter_apply")
    return _confirm_page(request, pending, form, status=400)


@counter_staff_only
@require_POST
def register_resend(request: HttpRequest) -> HttpResponse:
    pending = _pending_or_restart(request)
    if pending is None:
        return redirect("jobs:counter_register")
    try:
        counter.registration_request_code(
            staff=request.user, phone=pending["phone"], id_number=pending["id_number"]
        )
    except CodeRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("A new code is on its way to the worker's phone."))
    return redirect("jobs:counter_register_confirm")


@counter_staff_only
@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    """Forget what waits in the session: a registration, the worker found, the job chosen."""
    counter.pending_registration_clear(request.session)
    request.session.pop(WORKER, None)
    request.session.pop(APPLY, None)
    messages.info(request, _("Cancelled. Nothing was done for the worker."))
    return redirect("jobs:counter_acts")


# --- Acting on a worker's behalf ----------------------------------------------------------------------------


@counter_staff_only
def find_worker(request: HttpRequest) -> HttpResponse:
    """The worker by their exact mobile number or ID number (POST: the number
    stays out of URLs and logs)."""
    form = FindWorkerForm(request.POST or None)
    if form.is_valid():
        worker = counter.find_worker(form.cleaned_data["number"])
        if worker is not None:
            request.session[WORKER] = worker.pk
            request.session.pop(APPLY, None)
            return redirect("jobs:counter_apply")
        form.add_error("number", _("No worker has this mobile number or ID number."))
    return render(
        request, "jobs/counter/find_worker.html", {"form": form}, status=400 if form.errors else 200
    )


def _worker_or_find(request: HttpRequest) -> User | None:
    worker = counter.counter_worker(request.session.get(WORKER))
    if worker is None:
        messages.info(request, _("Find the worker first, by their mobile number or ID number."))
    return worker


@counter_staff_only
def apply(request: HttpRequest) -> HttpResponse:
    """The worker found (masked) and the open jobs matching the keywords, each with its button that sends
    the worker the code for it."""
    worker = _worker_or_find(request)
    if worker is None:
        return redirect("jobs:counter_find_worker")
    form = PostingSearchForm(request.GET or None)
    postings = public_postings().none()
    searched = form.is_valid() and bool(form.cleaned_data["q"].strip())
    if searched:
        board = BoardSearchForm({"q": form.cleaned_data["q"]})
        postings = (
            board.filter(public_postings())
            .select_related("employer")
            .order_by("-published_at", "-pk")[:POSTINGS_SHOWN]
        )
    return render(
        request,
        "jobs/counter/apply.html",
        {
            "worker": worker,
            "masked_name": pii.mask_name(worker.real_name),
            "form": form,
            "searched": searched,
            "postings": list(postings),
            "applied": set(worker.job_applications.values_list("posting_id", flat=True)),
            "shown": POSTINGS_SHOWN,
        },
    )


@counter_staff_only
@require_POST
def apply_code(request: HttpRequest) -> HttpResponse:
    """Send the worker the code for one job; the confirmation page waits for it."""
    worker = _worker_or_find(request)
    if worker is None:
        return redirect("jobs:counter_find_worker")
    posting = counter.counter_posting(parse_id(request.POST.get("posting")))
    if posting is None:
        messages.error(request, _("This job is no longer advertised. Choose another."))
        return redirect("jobs:counter_apply")
    with refusals_shown(request):
        try:
            counter.apply_request_code(staff=request.user, worker=worker, posting=posting)
        except CodeRefused as exc:
            messages.error(request, str(exc))
        else:
            request.session[APPLY] = posting.pk
            return redirect("jobs:counter_apply_confirm")
    return redirect("jobs:counter_apply")


@counter_staff_only
def apply_confirm(request: HttpRequest) -> HttpResponse:
    """The consent the official reads to the worker for this job, and the code the worker reads out."""
    worker = _worker_or_find(request)
    if worker is None:
        return redirect("jobs:counter_find_worker")
    posting = counter.counter_posting(request.session.get(APPLY))
    if posting is None:
        messages.info(request, _("Choose the job to apply to first."))
        return redirect("jobs:counter_apply")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request, form):
            counter.apply_at_counter(
                staff=request.user, worker=worker, posting=posting, code=form.cleaned_data["code"]
            )
            request.session.pop(APPLY, None)
            messages.success(
                request,
                _("%(name)s applied to “%(title)s”. %(employer)s has been told; the worker can follow it.")
                % {
                    "name": pii.mask_name(worker.real_name),
                    "title": posting.title,
                    "employer": posting.employer.name,
                },
            )
            return redirect("jobs:counter_apply")
    return render(
        request,
        "jobs/counter/apply_confirm.html",
        {
            "worker": worker,
            "masked_name": pii.mask_name(worker.real_name),
            "posting": posting,
            "consent_text": consent_text(posting),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


# --- The record ---------------------------------------------------------------------------------------------


@role_required(*counter.RECORD_ROLES)
def acts(request: HttpRequest) -> HttpResponse:
    """The counter's record: an official's county, or every county for a city admin."""
    return render(
        request,
        "jobs/counter/act_list.html",
        {
            "page_obj": paginate(request, counter.visible_counter_acts(request.user)),
            "may_work_counter": counter.may_work_counter(request.user),
            "all_counties": request.user.role == Role.CITY_ADMIN,
        },
    )


@role_required(Role.WORKER)
def done_for_me(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "jobs/counter/done_for_me.html",
        {"page_obj": paginate(request, counter.visible_counter_acts(request.user))},
    )
