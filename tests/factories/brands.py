"""Factories of brands (one per status, with one standard per dimension once submitted), their standards and
their news."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from brands.models import Brand, BrandNews, BrandStandard, Practitioner
from laborbrand.accounts.models import User
from tests.factories.accounts import OfficialFactory, WorkerFactory
from tests.factories.helpers import make_category, make_county

BrandStatus = Brand.Status


def _brand_author(brand) -> User:
    """An active official of the brand's county (the first one there, e.g. official_a), else a new one."""
    return User.objects.officials().filter(county=brand.county).order_by("pk").first() or OfficialFactory(
        county=brand.county
    )


class BrandFactory(factory.django.DjangoModelFactory):
    """A brand of 金寨县 (341524). Status traits: `submitted`, `returned`, `cultivating`, `recognised`,
    `rejected`, `retired`; every status but draft gets one standard per dimension, as submitting needs them
    (pass `standards=False` for none, `standards=True` to add them to a draft)."""

    class Meta:
        model = Brand
        skip_postgeneration_save = True

    class Params:
        submitted = factory.Trait(status=BrandStatus.SUBMITTED)
        returned = factory.Trait(status=BrandStatus.RETURNED)
        cultivating = factory.Trait(status=BrandStatus.CULTIVATING)
        recognised = factory.Trait(status=BrandStatus.RECOGNISED)
        rejected = factory.Trait(status=BrandStatus.REJECTED)
        retired = factory.Trait(status=BrandStatus.RETIRED)

    name = factory.Sequence(lambda n: f"测试品牌{n}")
    slug = factory.LazyAttribute(lambda b: slugify(b.name, allow_unicode=True))
    county = factory.LazyFunction(make_county)
    category = factory.LazyFunction(make_category)
    description = "以精湛技艺闻名的劳务品牌。"
    status = BrandStatus.DRAFT
    created_by = factory.LazyAttribute(_brand_author)

    @factory.post_generation
    def occupations(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = list(self.category.occupations.all()[:1])
        self.occupations.set(extracted)

    @factory.post_generation
    def standards(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = self.status != BrandStatus.DRAFT
        if extracted:
            for dimension in BrandStandard.Dimension.values:
                BrandStandardFactory(brand=self, dimension=dimension)


class DraftBrandFactory(BrandFactory):
    status = BrandStatus.DRAFT


class SubmittedBrandFactory(BrandFactory):
    status = BrandStatus.SUBMITTED


class ReturnedBrandFactory(BrandFactory):
    status = BrandStatus.RETURNED


class CultivatingBrandFactory(BrandFactory):
    status = BrandStatus.CULTIVATING


class RecognisedBrandFactory(BrandFactory):
    status = BrandStatus.RECOGNISED


class RejectedBrandFactory(BrandFactory):
    status = BrandStatus.REJECTED


class RetiredBrandFactory(BrandFactory):
    status = BrandStatus.RETIRED


class BrandStandardFactory(factory.django.DjangoModelFactory):
    """A standard without a measurable target; pass `measure` and `target` for one (or use `measured`)."""

    class Meta:
        model = BrandStandard

    class Params:
        measured = factory.Trait(measure=BrandStandard.Measure.MIN_TRAINING_MONTHS, target=3)

    brand = factory.SubFactory(DraftBrandFactory, standards=False)
    dimension = BrandStandard.Dimension.ETHICS
    requirement = factory.Sequence(lambda n: f"标准要求{n}：遵守职业道德，诚信服务。")
    measure = ""
    target = None
    order = factory.Sequence(lambda n: n)


class BrandNewsFactory(factory.django.DjangoModelFactory):
    """A draft news item of a cultivating brand; `published` publishes it."""

    class Meta:
        model = BrandNews

    class Params:
        published = factory.Trait(
            status=BrandNews.Status.PUBLISHED, published_at=factory.LazyFunction(timezone.now)
        )

    brand = factory.SubFactory(CultivatingBrandFactory)
    title = factory.Sequence(lambda n: f"品牌动态{n}")
    summary = "简讯"
    body = "本月完成一期培训。"
    status = BrandNews.Status.DRAFT
    published_at = None
    author = factory.LazyAttribute(lambda news: news.brand.created_by)


# --- Issue 16: the practitioner register (helper "practitioners") ---------------------------------------


class WorkerRecordFactory(WorkerFactory):
    """A worker known from a list staff keep, who has not registered: name and ID number, no password, no
    phone, no consent (laborbrand/accounts/records.py)."""

    registered = False
    email = ""
    phone = None
    privacy_consent_at = None
    password = factory.LazyFunction(lambda: make_password(None))


class PractitionerFactory(factory.django.DjangoModelFactory):
    """An entry on a cultivating brand's register: a registered worker in the brand's first occupation,
    employed, registered by an official of the brand's county; `removed` takes it off the register."""

    class Meta:
        model = Practitioner

    class Params:
        removed = factory.Trait(
            removed_at=factory.LazyFunction(timezone.now),
            removed_by=factory.LazyAttribute(lambda p: p.created_by),
            removal_reason="已转行",
        )

    brand = factory.SubFactory(CultivatingBrandFactory)
    worker = factory.SubFactory(WorkerFactory)
    occupation = factory.LazyAttribute(lambda p: p.brand.occupations.order_by("pk").first())
    employer = "金寨县红嫂家政服务有限公司"
    self_employed = False
    since = datetime.date(2018, 3, 1)
    created_by = factory.LazyAttribute(lambda p: _brand_author(p.brand))
