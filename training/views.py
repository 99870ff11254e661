from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, OuterRef, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from brands.models import Brand
from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.accounts.views import organisation_registration
from laborbrand.exceptions import InvalidTransition
from laborbrand.pages import (
    confirmation_page,
    paginate,
    query_id,
    query_int,
    query_without_page,
    refusals_as_messages,
    unavailable_page,
)
from laborbrand.queries import count_of
from laborbrand.reference.models import County
from training import services
from training.forms import (
    AgreementForm,
    ApplicationForm,
    AssessmentForm,
    AttachmentForm,
    AttendanceForm,
    CertificateVerifyForm,
    CompleteEarlyForm,
    EthicsSessionForm,
    InstitutionForm,
    ProgramForm,
    ProgramSearchForm,
    ResultsForm,
    ReviewFilterForm,
    ReviewForm,
    RevokeForm,
    SuspendForm,
    WalkInForm,
)
from training.models import (
    AdmissionApplication,
    ApplicationAttachment,
    Assessment,
    Enrollment,
    EthicsAttendance,
    Institution,
    PartnerAgreement,
    TrainingProgram,
)
from training.models import filing_deadline as deadline_of
from training.permissions import (
    can_edit_application,
    can_edit_ethics_session,
    can_manage_program,
    cannot_apply_for_admission,
    cannot_create_program,
    cannot_edit_application,
    cannot_edit_program,
    cannot_record_agreement,
    cannot_record_assessment,
    cannot_record_ethics_session,
    cannot_record_results,
    editable_ethics_sessions,
    ethics_candidates,
    get_agreement_for,
    get_application_for,
    get_attachment_for,
    get_enrollment_for_institution,
    get_ethics_session_for,
    get_issued_certificate_for,
    get_own_enrollment,
    get_program_for,
    own_institution,
    public_certificate,
    public_institutions,
    public_programs,
    visible_agreements,
    visible_applications,
    visible_assessments,
    visible_ethics_sessions,
    visible_programs,
)

Role = User.Role
TAKING_A_PLACE = Enrollment.TAKING_A_PLACE
# The earliest year the agreements overview accepts in its URL (its menu offers the last five years).
FIRST_OVERVIEW_YEAR = 2000


@sensitive_post_parameters("account-password1", "account-password2")
def institution_register(request):
    return organisation_registration(
        request,
        org_form_class=InstitutionForm,
        register=services.institution_register,
        template="training/institution_register.html",
    )


# --- Public ---------------------------------------------------------------------------------------------


def institution_public_list(request: HttpRequest) -> HttpResponse:
    institutions = (
        public_institutions()
        .select_related("county")
        .prefetch_related(
            "occupations",
            Prefetch(
                "agreements__brands",
                queryset=Brand.objects.public().only("name", "slug", "status"),
            ),
        )
        .order_by("county__code", "name")
    )
    page = paginate(request, institutions)
    for institution in page:  # a brand named in several agreements is listed once
        brands = {b.pk: b for a in institution.agreements.all() for b in a.brands.all()}
        institution.partner_brands = sorted(brands.values(), key=lambda brand: brand.name)
    return render(request, "training/institution_public_list.html", {"page_obj": page})


# --- Institution staff: applications ----------------------------------------------------------------------


@role_required(Role.INSTITUTION_STAFF, Role.CITY_ADMIN)
def application_list(request: HttpRequest) -> HttpResponse:
    if request.user.role == Role.CITY_ADMIN:
        return redirect("training:review_queue")
    applications = visible_applications(request.user).select_related("institution")
    return render(
        request,
        "training/application_list.html",
        {
            "page_obj": paginate(request, applications),
            "institution": own_institution(request.user),
            "unavailable": cannot_apply_for_admission(request.user),
        },
    )


