"""Assessments and certificates: the lists, recording an assessment (a pass issues a certificate), revoking
a certificate, and the public certificate check."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.pages import paginate, query_id, refusals_shown, unavailable_page
from training.forms.certificates import AssessmentForm, CertificateVerifyForm, RevokeForm
from training.models import Assessment
from training.permissions import (
    cannot_record_assessment,
    get_enrollment_for_institution,
    get_issued_certificate_for,
    own_institution,
    public_certificate,
    visible_assessments,
)
from training.services import certificates as services

Role = User.Role


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
        with refusals_shown(request, form):
            assessment = services.assessment_record(
                institution=institution, actor=request.user, **form.assessment_fields()
            )
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
        with refusals_shown(request):
            services.certificate_revoke(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
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
