"""Recording a partner agreement (签约备案) between a county and a qualified institution."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from laborbrand.accounts.models import User
from laborbrand.dates import check_dates
from laborbrand.exceptions import InvalidTransition
from training.models import (
    Institution,
    PartnerAgreement,
)


@transaction.atomic
def agreement_record(
    *,
    actor: User,
    institution: Institution,
    brands,
    signed_on: datetime.date,
    filed_on: datetime.date,
    document,
) -> PartnerAgreement:
    if actor.role != User.Role.COUNTY_OFFICIAL:
        raise PermissionDenied
    if not institution.is_qualified:
        raise InvalidTransition(_("Only a qualified institution can be party to a partner agreement."))
    if any(brand.county_id != actor.county_id for brand in brands):
        raise PermissionDenied
    agreement = PartnerAgreement(
        county_id=actor.county_id,
        institution=institution,
        signed_on=signed_on,
        filed_on=filed_on,
        created_by=actor,
    )
    check_dates(agreement)
    if filed_on < signed_on:
        raise InvalidTransition(_("An agreement is filed on or after the day it is signed."))
    agreement.document.save("agreement.pdf", document, save=False)
    agreement.save()
    agreement.brands.set(brands)
    return agreement
