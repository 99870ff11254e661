"""Assessments and certificates: the lists, recording an assessment (a pass issues a certificate), recording a
national certificate, revoking a certificate of either kind, a portal certificate's printable page with its
QR code, and the public certificate check."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.imports.links import start_url
from laborbrand.listings import staff_list
from laborbrand.pages import (
    Unavailable,
    query_id,
    refusals_shown,
    unavailable_page,
)
from training.forms.certificates import (
    AssessmentForm,
    CertificateFilterForm,
    CertificateVerifyForm,
    NationalCertificateForm,
    RevokeForm,
    national_certificate_fields,
)
from training.imports.certificates import NationalCertificateImporter
from training.listings import ASSESSMENT_SEARCH, ASSESSMENTS, CERTIFICATE_SEARCH, CERTIFICATES
from training.models import (
    Assessment,
    is_well_formed_certificate_number,
    is_well_formed_national_number,
    normalize_certificate_number,
)
from training.permissions import (
    cannot_record_assessment,
    cannot_record_certificate,
    certificate_check_key,
    get_certificate_for,
    get_enrollment_for_institution,
    get_printable_certificate,
    get_replaceable_certificate_for,
    is_certificate_check_key,
    own_institution,
    public_certificate,
    public_certificate_by_key,
    visible_assessments,
    visible_certificates,
)
from training.services import certificates as services

Role = User.Role


@role_required(Role.INSTITUTION_STAFF, Role.CITY_ADMIN)
def assessment_list(request: HttpRequest) -> HttpResponse:
    return staff_list(
        request,
        visible_assessments(request.user),
        ASSESSMENTS,
        "training/assessment_list.html",
        {
            "unavailable": cannot_record_assessment(request.user)
            if request.user.role == Role.INSTITUTION_STAFF
            else None,
            "pass_mark": Assessment.PASS_MARK,
        },
        search=ASSESSMENT_SEARCH,
        export_name=("assessments", _("Assessments")),
        open_ended=True,
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


# --- The certificate list, recording a national certificate, revoking ------------------------------------


def certificate_import_url(user: User) -> str:
    """The import of national certificates from Excel (laborbrand/imports): the city bureau's list for a
    city admin, the institution's for its staff. The one place its address is written."""
    return start_url(NationalCertificateImporter.key, own_institution(user))


@role_required(Role.INSTITUTION_STAFF, Role.CITY_ADMIN)
def certificate_list(request: HttpRequest) -> HttpResponse:
    """Certificates of both kinds: an institution's own (issued, recorded or imported by it), or every one
    for a city admin; filtered, searched and exported to Excel (ID numbers masked)."""
    form = CertificateFilterForm(request.GET or None)
    unavailable = cannot_record_certificate(request.user)
    return staff_list(
        request,
        form.filter(visible_certificates(request.user)),
        CERTIFICATES,
        "training/certificate_list.html",
        {
            "form": form,
            "unavailable": unavailable,
            "import_url": certificate_import_url(request.user) if unavailable is None else "",
        },
        search=CERTIFICATE_SEARCH,
        export_name=("certificates", _("Certificates")),
        open_ended=True,
    )


@role_required(Role.INSTITUTION_STAFF, Role.CITY_ADMIN)
def certificate_record(request: HttpRequest) -> HttpResponse:
    """Record a national certificate as printed: for anyone by real name and ID number, or (institution
    staff, `?replaces=`) in place of the portal certificate one of their assessments issued."""
    title = _("Record a national certificate")
    unavailable = cannot_record_certificate(request.user)
    if unavailable is not None:
        return unavailable_page(request, unavailable, title=title)
    institution = own_institution(request.user)
    replaces = None
    replaces_id = query_id(request, "replaces")
    if replaces_id is not None:
        replaces = get_replaceable_certificate_for(request.user, replaces_id)
        if not replaces.is_valid:
            no_longer = Unavailable(
                reason=_("Certificate %(number)s is “%(status)s”, so no certificate takes its place.")
                % {"number": replaces.number, "status": replaces.get_status_display()},
                url=reverse("training:certificate_list"),
                link=_("Back to the certificates"),
            )
            return unavailable_page(request, no_longer, title=title)
    form = NationalCertificateForm(request.POST or None, institution=institution, replaces=replaces)
    if form.is_valid():
        with refusals_shown(request, form):
            certificate, _opened = services.national_certificate_record(
                actor=request.user, institution=institution, **national_certificate_fields(form.cleaned_data)
            )
            messages.success(
                request,
                _("National certificate %(number)s recorded for %(name)s.")
                % {"number": certificate.number, "name": certificate.worker.display_name},
            )
            return redirect("training:certificate_list")
    return render(
        request,
        "training/certificate_record.html",
        {"form": form, "replaces": replaces, "institution": institution},
    )


