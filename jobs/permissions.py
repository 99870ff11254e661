"""Every access decision about the jobs app's records (the matching's are in jobs/matching/permissions.py).
Employer staff see their own company's records, institution staff their institution's, workers their own;
another party's record answers 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from jobs.models import (
    Application,
    Apprenticeship,
    DockingFair,
    Employer,
    JobPosting,
    PartnerRegion,
)
from laborbrand.accounts.models import User
from laborbrand.pages import Unavailable
from training.models import Institution
from training.permissions import institution_unavailable, own_institution

Role = User.Role


def own_employer(user: User) -> Employer | None:
    return user.employers.first() if user.role == Role.EMPLOYER else None


def visible_employers(user: User) -> QuerySet[Employer]:
    """City admins see every company (they verify them); employer staff see their own."""
    if not user.is_authenticated:
        return Employer.objects.none()
    if user.role == Role.CITY_ADMIN:
        return Employer.objects.all()
    if user.role == Role.EMPLOYER:
        return Employer.objects.filter(staff=user)
    return Employer.objects.none()


def get_employer_for(user: User, pk: int) -> Employer:
    return get_object_or_404(visible_employers(user), pk=pk)


def visible_apprenticeships(user: User) -> QuerySet[Apprenticeship]:
    if not user.is_authenticated:
        return Apprenticeship.objects.none()
    if user.role == Role.CITY_ADMIN:
        return Apprenticeship.objects.all()
    if user.role == Role.EMPLOYER:
        return Apprenticeship.objects.filter(employer__staff=user)
    if user.role == Role.INSTITUTION_STAFF:
        return Apprenticeship.objects.filter(institution__staff=user)
    if user.role == Role.WORKER:
        return Apprenticeship.objects.filter(worker=user)
    return Apprenticeship.objects.none()


def get_apprenticeship_for_party(user: User, pk: int) -> Apprenticeship:
    """An apprenticeship its employer or institution manages; anyone else gets 404."""
    if user.role not in (Role.EMPLOYER, Role.INSTITUTION_STAFF):
        return get_object_or_404(Apprenticeship.objects.none(), pk=pk)
    return get_object_or_404(visible_apprenticeships(user), pk=pk)


# --- Job board ----------------------------------------------------------------------------------------------


def public_postings() -> QuerySet[JobPosting]:
    """What anyone can find and workers can apply to: open postings of verified employers, not expired."""
    return JobPosting.objects.public()


def visible_postings(user: User) -> QuerySet[JobPosting]:
    """Postings a user manages (employer staff: their company's, in every status) or oversees (city
    admins)."""
    if not user.is_authenticated:
        return JobPosting.objects.none()
    if user.role == Role.CITY_ADMIN:
        return JobPosting.objects.all()
    if user.role == Role.EMPLOYER:
        return JobPosting.objects.filter(employer__staff=user)
    return JobPosting.objects.none()


def get_own_posting(user: User, pk: int) -> JobPosting:
    """A posting of the user's own company; anyone else (other employers too) gets 404."""
    if not user.is_authenticated or user.role != Role.EMPLOYER:
        return get_object_or_404(JobPosting.objects.none(), pk=pk)
    return get_object_or_404(
        JobPosting.objects.select_related(
            "employer", "occupation", "min_level", "brand", "province", "county"
        ),
        employer__staff=user,
        pk=pk,
    )


def get_viewable_posting(user: User, pk: int) -> JobPosting:
    """The public page of a posting: public postings for everyone, plus any posting for its own employer
    and for city admins (to preview, or to take one down)."""
    postings = JobPosting.objects.select_related(
        "employer", "employer__province", "occupation", "min_level", "brand", "province", "county"
    )
    public = postings.public().filter(pk=pk)
    if public.exists():
        return public.get()
    return get_object_or_404(postings.filter(pk__in=visible_postings(user).values("pk")), pk=pk)


def get_posting_to_apply(pk: int) -> JobPosting:
    """A posting a worker may have seen and apply to: any but a draft, which has never been public (404).
    One that no longer takes applications is the apply page's to explain."""
    return get_object_or_404(
        JobPosting.objects.exclude(status=JobPosting.Status.DRAFT).select_related(
            "employer", "occupation", "min_level", "province", "county"
        ),
        pk=pk,
    )


def manages_posting(user: User, posting: JobPosting) -> bool:
    """The user is staff of the posting's company (sees its management links and its applicants)."""
    return (
        user.is_authenticated
        and user.role == Role.EMPLOYER
        and posting.employer.staff.filter(pk=user.pk).exists()
    )


def get_own_application(user: User, pk: int) -> Application:
    if not user.is_authenticated:
        return get_object_or_404(Application.objects.none(), pk=pk)
    return get_object_or_404(
        Application.objects.select_related("posting", "posting__employer"), worker=user, pk=pk
    )


