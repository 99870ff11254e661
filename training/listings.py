"""The training app's staff lists as tables (laborbrand/listings.py): the columns of each list's Excel export,
the related rows each loads with it and its order, and the fields its keyword searches (`*_SEARCH`).

Personal data: a worker is exported by name, as the list page shows them, with the ID number and the mobile
number masked (no page of these lists shows them in full); keywords search names, titles and codes, never
an ID or mobile number (they are stored encrypted, and a search by them would put them in the URL). An
institution's contact person and telephone are an organisation's published contact, shown on its public
programme pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from brands.listings import names, yes_no
from laborbrand.listings import Column, Listing
from training.models import Certificate

NAME = Column(pgettext_lazy("a person's name", "Full name"), lambda record: record.worker.display_name)
ID_NUMBER = Column(_("ID number (masked)"), lambda record: record.worker.masked_id_number)
PHONE = Column(_("Mobile number (masked)"), lambda record: record.worker.masked_phone)


def _certificate(assessment):
    """The certificate an assessment issued, if any (a failed one issued none)."""
    return getattr(assessment, "certificate", None)


INSTITUTIONS = Listing(
    columns=(
        Column(_("Training institution"), lambda i: i.name),
        Column(_("Kind"), lambda i: i.get_kind_display()),
        Column(_("County/district"), lambda i: i.county.name),
        Column(_("Unified social credit code"), lambda i: i.credit_code),
        Column(_("Status"), lambda i: i.get_status_display()),
        Column(_("Qualified until"), lambda i: i.qualified_until),
        Column(_("Admitted occupations"), lambda i: names(i.occupations)),
        Column(_("Contact person"), lambda i: i.contact_name),
        Column(_("Contact telephone"), lambda i: i.contact_phone),
        Column(_("Registered"), lambda i: i.created),
    ),
    related=("county",),
    prefetch=("occupations",),
    ordering=("status", "name"),
)
INSTITUTION_SEARCH = ("name", "credit_code", "county__name", "contact_name")

# Needs `taken` and `pending` annotated (ProgramQuerySet.with_places, .with_pending).
PROGRAMMES = Listing(
    columns=(
        Column(_("Programme"), lambda p: p.title),
        Column(_("Training institution"), lambda p: p.institution.name),
        Column(_("Brand"), lambda p: p.brand.name),
        Column(_("Occupation"), lambda p: p.occupation.name),
        Column(_("Target level"), lambda p: str(p.target_level)),
        Column(_("Starts"), lambda p: p.start_date),
        Column(_("Ends"), lambda p: p.end_date),
        Column(_("Theory hours"), lambda p: p.theory_hours),
        Column(_("Practical hours"), lambda p: p.practical_hours),
        Column(_("Practice hours"), lambda p: p.practice_hours),
        Column(_("Place"), lambda p: p.place),
        Column(_("Capacity"), lambda p: p.capacity),
        Column(_("Places taken"), lambda p: p.taken),
        Column(_("Applications waiting"), lambda p: p.pending),
        Column(_("Status"), lambda p: p.get_status_display()),
    ),
    related=("institution", "brand", "occupation", "target_level"),
    ordering=("-start_date", "-pk"),
)
PROGRAMME_SEARCH = ("title", "place", "institution__name", "brand__name", "occupation__name")

# A programme's trainees (its enrolments taking a place), on the programme's page.
TRAINEES = Listing(
    columns=(
        NAME,
        ID_NUMBER,
        PHONE,
        Column(_("Walk-in"), lambda e: yes_no(e.walk_in)),
        Column(_("Status"), lambda e: e.get_status_display()),
        Column(_("Applied"), lambda e: e.applied_at),
        Column(_("Theory score"), lambda e: e.theory_score),
        Column(_("Practical score"), lambda e: e.practical_score),
        Column(_("Passed"), lambda e: yes_no(e.passed)),
        Column(_("Completed"), lambda e: e.completed_at),
    ),
    related=("worker",),
    ordering=("status", "applied_at", "pk"),
)
PERSON_SEARCH = ("worker__real_name",)

# Needs `attendee_count` annotated (EthicsSessionQuerySet.with_attendee_count).
ETHICS_SESSIONS = Listing(
    columns=(
        Column(_("Date"), lambda s: s.held_on),
        Column(_("Topic"), lambda s: s.topic),
        Column(_("Speaker"), lambda s: s.speaker),
        Column(_("Speaker's title"), lambda s: s.speaker_title),
        Column(_("Organiser"), lambda s: s.organiser),
        Column(_("Brands"), lambda s: names(s.brands)),
        Column(_("Place"), lambda s: s.place),
        Column(_("Hours"), lambda s: s.hours),
        Column(_("Attendees"), lambda s: s.attendee_count),
    ),
    related=("county", "institution"),
    prefetch=("brands",),
    ordering=("-held_on", "-pk"),
)
# Brands are many per session: the list searching them is made distinct.
ETHICS_SEARCH = ("topic", "speaker", "place", "county__name", "institution__name", "brands__name")

# A session's attendance, on the session's page.
ATTENDANCE = Listing(
    columns=(NAME, ID_NUMBER, Column(_("Recorded"), lambda a: a.recorded_at)),
    related=("worker",),
    ordering=("worker__real_name", "pk"),
)

ASSESSMENTS = Listing(
    columns=(
        Column(_("Date"), lambda a: a.assessed_on),
        NAME,
        ID_NUMBER,
        Column(_("Occupation"), lambda a: a.occupation.name),
        Column(_("Level"), lambda a: str(a.level)),
        Column(_("Training institution"), lambda a: a.institution.name),
        Column(_("Theory score"), lambda a: a.theory_score),
        Column(_("Practical score"), lambda a: a.practical_score),
        Column(_("Passed"), lambda a: yes_no(a.passed)),
        Column(_("Certificate number"), lambda a: getattr(_certificate(a), "number", "")),
        Column(_("Certificate status"), lambda a: c.get_status_display() if (c := _certificate(a)) else ""),
    ),
    related=("worker", "institution", "occupation", "level", "certificate"),
    ordering=("-assessed_on", "-pk"),
)
ASSESSMENT_SEARCH = ("worker__real_name", "certificate__number", "occupation__name", "institution__name")

# Needs the deadline annotated (PartnerAgreementQuerySet.with_deadline).
AGREEMENTS = Listing(
    columns=(
        Column(_("County/district"), lambda a: a.county.name),
        Column(_("Training institution"), lambda a: a.institution.name),
        Column(_("Brands"), lambda a: names(a.brands)),
        Column(_("Signed"), lambda a: a.signed_on),
        Column(_("Filed"), lambda a: a.filed_on),
        Column(_("Filing deadline"), lambda a: a.deadline),
        Column(_("Filed late"), lambda a: yes_no(a.is_late)),
    ),
    related=("institution", "county"),
    prefetch=("brands",),
    ordering=("-filed_on", "-pk"),
)
# Brands are many per agreement: the list searching them is made distinct.
AGREEMENT_SEARCH = ("institution__name", "county__name", "brands__name")

# An institution's own admission applications.
APPLICATIONS = Listing(
    columns=(
        Column(_("Application no."), lambda a: a.pk),
        Column(_("Status"), lambda a: a.get_status_display()),
        Column(_("Round"), lambda a: a.round),
        Column(_("Occupations applied for"), lambda a: names(a.occupations)),
        Column(_("Partner employers"), lambda a: a.partner_employers),
        Column(_("Started"), lambda a: a.created),
        Column(_("Submitted"), lambda a: a.submitted_at),
        Column(_("Decided"), lambda a: a.decided_at),
    ),
    related=("institution",),
    prefetch=("occupations",),
    ordering=("-submitted_at", "-created", "-pk"),
)
# Occupations are many per application: the list searching them is made distinct.
APPLICATION_SEARCH = ("occupations__name", "partner_employers")

# The city's admission review queue, the oldest submission first.
ADMISSION_REVIEWS = Listing(
    columns=(
        Column(_("Training institution"), lambda a: a.institution.name),
        Column(_("Kind"), lambda a: a.institution.get_kind_display()),
        Column(_("County/district"), lambda a: a.institution.county.name),
        Column(_("Unified social credit code"), lambda a: a.institution.credit_code),
        Column(_("Round"), lambda a: a.round),
        Column(_("Occupations applied for"), lambda a: names(a.occupations)),
        Column(_("Submitted"), lambda a: a.submitted_at),
        Column(_("Decided"), lambda a: a.decided_at),
        Column(_("Status"), lambda a: a.get_status_display()),
    ),
    related=("institution", "institution__county"),
    prefetch=("occupations",),
    ordering=("submitted_at", "pk"),
)
ADMISSION_REVIEW_SEARCH = ("institution__name", "institution__credit_code", "institution__county__name")


def recorded_by(certificate: Certificate) -> str:
    """Who answers for a certificate on the portal: its institution, or the city bureau."""
    return certificate.institution.name if certificate.institution_id else str(_("City bureau"))


CERTIFICATES = Listing(
    columns=(
        Column(_("Certificate number"), lambda c: c.number),
        Column(_("Holder"), lambda c: c.worker.display_name),
        # Masked: an export leaves the portal, and the full number is not needed to find the person.
        Column(_("ID number (masked)"), lambda c: c.worker.masked_id_number),
        Column(_("Occupation"), lambda c: c.occupation.name),
        Column(pgettext_lazy("certificate", "Skill level"), lambda c: str(c.level)),
        Column(_("Issued on"), lambda c: c.issued_on),
        Column(_("Evaluation body"), lambda c: c.evaluation_body),
        Column(_("Source"), lambda c: c.get_source_display()),
        Column(_("Recorded by"), recorded_by),
        Column(_("Status"), lambda c: c.get_status_display()),
        Column(_("Revoked or replaced on"), lambda c: c.revoked_at),
    ),
    related=("worker", "occupation", "level", "institution"),
    ordering=("-issued_on", "-pk"),
)
CERTIFICATE_SEARCH = (
    "number",
    "worker__real_name",
    "evaluation_body",
    "occupation__name",
    "institution__name",
)