@role_required(Role.INSTITUTION_STAFF)
def application_create(request: HttpRequest) -> HttpResponse:
    unavailable = cannot_apply_for_admission(request.user)
    if unavailable is not None:
        return unavailable_page(request, unavailable, title=_("New admission application"))
    institution = own_institution(request.user)
    form = ApplicationForm(request.POST or None)
    if form.is_valid():
        try:
            application = services.application_create(institution=institution, **form.cleaned_data)
        except InvalidTransition as exc:
            messages.error(request, str(exc))
            return redirect("training:application_list")
        messages.success(request, _("Application saved as a draft. Now attach your evidence."))
        return redirect("training:application_detail", pk=application.pk)
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


@refusals_as_messages("training:application_detail")
@role_required(Role.INSTITUTION_STAFF)
def application_update(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for(request.user, pk)
    unavailable = cannot_edit_application(application)
    if unavailable is not None:
        return unavailable_page(request, unavailable, title=_("Edit the admission application"))
    form = ApplicationForm(request.POST or None, instance=application)
    if form.is_valid():
        services.application_update(application=application, **form.cleaned_data)
        messages.success(request, _("Application saved."))
        return redirect("training:application_detail", pk=application.pk)
    return render(request, "training/application_form.html", {"form": form, "application": application})


@refusals_as_messages("training:application_detail")
@role_required(Role.INSTITUTION_STAFF)
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for(request.user, pk)
    services.application_submit(application=application, actor=request.user)
    messages.success(request, _("Application submitted to the city bureau."))
    return redirect("training:application_detail", pk=application.pk)


@refusals_as_messages("training:application_detail")
@role_required(Role.INSTITUTION_STAFF)
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
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
    try:
        services.attachment_delete(attachment=attachment)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("File removed."))
    return redirect("training:application_detail", pk=attachment.application_id)


@role_required(Role.INSTITUTION_STAFF, Role.CITY_ADMIN)
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_attachment_for(request.user, pk)
    return _private_file(attachment.file, attachment.content_type, attachment.name)


def _private_file(field, content_type: str, name: str) -> FileResponse:
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- City admins: review ----------------------------------------------------------------------------------


