"""Excel exports of the job board: the applicants of a posting. The views load and scope the rows; the cells
are written by laborbrand/spreadsheets.py (values, never formulas)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jobs.models import Application
from laborbrand.spreadsheets import workbook_bytes


def applicant_headers() -> list[str]:
    return [
        pgettext("a person's name", "Full name"),
        _("Mobile number"),
        _("National ID number (masked)"),
        _("Home county/district"),
        _("Desired occupations"),
        _("Valid skill certificates"),
        _("Status"),
        _("Applied at"),
    ]


def applicant_row(application: Application, *, show_phone: bool) -> list:
    """One applicant. Expects `worker__profile__home_county` selected, `worker__profile__desired_occupations`
    prefetched and the worker's valid certificates prefetched as `valid_certificates`."""
    worker = application.worker
    profile = getattr(worker, "profile", None)
    certificates = getattr(worker, "valid_certificates", [])
    return [
        worker.display_name,
        (worker.phone or "") if show_phone else worker.masked_phone,
        worker.masked_id_number,
        profile.home_county.name if profile and profile.home_county else "",
        "、".join(o.name for o in profile.desired_occupations.all()) if profile else "",
        "、".join(f"{c.occupation.name} {c.level}" for c in certificates),
        application.get_status_display(),
        application.created,
    ]


def applicants_xlsx(applications: Iterable[Application], *, show_phone: bool) -> bytes:
    return workbook_bytes(
        sheet_title=_("Applicants"),
        headers=applicant_headers(),
        rows=(applicant_row(a, show_phone=show_phone) for a in applications),
    )
