"""The job board's staff lists as tables (laborbrand/listings.py): the columns each list's Excel export holds,
the related rows loaded with it, its order, and the fields its keyword searches.

Personal identifiers appear as the page shows them to the same role: an applicant's phone in full only to
the staff of the company they applied to (jobs.permissions.employer_may_see_phone), masked otherwise; ID
numbers always masked. Keywords search names, titles and company names, never an encrypted field."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jobs.models import Application, Employer, JobPosting
from laborbrand.accounts.models import User
from laborbrand.listings import Column, Listing
from training.models import Certificate


def _name(value) -> str:
    return str(value) if value is not None else ""


def _names(related) -> str:
    """The names of a prefetched relation, in the order it was loaded."""
    return "、".join(str(item) for item in related.all())


# --- Apprenticeships ----------------------------------------------------------------------------------------

APPRENTICESHIP_SEARCH = ("worker__real_name", "employer__name", "institution__name", "occupation__name")
APPRENTICESHIPS = Listing(
    columns=(
        Column(_("Apprentice"), lambda a: a.worker.display_name),
        Column(_("Employer"), lambda a: a.employer.name),
        Column(_("Institution"), lambda a: a.institution.name),
        Column(_("Occupation"), lambda a: a.occupation.name),
        Column(_("Target level"), lambda a: str(a.target_level)),
        Column(_("Starts"), lambda a: a.start_date),
        Column(_("Ends"), lambda a: a.end_date),
        Column(_("Status"), lambda a: a.get_status_display()),
    ),
    related=("worker", "employer", "institution", "occupation", "target_level"),
    ordering=("-start_date", "-pk"),
)


# --- Employers (the city admins' list) ----------------------------------------------------------------------


def staff_accounts() -> Prefetch:
    """A company's staff accounts as the city admin checks them (name, user name, active)."""
    return Prefetch("staff", queryset=User.objects.order_by("pk").only("username", "real_name", "is_active"))


def _verification(employer: Employer) -> str:
    if employer.is_verified:
        return str(_("Verified"))
    if employer.rejection_reason:
        return str(_("Refused, waiting for corrections"))
    return str(_("Waiting for verification"))


def _staff(employer: Employer) -> str:
    return "、".join(f"{member.display_name} ({member.username})" for member in employer.staff.all())


EMPLOYER_SEARCH = ("name", "credit_code", "city_name", "industry", "contact_name")
EMPLOYER_COLUMNS = (
    Column(_("Company name"), lambda e: e.name),
    Column(_("Unified social credit code"), lambda e: e.credit_code),
    Column(_("Province"), lambda e: e.province.name),
    Column(_("City"), lambda e: e.city_name),
    Column(_("Industry"), lambda e: e.industry),
    Column(_("Contact person"), lambda e: e.contact_name),
    Column(_("Contact telephone"), lambda e: e.contact_phone),
    Column(_("Registered"), lambda e: e.created),
    Column(_("Verification"), _verification),
    Column(_("Verified at"), lambda e: e.verified_at),
    Column(_("Verified by"), lambda e: e.verified_by.display_name if e.verified_by else ""),
    Column(_("Reason for refusal"), lambda e: e.rejection_reason),
    Column(_("Staff accounts"), _staff),
)


def employer_listing() -> Listing:
    """The city admins' list of companies, with a Prefetch of its own (Django adds hints to the queryset
    it prefetches with, so none is kept between requests)."""
    return Listing(
        columns=EMPLOYER_COLUMNS,
        related=("province", "verified_by"),
        prefetch=(staff_accounts(),),
        ordering=("-created", "-pk"),
    )


# --- Postings (an employer's own; every posting for city admins) --------------------------------------------


def _posting_status(posting: JobPosting) -> str:
    """As the page's badge says it: an open posting past its open-until date is expired."""
    if posting.status == JobPosting.Status.OPEN and posting.is_expired:
        return str(JobPosting.Status.EXPIRED.label)
    return posting.get_status_display()


def _location(posting: JobPosting) -> str:
    parts = [posting.province.name]
    if posting.city_name and posting.city_name != posting.province.name:
        parts.append(posting.city_name)
    if posting.county_id:
        parts.append(posting.county.name)
    return " ".join(parts)


