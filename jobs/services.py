from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from jobs.models import Employer
from laborbrand.accounts.models import User
from laborbrand.accounts.services import notify, user_create


@transaction.atomic
def employer_register(*, account: dict, organisation) -> User:
    """Create an employer-staff account and its company, which waits for verification by the city."""
    employer: Employer = organisation.save()
    user = user_create(
        username=account["username"],
        password=account["password1"],
        role=User.Role.EMPLOYER,
        email=account.get("email", ""),
        real_name=employer.contact_name,
    )
    employer.staff.add(user)
    notify(
        recipient=user,
        title=_("Welcome to the labour-brand employment service portal"),
        body=_(
            "%(name)s is registered. A city administrator will verify the company before its job "
            "postings are published."
        )
        % {"name": employer.name},
    )
    return user
