from __future__ import annotations

from django.utils.translation import gettext as _

from laborbrand.accounts.models import User
from laborbrand.accounts.services import organisation_staff_register


def employer_register(*, account: dict, organisation) -> User:
    """Create an employer-staff account and its company, which waits for verification by the city."""
    return organisation_staff_register(
        account=account,
        organisation=organisation,
        role=User.Role.EMPLOYER,
        welcome=_(
            "%(name)s is registered. A city administrator will verify the company before its job "
            "postings are published."
        ),
    )