def get_applicant_for_employer(user: User, pk: int) -> Application:
    """An application to one of the user's company's postings. Only then does the employer see the
    applicant's phone number; another employer gets 404."""
    if not user.is_authenticated or user.role != Role.EMPLOYER:
        return get_object_or_404(Application.objects.none(), pk=pk)
    return get_object_or_404(
        Application.objects.select_related("posting", "posting__employer", "worker", "worker__profile"),
        posting__employer__staff=user,
        pk=pk,
    )


def employer_may_see_phone(user: User, application: Application) -> bool:
    return manages_posting(user, application.posting)


# --- Labour cooperation -------------------------------------------------------------------------------------


def visible_fairs(user: User) -> QuerySet[DockingFair]:
    """City admins see all docking fairs; county officials see the city's and their county's."""
    if not user.is_authenticated:
        return DockingFair.objects.none()
    if user.role == Role.CITY_ADMIN:
        return DockingFair.objects.all()
    if user.role == Role.COUNTY_OFFICIAL:
        return DockingFair.objects.filter(Q(county__isnull=True) | Q(county=user.county_id))
    return DockingFair.objects.none()


def editable_fairs(user: User) -> QuerySet[DockingFair]:
    """The organiser edits a fair: the city's by city admins, a county's by its officials."""
    if not user.is_authenticated:
        return DockingFair.objects.none()
    if user.role == Role.CITY_ADMIN:
        return DockingFair.objects.filter(county__isnull=True)
    if user.role == Role.COUNTY_OFFICIAL:
        return DockingFair.objects.filter(county=user.county_id)
    return DockingFair.objects.none()


def visible_partner_regions(user: User) -> QuerySet[PartnerRegion]:
    if user.is_authenticated and user.role in (Role.CITY_ADMIN, Role.COUNTY_OFFICIAL):
        return PartnerRegion.objects.all()
    return PartnerRegion.objects.none()


# --- Forms a party cannot use yet: why, and what to do instead ------------------------------------------


def _no_verified_employer(what: str) -> Unavailable | None:
    if Employer.objects.filter(verified_at__isnull=False).exists():
        return None
    return Unavailable(reason=what)


def employer_unavailable(employer: Employer | None) -> Unavailable | None:
    """Why an employer cannot record apprentices yet: the city has not verified it (None once it has)."""
    if employer is None:
        return Unavailable(
            reason=_("Your account is not linked to a company."),
            next_step=_("Please contact the city bureau."),
        )
    if employer.is_verified:
        return None
    if employer.rejection_reason:
        return Unavailable(
            reason=_("The city bureau could not verify %(name)s yet: %(why)s")
            % {"name": employer.name, "why": employer.rejection_reason},
            next_step=_("Correct your company's details; the city then reviews them again."),
            url=reverse("jobs:employer_edit"),
            link=_("Correct the company's details"),
        )
    return Unavailable(
        reason=_("The city bureau has not verified %(name)s yet.") % {"name": employer.name},
        next_step=_(
            "You will be notified once it is verified; your company's details can be checked meanwhile."
        ),
        url=reverse("jobs:employer_edit"),
        link=_("Company details"),
    )


def cannot_record_apprenticeship(user: User) -> Unavailable | None:
    """An apprenticeship joins a verified employer and a qualified institution; either records it."""
    if user.role == Role.INSTITUTION_STAFF:
        return institution_unavailable(own_institution(user)) or _no_verified_employer(
            _("No employer is verified yet, and an apprenticeship is recorded with a verified employer.")
        )
    unavailable = employer_unavailable(own_employer(user))
    if unavailable is not None:
        return Unavailable(
            reason=" ".join(
                [str(_("Apprenticeships are recorded by verified employers.")), unavailable.reason]
            ),
            next_step=unavailable.next_step,
            url=unavailable.url,
            link=unavailable.link,
        )
    if not Institution.objects.qualified().exists():
        return Unavailable(
            reason=_(
                "No training institution is qualified (准入) at the moment, and an apprenticeship is "
                "recorded with a qualified institution."
            )
        )
    return None


def cannot_record_fair(user: User) -> Unavailable | None:
    """A docking fair is held with a partner region in force and at least one verified employer."""
    if not PartnerRegion.objects.filter(active=True).exists():
        reason = _("A docking fair is held with a partner region, and no partner region is in force.")
        if user.role == Role.CITY_ADMIN:
            return Unavailable(
                reason=reason,
                next_step=_("Add the partner region first."),
                url=reverse("jobs:partner_create"),
                link=_("Add a partner region"),
            )
        return Unavailable(
            reason=reason,
            next_step=_("The city bureau records partner regions; ask it to add the region."),
            url=reverse("jobs:partner_list"),
            link=_("Partner regions"),
        )
    return _no_verified_employer(_("No employer is verified yet, and a docking fair needs at least one."))
