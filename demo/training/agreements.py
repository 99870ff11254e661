"""The demo counties' partner agreements with qualified institutions, recorded by their officials (one
filed late)."""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.utils import timezone

from brands.models import Brand
from demo.training.admission import pdf
from laborbrand.accounts.models import User
from training.models import Institution, PartnerAgreement, filing_deadline
from training.services.agreements import agreement_record

# Partner agreements of the two demo counties, recorded by their officials. "late" means filed after the
# year's filing deadline.
AGREEMENTS = {
    "341524": [
        {"institution": "institution_a", "brands": ["金寨红嫂家政"], "late": False},
    ],
    "341525": [
        {"institution": "inst_8", "brands": ["霍山黄芽茶艺师"], "late": False},
        {"institution": "inst_8", "brands": ["霍山石斛种植技工"], "late": True},
    ],
}
OFFICIALS = {"341524": "official_a", "341525": "official_b"}


def _agreement_dates(late: bool, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Signing and filing dates before today: on time in this year, or late (filed after the deadline) in
    this year when its deadline has passed, else in the last."""
    deadline = filing_deadline(today.year)
    if not late:
        signed = max(datetime.date(today.year, 1, 1), min(deadline, today) - timedelta(days=75))
        return signed, min(signed + timedelta(days=12), today)
    if today <= deadline:
        deadline = filing_deadline(today.year - 1)
    signed = deadline - timedelta(days=10)
    return signed, min(deadline + timedelta(days=21), today)


def seed_agreements(institutions: dict[str, Institution]) -> None:
    today = timezone.localdate()
    for county_code, specs in AGREEMENTS.items():
        official = User.objects.get(username=OFFICIALS[county_code])
        if PartnerAgreement.objects.filter(county=official.county).exists():
            continue
        for spec in specs:
            institution = institutions.get(spec["institution"])
            brands = list(Brand.objects.public().in_county(official.county).filter(name__in=spec["brands"]))
            if institution is None or not institution.is_qualified or not brands:
                continue
            signed_on, filed_on = _agreement_dates(spec["late"], today)
            agreement_record(
                actor=official,
                institution=institution,
                brands=brands,
                signed_on=signed_on,
                filed_on=filed_on,
                document=pdf("agreement.pdf"),
            )