POSTING_SEARCH = ("title", "employer__name", "occupation__name", "city_name")
POSTINGS = Listing(
    columns=(
        Column(_("Job title"), lambda p: p.title),
        Column(_("Company"), lambda p: p.employer.name),
        Column(_("Occupation"), lambda p: p.occupation.name),
        Column(_("Location"), _location),
        Column(_("Minimum monthly salary (CNY)"), lambda p: p.salary_min),
        Column(_("Maximum monthly salary (CNY)"), lambda p: p.salary_max),
        Column(_("Openings"), lambda p: p.headcount),
        Column(_("Status"), _posting_status),
        Column(_("Applicants"), lambda p: p.applicant_count),
        Column(_("New applicants"), lambda p: p.new_count),
        Column(_("Open until"), lambda p: p.open_until),
        Column(_("Created"), lambda p: p.created),
    ),
    related=("employer", "occupation", "province", "county"),
    ordering=("-created", "-pk"),
)


# --- A posting's applicants ---------------------------------------------------------------------------------


def valid_certificates() -> Prefetch:
    return Prefetch(
        "worker__certificates",
        queryset=Certificate.objects.valid().select_related("occupation", "level"),
        to_attr="valid_certificates",
    )


def _home_county(application: Application) -> str:
    profile = getattr(application.worker, "profile", None)
    return profile.home_county.name if profile and profile.home_county else ""


def _desired_occupations(application: Application) -> str:
    profile = getattr(application.worker, "profile", None)
    return _names(profile.desired_occupations) if profile else ""


def _certificates(application: Application) -> str:
    certificates = getattr(application.worker, "valid_certificates", [])
    return "、".join(f"{c.occupation.name} {c.level}" for c in certificates)


APPLICANT_SEARCH = ("worker__real_name",)


def applicant_listing(*, show_phone: bool) -> Listing:
    """A posting's applicants, with their phone numbers in full when `show_phone` (the posting's own
    company: they agreed to share it with that company when applying), masked otherwise."""
    if show_phone:
        phone = Column(_("Mobile number"), lambda a: a.worker.phone or "")
    else:
        phone = Column(_("Mobile number (masked)"), lambda a: a.worker.masked_phone)
    return Listing(
        columns=(
            Column(pgettext_lazy("a person's name", "Full name"), lambda a: a.worker.display_name),
            phone,
            Column(_("National ID number (masked)"), lambda a: a.worker.masked_id_number),
            Column(_("Home county/district"), _home_county),
            Column(_("Desired occupations"), _desired_occupations),
            Column(_("Valid skill certificates"), _certificates),
            Column(_("Status"), lambda a: a.get_status_display()),
            Column(_("Applied at"), lambda a: a.created),
        ),
        related=("worker", "worker__profile", "worker__profile__home_county"),
        prefetch=("worker__profile__desired_occupations", valid_certificates()),
        ordering=("-created", "-pk"),
    )


# --- Labour cooperation -------------------------------------------------------------------------------------

PARTNER_SEARCH = ("name", "province__name")
PARTNERS = Listing(
    columns=(
        Column(_("Partner region"), lambda r: r.name),
        Column(_("Province"), lambda r: r.province.name),
        Column(_("Signed on"), lambda r: r.signed_on),
        Column(_("In force"), lambda r: str(_("Yes") if r.active else _("No"))),
        Column(_("Placement target per year"), lambda r: r.target_placements),
        Column(_("Placements this year"), lambda r: r.placements),
        Column(_("Share of the target (%)"), lambda r: r.percent),
        Column(_("Docking fairs this year"), lambda r: r.fairs_this_year),
        Column(_("Agreement"), lambda r: r.agreement),
    ),
    related=("province",),
    ordering=("province__code", "name", "pk"),
)


def _organiser(fair) -> str:
    return fair.county.name if fair.county_id else str(_("City bureau"))


FAIR_SEARCH = ("title", "place", "partner__name", "county__name")
FAIRS = Listing(
    columns=(
        Column(_("Date"), lambda f: f.held_on),
        Column(_("Title"), lambda f: f.title),
        Column(_("Place"), lambda f: f.place),
        Column(_("Partner region"), lambda f: f.partner.name),
        Column(_("Province"), lambda f: f.partner.province.name),
        Column(_("Organiser"), _organiser),
        Column(_("Employers"), lambda f: _names(f.employers)),
        Column(_("Postings"), lambda f: f.posting_count),
        Column(_("Attendance"), lambda f: f.attendance),
        Column(_("Resulting hires"), lambda f: f.resulting_hires),
    ),
    related=("partner", "partner__province", "county"),
    prefetch=("employers",),
    ordering=("-held_on", "-pk"),
)