@role_required(Role.CITY_ADMIN)
def review_queue(request: HttpRequest) -> HttpResponse:
    form = ReviewFilterForm(request.GET or None)
    applications = form.filter(visible_applications(request.user))
    applications = applications.select_related("institution", "institution__county").order_by(
        "submitted_at", "pk"
    )
    counts = dict(visible_applications(request.user).values_list("status").annotate(n=Count("pk")))
    status_counts = [
        (value, label, counts.get(value, 0))
        for value, label in AdmissionApplication.Status.choices
        if value != AdmissionApplication.Status.DRAFT
    ]
    return render(
        request,
        "training/review_queue.html",
        {
            "form": form,
            "page_obj": paginate(request, applications),
            "status_counts": status_counts,
            "attention": {AdmissionApplication.Status.SUBMITTED, AdmissionApplication.Status.UNDER_REVIEW},
            "query": query_without_page(request),
        },
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


@refusals_as_messages("training:review_detail")
@role_required(Role.CITY_ADMIN)
@require_POST
def review_start(request: HttpRequest, pk: int) -> HttpResponse:
    services.application_start_review(application=get_application_for(request.user, pk), actor=request.user)
    messages.success(request, _("Review started."))
    return redirect("training:review_detail", pk=pk)


@refusals_as_messages("training:review_detail")
@role_required(Role.CITY_ADMIN)
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _review_page(request, application, form, status=400)
    services.application_decide(application=application, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Decision recorded and the institution notified."))
    return redirect("training:review_detail", pk=pk)


@role_required(Role.CITY_ADMIN)
def institution_admin_list(request: HttpRequest) -> HttpResponse:
    institutions = Institution.objects.select_related("county").order_by("status", "name")
    return render(
        request,
        "training/institution_admin_list.html",
        {"page_obj": paginate(request, institutions), "suspend_form": SuspendForm()},
    )


@role_required(Role.CITY_ADMIN)
@require_POST
def institution_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    institution = get_object_or_404(Institution, pk=pk)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the reason for the decision."))
        return redirect("training:institution_admin_list")
    try:
        services.institution_suspend(
            institution=institution, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s suspended.") % {"name": institution.name})
    return redirect("training:institution_admin_list")


@role_required(Role.CITY_ADMIN)
@require_POST
def institution_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    institution = get_object_or_404(Institution, pk=pk)
    try:
        services.institution_reinstate(institution=institution, actor=request.user)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s reinstated.") % {"name": institution.name})
    return redirect("training:institution_admin_list")


# --- Partner agreements -----------------------------------------------------------------------------------


@role_required(Role.COUNTY_OFFICIAL, Role.INSTITUTION_STAFF)
def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = (
        visible_agreements(request.user).select_related("institution", "county").prefetch_related("brands")
    )
    unavailable = cannot_record_agreement(request.user) if request.user.role == Role.COUNTY_OFFICIAL else None
    return render(
        request,
        "training/agreement_list.html",
        {"page_obj": paginate(request, agreements), "unavailable": unavailable},
    )


@role_required(Role.COUNTY_OFFICIAL)
def agreement_create(request: HttpRequest) -> HttpResponse:
    unavailable = cannot_record_agreement(request.user)
    if unavailable is not None:
        return unavailable_page(request, unavailable, title=_("Record a partner agreement"))
    form = AgreementForm(request.POST or None, request.FILES or None, county=request.user.county)
    if form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.agreement_record(
                actor=request.user,
                institution=data["institution"],
                brands=data["brands"],
                signed_on=data["signed_on"],
                filed_on=data["filed_on"],
                document=data["document"],
            )
        except InvalidTransition as exc:
            messages.error(request, str(exc))
        else:
            if agreement.is_late:
                messages.warning(
                    request,
                    _("Agreement recorded. It was filed after the deadline of %(date)s and is shown as late.")
                    % {"date": agreement.deadline.isoformat()},
                )
            else:
                messages.success(request, _("Agreement recorded."))
            return redirect("training:agreement_list")
    return render(request, "training/agreement_form.html", {"form": form})


@role_required(Role.COUNTY_OFFICIAL, Role.INSTITUTION_STAFF, Role.CITY_ADMIN)
def agreement_document(request: HttpRequest, pk: int) -> FileResponse:
    agreement = get_agreement_for(request.user, pk)
    return _private_file(agreement.document, "application/pdf", f"agreement-{agreement.pk}.pdf")


@role_required(Role.CITY_ADMIN)
def agreement_overview(request: HttpRequest) -> HttpResponse:
    """Per county, this year's agreements filed on time and late; a county with no agreement is missing."""
    today = timezone.localdate()
    year = query_int(request, "year", default=today.year, low=FIRST_OVERVIEW_YEAR, high=today.year + 1)
    try:
        deadline = deadline_of(year)
    except ValueError:  # a deadline of 29 February in a common year
        year, deadline = today.year, deadline_of(today.year)
    agreements = (
        PartnerAgreement.objects.signed_in(year).select_related("institution").prefetch_related("brands")
    )
    by_county: dict[int, list[PartnerAgreement]] = {}
    for agreement in agreements:
        by_county.setdefault(agreement.county_id, []).append(agreement)
    rows = []
    for county in County.objects.all():
        items = by_county.get(county.pk, [])
        rows.append(
            {
                "county": county,
                "agreements": items,
                "on_time": sum(1 for a in items if not a.is_late),
                "late": sum(1 for a in items if a.is_late),
                "missing": not items,
            }
        )
    return render(
        request,
        "training/agreement_overview.html",
        {
            "rows": rows,
            "year": year,
            "deadline": deadline,
            "deadline_passed": today > deadline,
            "years": list(range(today.year, today.year - 5, -1)),
        },
    )


# --- Programmes: public search, the institution's management, the worker's own ---------------------------


def program_search(request: HttpRequest) -> HttpResponse:
    form = ProgramSearchForm(request.GET or None)
    programs = (
        form.filter(public_programs())
        .select_related("institution", "brand", "brand__county", "occupation", "target_level")
        .with_places()
    )
    applied = set()
    if request.user.is_authenticated and request.user.role == Role.WORKER:
        applied = set(request.user.enrollments.values_list("program_id", flat=True))
    return render(
        request,
        "training/program_search.html",
        {
            "form": form,
            "page_obj": paginate(request, programs.order_by("start_date", "pk")),
            "query": query_without_page(request),
            "applied": applied,
        },
    )


def program_public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A programme as anyone finds it: what, when, where, hours, fee, contact and places left, with the
    enrol button for workers ("sign in to enrol" for visitors, coming back here)."""
    program = get_object_or_404(
        public_programs()
        .select_related(
            "institution", "institution__county", "brand", "brand__county", "occupation", "target_level"
        )
        .with_places(),
        pk=pk,
    )
    user = request.user
    is_worker = user.is_authenticated and user.role == Role.WORKER
    return render(
        request,
        "training/program_public_detail.html",
        {
            "program": program,
            "is_worker": is_worker,
            "enrollment": user.enrollments.filter(program=program).first() if is_worker else None,
            "withdrawable": set(Enrollment.WITHDRAWABLE),
            "manages": visible_programs(user).filter(pk=pk).exists(),
        },
    )


@role_required(Role.WORKER)
@require_POST
def enrollment_apply(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(public_programs(), pk=pk)
    try:
        services.enrollment_apply(program=program, worker=request.user)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
        return redirect("training:program_public_detail", pk=pk)
    messages.success(
        request, _("Application sent to %(institution)s.") % {"institution": program.institution.name}
    )
    return redirect("training:my_training")


@role_required(Role.WORKER)
def my_training(request: HttpRequest) -> HttpResponse:
    """A worker's own training record: programmes and results, certificates, assessments, ethics sessions."""
    user = request.user
    enrollments = user.enrollments.select_related(
        "program", "program__institution", "program__brand", "program__occupation", "program__target_level"
    ).order_by("-applied_at")
    return render(
        request,
        "training/my_training.html",
        {
            "enrollments": enrollments,
            "certificates": user.certificates.select_related("institution", "occupation", "level"),
            "assessments": user.assessments.select_related("institution", "occupation", "level"),
            "ethics_sessions": user.ethics_sessions.select_related("county", "institution").order_by(
                "-held_on", "-pk"
            ),
            "withdrawable": set(Enrollment.WITHDRAWABLE),
        },
    )


@role_required(Role.WORKER)
@require_GET
def enrollment_withdraw_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """What withdrawing means, before the worker does it (enrollment_withdraw makes the move)."""
    enrollment = get_own_enrollment(request.user, pk)
    return confirmation_page(
        request,
        "training/enrollment_withdraw.html",
        possible=enrollment.status in Enrollment.WITHDRAWABLE,
        action=reverse("training:enrollment_withdraw", args=[pk]),
        cancel_url=reverse("training:my_training"),
        enrollment=enrollment,
        program=enrollment.program,
    )


@role_required(Role.WORKER)
@require_POST
def enrollment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = get_own_enrollment(request.user, pk)
    try:
        services.enrollment_withdraw(enrollment=enrollment, worker=request.user)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Enrolment withdrawn."))
    return redirect("training:my_training")


@role_required(Role.INSTITUTION_STAFF, Role.CITY_ADMIN)
def program_list(request: HttpRequest) -> HttpResponse:
    programs = (
        visible_programs(request.user)
        .select_related("institution", "brand", "occupation", "target_level")
        .with_places()
        .annotate(
            pending=count_of(
                Enrollment.objects.filter(program=OuterRef("pk"), status=Enrollment.Status.APPLIED)
            )
        )
        .order_by("-start_date", "-pk")
    )
    return render(
        request,
        "training/program_list.html",
        {
            "page_obj": paginate(request, programs),
            "institution": own_institution(request.user),
            "unavailable": cannot_create_program(request.user)
            if request.user.role == Role.INSTITUTION_STAFF
            else None,
        },
    )


@role_required(Role.INSTITUTION_STAFF)
def program_create(request: HttpRequest) -> HttpResponse:
    unavailable = cannot_create_program(request.user)
    if unavailable is not None:
        return unavailable_page(request, unavailable, title=_("New training programme"))
    institution = own_institution(request.user)
    form = ProgramForm(request.POST or None, institution=institution)
    if form.is_valid():
        try:
            program = services.program_create(institution=institution, **form.cleaned_data)
        except InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Programme saved. Open it for enrolment when you are ready."))
            return redirect("training:program_detail", pk=program.pk)
    return render(request, "training/program_form.html", {"form": form})


@refusals_as_messages("training:program_detail")
@role_required(Role.INSTITUTION_STAFF)
def program_update(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program_for(request.user, pk)
    unavailable = cannot_edit_program(program)
    if unavailable is not None:
        return unavailable_page(request, unavailable, title=_("Edit %(title)s") % {"title": program.title})
    form = ProgramForm(request.POST or None, instance=program, institution=program.institution)
    if form.is_valid():
        try:
            services.program_update(program=program, **form.cleaned_data)
        except InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Programme saved."))
            return redirect("training:program_detail", pk=program.pk)
    return render(request, "training/program_form.html", {"form": form, "program": program})


@role_required(Role.INSTITUTION_STAFF, Role.CITY_ADMIN)
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program_for(request.user, pk)
    enrollments = list(program.enrollments.select_related("worker").order_by("status", "applied_at"))
    return render(
        request,
        "training/program_detail.html",
        {
            "program": program,
            "can_manage": can_manage_program(request.user, program),
            "pending": [e for e in enrollments if e.status == Enrollment.Status.APPLIED],
            "trainees": [e for e in enrollments if e.status in TAKING_A_PLACE],
            "others": [
                e
                for e in enrollments
                if e.status in (Enrollment.Status.DECLINED, Enrollment.Status.WITHDRAWN)
            ],
            "next_status": next(iter(services.PROGRAM_ALLOWED.get(program.status, ())), None),
            "has_ended": program.has_ended(),
            "walk_in_form": WalkInForm(),
            "complete_early_form": CompleteEarlyForm(),
            "shortfalls": services.program_shortfalls(program),
            "events": program.events.select_related("actor"),
        },
    )


@refusals_as_messages("training:program_detail")
@role_required(Role.INSTITUTION_STAFF)
@require_POST
def program_advance(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    if to not in TrainingProgram.Status.values:
        raise Http404
    program = services.program_advance(program=get_program_for(request.user, pk), to=to, actor=request.user)
    messages.success(
        request, _("The programme is now “%(status)s”.") % {"status": program.get_status_display()}
    )
    return redirect("training:program_detail", pk=pk)


@refusals_as_messages("training:program_detail")
@role_required(Role.INSTITUTION_STAFF)
@require_POST
def program_complete_early(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program_for(request.user, pk)
    form = CompleteEarlyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for completing the programme before its end date."))
        return redirect("training:program_detail", pk=pk)
    services.program_complete_early(program=program, actor=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("The programme is completed early; its results can now be recorded."))
    return redirect("training:program_detail", pk=pk)


@role_required(Role.INSTITUTION_STAFF)
@require_POST
def enrollment_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    enrollment = get_enrollment_for_institution(request.user, pk)
    service = {"accept": services.enrollment_accept, "decline": services.enrollment_decline}.get(decision)
    if service is None:
        raise Http404
    try:
        service(enrollment=enrollment)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Application of %(name)s: %(status)s.")
            % {
                "name": enrollment.worker.display_name,
                "status": Enrollment.Status(
                    Enrollment.Status.ACCEPTED if decision == "accept" else Enrollment.Status.DECLINED
                ).label,
            },
        )
    return redirect("training:program_detail", pk=enrollment.program_id)


@refusals_as_messages("training:program_detail")
@role_required(Role.INSTITUTION_STAFF)
@require_POST
def enrollment_walk_in(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program_for(request.user, pk)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("training:program_detail", pk=pk)
    services.enrollment_add_walk_in(program=program, worker=form.worker)
    messages.success(request, _("%(name)s added to the programme.") % {"name": form.worker.display_name})
    return redirect("training:program_detail", pk=pk)


@refusals_as_messages("training:program_detail")
@role_required(Role.INSTITUTION_STAFF)
def program_results(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program_for(request.user, pk)
    unavailable = cannot_record_results(program)
    if unavailable is not None:
        return unavailable_page(
            request, unavailable, title=_("Results of %(title)s") % {"title": program.title}
        )
    enrollments = program.enrollments.taking_a_place().select_related("worker").order_by("worker__real_name")
    form = ResultsForm(request.POST or None, enrollments=enrollments)
    if form.is_valid():
        count = services.results_record(program=program, results=form.results())
        messages.success(
            request,
            ngettext(
                "Results recorded for %(count)d trainee.", "Results recorded for %(count)d trainees.", count
            )
            % {"count": count},
        )
        return redirect("training:program_detail", pk=pk)
    return render(
        request,
        "training/program_results.html",
        {"program": program, "form": form, "pass_mark": Assessment.PASS_MARK},
    )


# --- Ethics sessions ----------------------------------------------------------------------------------------

ETHICS_ORGANISERS = (Role.COUNTY_OFFICIAL, Role.INSTITUTION_STAFF, Role.CITY_ADMIN)


@role_required(*ETHICS_ORGANISERS)
def ethics_list(request: HttpRequest) -> HttpResponse:
    sessions = (
        visible_ethics_sessions(request.user)
        .select_related("county", "institution")
        .prefetch_related("brands")
        .annotate(attendee_count=count_of(EthicsAttendance.objects.filter(session=OuterRef("pk"))))
        .order_by("-held_on", "-pk")
    )
    return render(
        request,
        "training/ethics_list.html",
        {"page_obj": paginate(request, sessions), "unavailable": cannot_record_ethics_session(request.user)},
    )


@role_required(*ETHICS_ORGANISERS)
def ethics_create(request: HttpRequest) -> HttpResponse:
    unavailable = cannot_record_ethics_session(request.user)
    if unavailable is not None:
        return unavailable_page(request, unavailable, title=_("Record an ethics session"))
    form = EthicsSessionForm(request.POST or None, user=request.user)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            session = services.ethics_session_create(actor=request.user, brands=data.pop("brands"), **data)
        except InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Ethics session recorded. Add its attendance once it has taken place.")
            )
            return redirect("training:ethics_detail", pk=session.pk)
    return render(request, "training/ethics_form.html", {"form": form})


@role_required(*ETHICS_ORGANISERS)
def ethics_update(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(editable_ethics_sessions(request.user), pk=pk)
    form = EthicsSessionForm(request.POST or None, instance=session, user=request.user)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.ethics_session_update(
                session=session, actor=request.user, brands=data.pop("brands"), **data
            )
        except InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Ethics session saved."))
            return redirect("training:ethics_detail", pk=session.pk)
    return render(request, "training/ethics_form.html", {"form": form, "session": session})


def _ethics_detail_page(request: HttpRequest, session, form=None) -> HttpResponse:
    can_edit = can_edit_ethics_session(request.user, session)
    if can_edit and form is None:
        form = AttendanceForm(candidates=ethics_candidates(session))
    return render(
        request,
        "training/ethics_detail.html",
        {
            "session": session,
            "attendance": session.attendance.select_related("worker").order_by("worker__real_name", "pk"),
            "can_edit": can_edit,
            "held": session.held_on <= timezone.localdate(),
            "form": form if can_edit else None,
        },
    )


@role_required(*ETHICS_ORGANISERS)
def ethics_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _ethics_detail_page(request, get_ethics_session_for(request.user, pk))


@role_required(*ETHICS_ORGANISERS)
@require_POST
def ethics_attendance_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(editable_ethics_sessions(request.user), pk=pk)
    form = AttendanceForm(request.POST, candidates=ethics_candidates(session))
    if not form.is_valid():
        return _ethics_detail_page(request, session, form)
    try:
        added = services.ethics_attendance_add(session=session, workers=form.attendees())
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            ngettext("%(count)d attendee recorded.", "%(count)d attendees recorded.", added)
            % {"count": added},
        )
    return redirect("training:ethics_detail", pk=pk)


@refusals_as_messages("training:ethics_detail")
@role_required(*ETHICS_ORGANISERS)
@require_POST
def ethics_attendance_remove(request: HttpRequest, pk: int, worker_pk: int) -> HttpResponse:
    session = get_object_or_404(editable_ethics_sessions(request.user), pk=pk)
    services.ethics_attendance_remove(session=session, worker_id=worker_pk)
    messages.success(request, _("Attendee removed."))
    return redirect("training:ethics_detail", pk=pk)


# --- Assessments and certificates ---------------------------------------------------------------------------


@role_required(Role.INSTITUTION_STAFF, Role.CITY_ADMIN)
def assessment_list(request: HttpRequest) -> HttpResponse:
    assessments = visible_assessments(request.user).select_related(
        "worker", "institution", "occupation", "level", "certificate"
    )
    return render(
        request,
        "training/assessment_list.html",
        {
            "page_obj": paginate(request, assessments, open_ended=True),
            "unavailable": cannot_record_assessment(request.user)
            if request.user.role == Role.INSTITUTION_STAFF
            else None,
            "pass_mark": Assessment.PASS_MARK,
        },
    )


@role_required(Role.INSTITUTION_STAFF)
def assessment_create(request: HttpRequest) -> HttpResponse:
    unavailable = cannot_record_assessment(request.user)
    if unavailable is not None:
        return unavailable_page(request, unavailable, title=_("Record an assessment"))
    institution = own_institution(request.user)
    enrollment = None
    enrollment_id = query_id(request, "enrollment")
    if enrollment_id is not None:
        enrollment = get_enrollment_for_institution(request.user, enrollment_id)
    form = AssessmentForm(request.POST or None, institution=institution, enrollment=enrollment)
    if form.is_valid():
        try:
            assessment = services.assessment_record(
                institution=institution, actor=request.user, **form.assessment_fields()
            )
        except InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            if assessment.passed:
                messages.success(
                    request,
                    _("Passed. Certificate %(number)s issued to %(name)s.")
                    % {"number": assessment.certificate.number, "name": assessment.worker.display_name},
                )
            else:
                messages.info(
                    request,
                    _("Assessment recorded: %(name)s did not pass, so no certificate was issued.")
                    % {"name": assessment.worker.display_name},
                )
            if enrollment is not None:
                return redirect("training:program_detail", pk=enrollment.program_id)
            return redirect("training:assessment_list")
    return render(
        request,
        "training/assessment_form.html",
        {"form": form, "enrollment": enrollment, "institution": institution},
    )


@role_required(Role.INSTITUTION_STAFF)
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_issued_certificate_for(request.user, pk)
    form = RevokeForm(request.POST or None)
    if form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except InvalidTransition as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Certificate %(number)s revoked.") % {"number": certificate.number})
        return redirect("training:assessment_list")
    return render(request, "training/certificate_revoke.html", {"certificate": certificate, "form": form})


def certificate_verify(request: HttpRequest) -> HttpResponse:
    """Public: check a certificate by its number and the holder's name. A POST form, so names stay out of
    URLs and access logs. Each look-up counts against the client's rate (settings.CERTIFICATE_VERIFY_RATE),
    so numbers cannot be tried in bulk; a refused look-up is the 429 page, saying why."""
    form = CertificateVerifyForm(request.POST or None)
    context = {"form": form, "checked": False}
    if form.is_bound:
        usage = get_usage(
            request,
            group="certificate_verify",
            key="ip",
            rate=settings.CERTIFICATE_VERIFY_RATE,
            increment=True,
        )
        if usage["should_limit"]:
            # A count of 0 is django-ratelimit's answer when the cache could not count (Redis unreachable):
            # refused too (RATELIMIT_FAIL_OPEN is off), so numbers cannot be tried in bulk meanwhile.
            if usage["count"] == 0:
                raise Ratelimited(
                    _(
                        "The certificate check cannot count look-ups at the moment, so it is paused to "
                        "protect certificate holders. Please try again in a few minutes."
                    )
                )
            raise Ratelimited(_("Too many checks from your network. Please wait a minute and try again."))
        if form.is_valid():
            context["checked"] = True
            context["certificate"] = public_certificate(
                form.cleaned_data["number"], form.cleaned_data["holder_name"]
            )
    return render(request, "training/certificate_verify.html", context)
