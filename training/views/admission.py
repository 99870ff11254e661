"""Admission (准入): the institution's applications and their files of evidence, and the city admins'
review queue and decisions."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.listings import staff_list
from laborbrand.pages import refusals_shown, unavailable_page
from training.forms.admission import ApplicationForm, AttachmentForm, ReviewFilterForm, ReviewForm
from training.listings import (
    ADMISSION_REVIEW_SEARCH,
    ADMISSION_REVIEWS,
    APPLICATION_SEARCH,
    APPLICATIONS,
)
from training.models import AdmissionApplication, ApplicationAttachment
from training.permissions import (
    can_edit_application,
    cannot_apply_for_admission,
    cannot_edit_application,
    get_application_for,
    get_attachment_for,
    own_institution,
    visible_applications,
)
from training.services import admission as services
from training.views.files import private_file

Role = User.Role


# --- Institution staff: applications ----------------------------------------------------------------------


@role_required(Role.INSTITUTION_STAFF, Role.CITY_ADMIN)
def application_list(request: HttpRequest) -> HttpResponse:
    if request.user.role == Role.CITY_ADMIN:
        return redirect("training:review_queue")
    return staff_list(
        request,
        visible_applications(request.user).distinct(),
        APPLICATIONS,
        "training/application_list.html",
        {
            "institution": own_institution(request.user),
            "unavailable": cannot_apply_for_admission(request.user),
        },
        search=APPLICATION_SEARCH,
        export_name=("admission-applications", _("Admission applications")),
    )


@role_required(Role.INSTITUTION_STAFF)
def application_create(request: HttpRequest) -> HttpResponse:
    unavailable = cannot_apply_for_admission(request.user)
    if unavailable is not None:
        return unavailable_page(request, unavailable, title=_("New admission application"))
    institution = own_institution(request.user)
    form = ApplicationForm(request.POST or None)
    if form.is_valid():
        with refusals_shown(request):
            application = services.application_create(institution=institution, **form.cleaned_data)
            messages.success(request, _("Application saved as a draft. Now attach your evidence."))
            return redirect("training:application_detail", pk=application.pk)
        return redirect("training:application_list")
    return render(request, "training/application_form.html", {"form": form})


@role_required(Role.INSTITUTION_STAFF, Role.CITY_ADMIN)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for(request.user, pk)
    if request.user.role == Role.CITY_ADMIN:
        return redirect("training:review_detail", pk=application.pk)
    attachments = list(application.attachments.all())
    return render(
        request,
        "training/application_detail.html",
        {
            "application": application,
            "can_edit": can_edit_application(request.user, application),
            "attachments": attachments,
            "attachments_by_criterion": [
                (value, label, [a for a in attachments if a.criterion == value])
                for value, label in ApplicationAttachment.Criterion.choices
            ],
            "attachment_form": AttachmentForm(),
            "reviews": application.reviews.select_related("reviewer"),
            "events": application.events.select_related("actor"),
        },
    )


@role_required(Role.INSTITUTION_STAFF)
def application_update(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for(request.user, pk)
    unavailable = cannot_edit_application(application)
    if unavailable is not None:
        return unavailable_page(request, unavailable, title=_("Edit the admission application"))
    form = ApplicationForm(request.POST or None, instance=application)
    if form.is_valid():
        with refusals_shown(request):
            services.application_update(application=application, **form.cleaned_data)
            messages.success(request, _("Application saved."))
        return redirect("training:application_detail", pk=application.pk)
    return render(request, "training/application_form.html", {"form": form, "application": application})


@role_required(Role.INSTITUTION_STAFF)
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for(request.user, pk)
    with refusals_shown(request):
        services.application_submit(application=application, actor=request.user)
        messages.success(request, _("Application submitted to the city bureau."))
    return redirect("training:application_detail", pk=application.pk)


@role_required(Role.INSTITUTION_STAFF)
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        with refusals_shown(request):
            services.attachment_add(
                application=application,
                actor=request.user,
                criterion=form.cleaned_data["criterion"],
                upload=form.cleaned_data["file"],
                content_type=form.content_type,
            )
            messages.success(request, _("File attached."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("training:application_detail", pk=application.pk)


@role_required(Role.INSTITUTION_STAFF)
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_attachment_for(request.user, pk)
    with refusals_shown(request):
        services.attachment_delete(attachment=attachment)
        messages.success(request, _("File removed."))
    return redirect("training:application_detail", pk=attachment.application_id)


@role_required(Role.INSTITUTION_STAFF, Role.CITY_ADMIN)
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_attachment_for(request.user, pk)
    return private_file(attachment.file, attachment.content_type, attachment.name)


# --- City admins: review ----------------------------------------------------------------------------------


@role_required(Role.CITY_ADMIN)
def review_queue(request: HttpRequest) -> HttpResponse:
    form = ReviewFilterForm(request.GET or None)
    applications = form.filter(visible_applications(request.user))
    counts = dict(visible_applications(request.user).values_list("status").annotate(n=Count("pk")))
    status_counts = [
        (value, label, counts.get(value, 0))
        for value, label in AdmissionApplication.Status.choices
        if value != AdmissionApplication.Status.DRAFT
    ]
    return staff_list(
        request,
        applications,
        ADMISSION_REVIEWS,
        "training/review_queue.html",
        {
            "form": form,
            "status_counts": status_counts,
            "attention": {AdmissionApplication.Status.SUBMITTED, AdmissionApplication.Status.UNDER_REVIEW},
        },
        search=ADMISSION_REVIEW_SEARCH,
        export_name=("admission-reviews", _("Admission review queue")),
    )


def _review_page(
    request: HttpRequest, application: AdmissionApplication, form: ReviewForm, status: int = 200
):
    attachments = list(application.attachments.all())
    context = {
        "application": application,
        "institution": application.institution,
        "attachments_by_criterion": [
            (value, label, [a for a in attachments if a.criterion == value])
            for value, label in ApplicationAttachment.Criterion.choices
        ],
        "reviews": application.reviews.select_related("reviewer"),
        "events": application.events.select_related("actor"),
        "form": form,
        "Status": AdmissionApplication.Status,
    }
    return render(request, "training/review_detail.html", context, status=status)


@role_required(Role.CITY_ADMIN)
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, get_application_for(request.user, pk), ReviewForm())


@role_required(Role.CITY_ADMIN)
@require_POST
def review_start(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for(request.user, pk)
    with refusals_shown(request):
        services.application_start_review(application=application, actor=request.user)
        messages.success(request, _("Review started."))
    return redirect("training:review_detail", pk=pk)


@role_required(Role.CITY_ADMIN)
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _review_page(request, application, form, status=400)
    with refusals_shown(request):
        services.application_decide(application=application, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Decision recorded and the institution notified."))
    return redirect("training:review_detail", pk=pk)
