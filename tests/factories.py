"""factory_boy factories, one per model. Personal identifiers are generated with valid check digits."""

from __future__ import annotations

import datetime

import factory
from stdnum.cn import ric, uscc

from jobs.models import Employer
from laborbrand.accounts.models import Notification, User
from laborbrand.reference.models import County, Province
from training.models import Institution

TEST_PASSWORD = "Test#pass2026"


def make_id_number(n: int, *, birth: str | None = None, region: str = "341524") -> str:
    """A valid 18-character ID number; `n` makes it unique.

    Without `birth`, people are born on consecutive days from 2000-01-01 (the county codes of the demo city
    date from 1999, and python-stdnum checks that the code existed in the birth year).
    """
    if birth is None:
        birth = (datetime.date(2000, 1, 1) + datetime.timedelta(days=n // 1000)).strftime("%Y%m%d")
    body = f"{region}{birth}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "?")  # stdnum expects the number with a check position


def make_id_number_ending_in_x() -> str:
    """A valid ID number whose check character is X (people type it as lower-case x)."""
    return next(number for n in range(1000) if (number := make_id_number(n, birth="20010203")).endswith("X"))


def make_phone(n: int) -> str:
    return f"139{n:08d}"


def make_credit_code(n: int) -> str:
    body = f"91341500MA{n:07d}"
    return body + uscc.calc_check_digit(body)


def make_county(code: str = "341524") -> County:
    return County.objects.get(code=code)


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


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试职业培训学校{n}")
    kind = Institution.Kind.TECHNICAL_SCHOOL
    county = factory.LazyFunction(make_county)
    credit_code = factory.Sequence(make_credit_code)
    contact_name = "周老师"
    contact_phone = "0564-7012345"

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        if create and extracted:
            self.staff.add(*extracted)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试机械有限公司{n}")
    credit_code = factory.Sequence(lambda n: make_credit_code(500_000 + n))
    province = factory.LazyFunction(lambda: Province.objects.get(code="340000"))
    city_name = "六安市"
    industry = "通用设备制造"
    contact_name = "孙经理"
    contact_phone = "0564-3345678"

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        if create and extracted:
            self.staff.add(*extracted)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(WorkerFactory)
    title = factory.Sequence(lambda n: f"通知{n}")
    body = "正文"
