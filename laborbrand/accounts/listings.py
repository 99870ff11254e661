"""The city admins' lists of staff accounts as tables (laborbrand/listings.py): the columns each list's Excel
export holds, its order, and the fields its keyword searches. Phone numbers are masked, as the page shows
them; keywords search user names, names, counties and departments, never an encrypted field."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from laborbrand.accounts.models import User
from laborbrand.listings import Column, Listing


def _status(user: User) -> str:
    return str(_("Active") if user.is_active else _("Deactivated"))


USER_NAME = Column(_("User name"), lambda u: u.username)
REAL_NAME = Column(_("Real name"), lambda u: u.real_name)
STATUS = Column(_("Status"), _status)

OFFICIAL_SEARCH = ("username", "real_name", "county__name")
OFFICIALS = Listing(
    columns=(
        USER_NAME,
        REAL_NAME,
        Column(_("County/district"), lambda u: u.county.name if u.county else ""),
        Column(_("Mobile number (masked)"), lambda u: u.masked_phone),
        STATUS,
    ),
    related=("county",),
    ordering=("county__code", "username"),
)

LEADING_GROUP_SEARCH = ("username", "real_name", "department")
LEADING_GROUP = Listing(
    columns=(
        USER_NAME,
        REAL_NAME,
        Column(_("Department"), lambda u: u.department),
        Column(_("E-mail"), lambda u: u.email),
        STATUS,
    ),
    ordering=("department", "username"),
)
