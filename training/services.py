from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from laborbrand.accounts.models import User
from laborbrand.accounts.services import notify, user_create
from training.models import Institution


@transaction.atomic
def institution_register(*, account: dict, organisation) -> User:
    """Create an institution-staff account and its institution (status: registered, not yet admitted)."""
    institution: Institution = organisation.save()
    user = user_create(
        username=account["username"],
        password=account["password1"],
        role=User.Role.INSTITUTION_STAFF,
        email=account.get("email", ""),
        real_name=institution.contact_name,
    )
    institution.staff.add(user)
    notify(
        recipient=user,
        title=_("Welcome to the labour-brand employment service portal"),
        body=_(
            "%(name)s is registered. To run brand training programmes it must first be admitted by the "
            "city bureau."
        )
        % {"name": institution.name},
    )
    return user
