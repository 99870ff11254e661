"""Factories for labour cooperation: partner regions and docking fairs."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from jobs.models import DockingFair, PartnerRegion
from laborbrand.accounts.models import User
from tests.factories import CityAdminFactory, OfficialFactory, VerifiedEmployerFactory, make_province


def _city_admin() -> User:
    return User.objects.with_role(User.Role.CITY_ADMIN).order_by("pk").first() or CityAdminFactory()


class PartnerRegionFactory(factory.django.DjangoModelFactory):
    """A partner region in 江苏省 (320000), in force, signed on 1 January last year, aiming at 300 placements
    a year."""

    class Meta:
        model = PartnerRegion

    name = factory.Sequence(lambda n: f"苏州劳务协作区{n}")
    province = factory.LazyFunction(lambda: make_province("320000"))
    agreement = "双方共建劳务协作基地，开展定向输送与技能培训。"
    signed_on = factory.LazyFunction(lambda: datetime.date(timezone.localdate().year - 1, 1, 1))
    target_placements = 300
    active = True
    created_by = factory.LazyFunction(_city_admin)


def _organiser(fair) -> User:
    if fair.county is None:
        return _city_admin()
    return User.objects.officials().filter(county=fair.county).order_by("pk").first() or OfficialFactory(
        county=fair.county
    )


class DockingFairFactory(factory.django.DjangoModelFactory):
    """A fair the city bureau organised a week ago with a new partner region, one new verified employer
    and none of its postings, attendance not recorded. Pass `county=...` for a county's fair; `employers`
    and `postings` replace the defaults (a posting's employer is added to the fair's employers)."""

    class Meta:
        model = DockingFair
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"长三角劳务对接会{n}")
    held_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    place = "六安市人力资源市场"
    partner = factory.SubFactory(PartnerRegionFactory)
    county = None
    attendance = None
    created_by = factory.LazyAttribute(_organiser)

    @factory.post_generation
    def employers(self, create, extracted, **kwargs):
        if create:
            self.employers.set([VerifiedEmployerFactory()] if extracted is None else extracted)

    @factory.post_generation
    def postings(self, create, extracted, **kwargs):
        if create and extracted:
            self.postings.set(extracted)
            self.employers.add(*{p.employer for p in extracted})