@role_required(Role.INSTITUTION_STAFF, Role.CITY_ADMIN)
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_certificate_for(request.user, pk)
    form = RevokeForm(request.POST or None)
    if form.is_valid():
        with refusals_shown(request):
            services.certificate_revoke(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Certificate %(number)s revoked.") % {"number": certificate.number})
        return redirect("training:certificate_list")
    return render(request, "training/certificate_revoke.html", {"certificate": certificate, "form": form})


def certificate_check_url(number: str) -> str:
    """The public check of one certificate, as its QR code opens it: absolute (settings.SITE_URL, so it works
    from paper), with the number and its check key, nothing personal."""
    query = urlencode({"number": number, "key": certificate_check_key(number)})
    return f"{settings.SITE_URL.rstrip('/')}{reverse('training:certificate_verify')}?{query}"


# The QR code: medium error correction (a creased or smudged print still scans), one module a millimetre with
# the standard 4-module quiet zone: about 5 cm wide on paper for a portal URL.
QR_ERROR = "m"
QR_SVG = {"scale": 1, "border": 4, "unit": "mm", "svgclass": "certificate-qr", "lineclass": None}


def qr_svg(text: str, label: str) -> SafeString:
    """`text` as a QR code in inline SVG (no image request, no script: it prints as it shows), labelled for
    screen readers."""
    svg = segno.make(text, error=QR_ERROR).svg_inline(title=label, **QR_SVG)  # segno escapes the title
    labelled = svg.replace("<svg ", format_html('<svg role="img" aria-label="{}" ', label), 1)
    return mark_safe(labelled)  # noqa: S308  (segno's own markup; the label escaped above)


@login_required
@require_GET
def certificate_print(request: HttpRequest, pk: int) -> HttpResponse:
    """A certificate to show or print (A4): for its holder, and for the issuing institution's staff to print
    for the holder. Its QR code opens the public check with the number filled in and checked at once."""
    certificate = get_printable_certificate(request.user, pk)
    check_url = certificate_check_url(certificate.number)
    label = _("QR code: check certificate %(number)s on the portal") % {"number": certificate.number}
    return render(
        request,
        "training/certificate_print.html",
        {"certificate": certificate, "check_url": check_url, "qr": qr_svg(check_url, label)},
    )


def _count_look_up(request: HttpRequest) -> None:
    """Counts one look-up against the client's rate (settings.CERTIFICATE_VERIFY_RATE); past it, the 429
    page, saying why."""
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


def _number_from_link(request: HttpRequest) -> str:
    """The `number` of a link (a QR code, a bookmark): normalised when well formed, else as given, clipped to
    the field's length (it is only shown, escaped, in the form)."""
    given = request.GET.get("number", "")[: CertificateVerifyForm.base_fields["number"].max_length]
    number = normalize_certificate_number(given)
    well_formed = is_well_formed_certificate_number(number) or is_well_formed_national_number(number)
    return number if well_formed else given


def certificate_verify(request: HttpRequest) -> HttpResponse:
    """Public: check a certificate of either kind (a portal number, or a national number recorded here) by
    its number and the holder's name. A POST form, so names stay out of URLs and access logs. A link may
    fill in the number (`?number=`); with the number's check key as well (`&key=`, a portal certificate's QR
    code) the check runs at once, without the name. Each look-up counts
    against the client's rate (settings.CERTIFICATE_VERIFY_RATE), so numbers cannot be tried in bulk; a
    refused look-up is the 429 page, saying why."""
    if request.method == "POST":
        form = CertificateVerifyForm(request.POST)
    else:
        form = CertificateVerifyForm(initial={"number": _number_from_link(request)})
    context = {"form": form, "checked": False}
    if form.is_bound:
        _count_look_up(request)
        if form.is_valid():
            number = form.cleaned_data["number"]
            context["checked"] = True
            context["national_number"] = not is_well_formed_certificate_number(number)
            context["certificate"] = public_certificate(number, form.cleaned_data["holder_name"])
    elif "key" in request.GET:
        _count_look_up(request)
        number, key = _number_from_link(request), request.GET["key"]
        if is_certificate_check_key(number, key):
            certificate = public_certificate_by_key(number, key)
            context.update(checked=True, scanned=True, certificate=certificate)
        else:
            context["key_unrecognised"] = True
    return render(request, "training/certificate_verify.html", context)
