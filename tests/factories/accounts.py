"""Factories of users, one per role, and of their notifications. Personal identifiers are generated with
valid check digits."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from laborbrand.accounts.models import Notification, User
from tests.factories.helpers import TEST_PASSWORD, make_county, make_id_number, make_phone


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    role = User.Role.WORKER
    password = factory.django.Password(TEST_PASSWORD)


class WorkerFactory(UserFactory):
    role = User.Role.WORKER
    id_number = factory.Sequence(make_id_number)
    phone = factory.Sequence(make_phone)
    phone_verified_at = factory.LazyAttribute(lambda u: timezone.now() if u.phone else None)
    privacy_consent_at = factory.Faker("date_time", tzinfo=datetime.UTC)


class CityAdminFactory(UserFactory):
    role = User.Role.CITY_ADMIN


class OfficialFactory(UserFactory):
    role = User.Role.COUNTY_OFFICIAL
    county = factory.LazyFunction(make_county)


class InstitutionStaffFactory(UserFactory):
    role = User.Role.INSTITUTION_STAFF


class EmployerStaffFactory(UserFactory):
    role = User.Role.EMPLOYER


class LeadingGroupMemberFactory(UserFactory):
    role = User.Role.LEADING_GROUP
    department = "市财政局"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(WorkerFactory)
    title = factory.Sequence(lambda n: f"通知{n}")
    body = "正文"
