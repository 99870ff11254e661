"""Every state change of brands, their standards and news."""

from __future__ import annotations

import datetime
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image
from simple_history.utils import bulk_create_with_history

from brands.figures import criteria_with_figures
from brands.models import Brand, BrandEvent, BrandNews, BrandStandard, Practitioner, RecognitionCriterion
from brands.permissions import can_keep_register
from laborbrand.accounts.models import User
from laborbrand.accounts.records import open_worker_records, worker_record
from laborbrand.accounts.services import notify
from laborbrand.exceptions import InvalidTransition
from laborbrand.uniqueness import violated_columns

Status = Brand.Status

# Who may move a brand where. Officials submit; everything after that is the city's decision.
ALLOWED = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.RETURNED: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.CULTIVATING, Status.RETURNED, Status.REJECTED},
    Status.CULTIVATING: {Status.RECOGNISED, Status.RETIRED},
    Status.RECOGNISED: {Status.RETIRED},
}
REASON_REQUIRED = {Status.RETURNED, Status.REJECTED, Status.RETIRED}
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 512


# Path segments under /brands/ that are pages, so never a brand's slug.
RESERVED_SLUGS = {"news", "manage", "review", "overview", "criteria", "logo"}


def _unique_slug(name: str, county) -> str:
    base = slugify(name, allow_unicode=True) or "brand"
    slug = base
    if slug in RESERVED_SLUGS or Brand.objects.filter(slug=slug).exists():
        slug = f"{base}-{county.code}"
    n = 2
    while Brand.objects.filter(slug=slug).exists():
        slug = f"{base}-{county.code}-{n}"
        n += 1
    return slug


def _save_with_unique_slug(brand: Brand, attempts: int = 3) -> None:
    """Two brands of the same name created at the same moment (in different counties) both find their
    web address free; the second then takes the next one."""
    for attempt in range(attempts):
        brand.slug = _unique_slug(brand.name, brand.county)
        try:
            with transaction.atomic():
                brand.save()
            return
        except IntegrityError as error:
            if attempt == attempts - 1 or violated_columns(error) != {"slug"}:
                raise


def process_logo(uploaded) -> ContentFile:
    """Re-encode an uploaded logo as a PNG of at most 512×512 pixels.

    Re-encoding keeps only pixels: whatever else the file carried (metadata, a script disguised as an
    image) is dropped. The caller has checked that Pillow can read it and that it is not too large.
    """
    uploaded.seek(0)
    with Image.open(uploaded) as image:
        image = image.convert("RGBA")
        image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name="logo.png")


def _set_logo(brand: Brand, uploaded) -> None:
    if uploaded:
        old = brand.logo.name if brand.logo else ""
        brand.logo.save("logo.png", process_logo(uploaded), save=False)
        if old:
            transaction.on_commit(lambda: brand.logo.storage.delete(old))


@transaction.atomic
def brand_create(
    *,
    actor: User,
    county,
    name: str,
    category,
    occupations,
    description: str,
    slogan: str = "",
    township=None,
    logo=None,
) -> Brand:
    brand = Brand(
        name=name,
        county=county,
        township=township,
        category=category,
        slogan=slogan,
        description=description,
        created_by=actor,
    )
    _set_logo(brand, logo)
    _save_with_unique_slug(brand)
    brand.occupations.set(occupations)
    BrandEvent.objects.create(brand=brand, old_status="", new_status=Status.DRAFT, actor=actor)
    return brand


@transaction.atomic
def brand_update(
    *,
    brand: Brand,
    actor: User,
    name: str,
    category,
    occupations,
    description: str,
    slogan: str = "",
    township=None,
    logo=None,
) -> Brand:
    brand = Brand.objects.select_for_update().get(pk=brand.pk)
    if not brand.is_editable:
        raise InvalidTransition(_("Only draft or returned brands can be edited."))
    brand.name = name
    brand.category = category
    brand.township = township
    brand.slogan = slogan
    brand.description = description
    _set_logo(brand, logo)
    brand.save()
    brand.occupations.set(occupations)
    return brand


def missing_dimensions(brand: Brand) -> list[str]:
    present = set(brand.standards.values_list("dimension", flat=True))
    return [label for value, label in BrandStandard.Dimension.choices if value not in present]


def recognition_shortfalls(brand: Brand) -> list[dict]:
    """The recognition criteria in use the brand does not meet (or that cannot be judged, for want of
    records), each {"metric", "threshold", "figure"}."""
    return [
        {"metric": row["criterion"].metric, "threshold": row["criterion"].threshold, "figure": row["figure"]}
        for row in criteria_with_figures(brand)
        if not row["met"]
    ]


def _describe(shortfall: dict) -> str:
    label = RecognitionCriterion.Metric(shortfall["metric"]).label
    if shortfall["figure"] is None:
        return _("%(criterion)s (not recorded, needs %(threshold)d)") % {
            "criterion": label,
            "threshold": shortfall["threshold"],
        }
    return _("%(criterion)s (%(figure)d, needs %(threshold)d)") % {
        "criterion": label,
        "figure": shortfall["figure"],
        "threshold": shortfall["threshold"],
    }


def _assert_actor_may(actor: User, brand: Brand, to: str) -> None:
    """Defence in depth behind the views: the county (or the city for it) submits; the city decides."""
    if actor.role == User.Role.CITY_ADMIN:
        return
    if (
        to == Status.SUBMITTED
        and actor.role == User.Role.COUNTY_OFFICIAL
        and actor.county_id == brand.county_id
    ):
        return
    raise PermissionDenied


@transaction.atomic
def _transition(*, brand: Brand, actor: User, to: str, reason: str = "") -> Brand:
    """Move a brand to `to`, re-reading it under a row lock so two deciders cannot both act."""
    brand = Brand.objects.select_for_update().get(pk=brand.pk)
    _assert_actor_may(actor, brand, to)
    if to not in ALLOWED.get(brand.status, set()):
        raise InvalidTransition(
            _("A brand that is “%(current)s” cannot become “%(target)s”.")
            % {"current": brand.get_status_display(), "target": Status(to).label}
        )
    reason = reason.strip()
    if to in REASON_REQUIRED and not reason:
        raise InvalidTransition(_("Please give a reason."))
    # Recognition follows the city's criteria; recognising a brand that misses one is an exception the city
    # explains in writing, kept in the brand's history with what was missed.
    missed = recognition_shortfalls(brand) if to == Status.RECOGNISED else []
    if missed and not reason:
        raise InvalidTransition(
            _(
                "%(name)s does not meet every recognition criterion: %(missed)s. To recognise it anyway, "
                "give the reason."
            )
            % {"name": brand.name, "missed": "; ".join(_describe(row) for row in missed)}
        )
    old = brand.status
    brand.status = to
    brand.status_changed = timezone.now()
    brand.save(update_fields=["status", "status_changed"])
    BrandEvent.objects.create(
        brand=brand, old_status=old, new_status=to, actor=actor, reason=reason, missed_criteria=missed
    )
    return brand


def _notify_county(brand: Brand, title: str, body: str) -> None:
    for official in User.objects.officials().active().filter(county=brand.county_id):
        notify(
            recipient=official, title=title, body=body, url=reverse("brands:manage_detail", args=[brand.pk])
        )


def brand_submit(*, brand: Brand, actor: User) -> Brand:
    with transaction.atomic():
        missing = missing_dimensions(brand)
        if missing:
            raise InvalidTransition(
                _("Add at least one standard in every dimension before submitting. Missing: %(dims)s.")
                % {"dims": "、".join(str(m) for m in missing)}
            )
        brand = _transition(brand=brand, actor=actor, to=Status.SUBMITTED)
        for admin in User.objects.with_role(User.Role.CITY_ADMIN).active():
            notify(
                recipient=admin,
                title=_("Brand submitted for review: %(name)s") % {"name": brand.name},
                body=_("%(county)s submitted the brand %(name)s.")
                % {"county": brand.county.name, "name": brand.name},
                url=reverse("brands:review_detail", args=[brand.pk]),
            )
    return brand


def _decide(*, brand: Brand, actor: User, to: str, reason: str, title: str) -> Brand:
    with transaction.atomic():
        brand = _transition(brand=brand, actor=actor, to=to, reason=reason)
        _notify_county(brand, title % {"name": brand.name}, reason)
    return brand


def brand_accept(*, brand: Brand, actor: User, reason: str = "") -> Brand:
    return _decide(
        brand=brand,
        actor=actor,
        to=Status.CULTIVATING,
        reason=reason,
        title=_("%(name)s was accepted as a cultivation target"),
    )


def brand_return(*, brand: Brand, actor: User, reason: str) -> Brand:
    return _decide(
        brand=brand,
        actor=actor,
        to=Status.RETURNED,
        reason=reason,
        title=_("%(name)s was returned for changes"),
    )


def brand_reject(*, brand: Brand, actor: User, reason: str) -> Brand:
    return _decide(
        brand=brand, actor=actor, to=Status.REJECTED, reason=reason, title=_("%(name)s was rejected")
    )


def brand_recognise(*, brand: Brand, actor: User, reason: str = "") -> Brand:
    return _decide(
        brand=brand,
        actor=actor,
        to=Status.RECOGNISED,
        reason=reason,
        title=_("%(name)s was recognised as a labour brand"),
    )


def brand_retire(*, brand: Brand, actor: User, reason: str) -> Brand:
    return _decide(
        brand=brand, actor=actor, to=Status.RETIRED, reason=reason, title=_("%(name)s was retired")
    )


# --- Standards ------------------------------------------------------------------------------------------


def _assert_editable(brand: Brand) -> None:
    if not brand.is_editable:
        raise InvalidTransition(_("Only draft or returned brands can be edited."))


def _next_order(brand: Brand, dimension: str) -> int:
    last = brand.standards.filter(dimension=dimension).aggregate(m=Max("order"))["m"]
    return 0 if last is None else last + 1


@transaction.atomic
def standard_add(
    *, brand: Brand, dimension: str, requirement: str, measure: str = "", target: int | None = None
) -> BrandStandard:
    _assert_editable(brand)
    return BrandStandard.objects.create(
        brand=brand,
        dimension=dimension,
        requirement=requirement,
        measure=measure,
        target=target if measure else None,
        order=_next_order(brand, dimension),
    )


def standard_update(
    *, standard: BrandStandard, dimension: str, requirement: str, measure: str = "", target: int | None = None
) -> BrandStandard:
    _assert_editable(standard.brand)
    if dimension != standard.dimension:
        standard.order = _next_order(standard.brand, dimension)
    standard.dimension = dimension
    standard.requirement = requirement
    standard.measure = measure
    standard.target = target if measure else None
    standard.save()
    return standard


def standard_delete(*, standard: BrandStandard) -> None:
    _assert_editable(standard.brand)
    standard.delete()


@transaction.atomic
def standard_move(*, standard: BrandStandard, up: bool) -> None:
    """Swap a standard with its neighbour in the same dimension."""
    _assert_editable(standard.brand)
    siblings = list(standard.brand.standards.filter(dimension=standard.dimension).order_by("order", "pk"))
    index = siblings.index(standard)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings):
        if item.order != position:
            item.order = position
            item.save(update_fields=["order"])


# --- News -----------------------------------------------------------------------------------------------


def news_create(
    *, brand: Brand, author: User, title: str, body: str, summary: str = "", publish: bool = False
) -> BrandNews:
    news = BrandNews.objects.create(brand=brand, author=author, title=title, summary=summary, body=body)
    if publish:
        news_publish(news=news)
    return news


def news_update(*, news: BrandNews, brand: Brand, title: str, body: str, summary: str = "") -> BrandNews:
    news.brand = brand
    news.title = title
    news.summary = summary
    news.body = body
    news.save()
    return news


def news_publish(*, news: BrandNews) -> BrandNews:
    if not news.brand.is_public:
        raise InvalidTransition(
            _(
                "News can be published only for brands the public can see (cultivation targets and "
                "recognised brands)."
            )
        )
    news.status = BrandNews.Status.PUBLISHED
    news.published_at = news.published_at or timezone.now()
    news.save(update_fields=["status", "published_at"])
    return news


def news_unpublish(*, news: BrandNews) -> BrandNews:
    news.status = BrandNews.Status.DRAFT
    news.save(update_fields=["status"])
    return news


# --- The practitioner register --------------------------------------------------------------------------


def _assert_keeps_register(actor: User, brand: Brand) -> None:
    """Defence in depth behind the views and the import: only the brand's county keeps its register."""
    if not can_keep_register(actor, brand):
        raise PermissionDenied


def _occupation_ids(brand: Brand) -> set[int]:
    """The brand's occupations, read once per brand object (an import writes thousands of rows for one)."""
    ids = getattr(brand, "_practitioner_occupation_ids", None)
    if ids is None:
        ids = set(brand.occupations.values_list("pk", flat=True))
        brand._practitioner_occupation_ids = ids
    return ids


def _entry_details(
    brand: Brand, *, occupation, since: datetime.date, employer: str, self_employed: bool, township
) -> dict:
    """An entry's details as stored, or InvalidTransition when they do not fit the brand (the forms offer
    only what fits)."""
    if occupation.pk not in _occupation_ids(brand):
        raise InvalidTransition(
            _("%(occupation)s is not an occupation of this brand.") % {"occupation": occupation}
        )
    if township is not None and township.county_id != brand.county_id:
        raise InvalidTransition(_("The township is not in the brand's county."))
    if since > timezone.localdate():
        raise InvalidTransition(_("The date started in the trade cannot be in the future."))
    employer = "" if self_employed else employer.strip()
    if not self_employed and not employer:
        raise InvalidTransition(_("Give where the practitioner is employed, or mark them self-employed."))
    return {
        "occupation": occupation,
        "since": since,
        "employer": employer,
        "self_employed": self_employed,
        "township": township,
    }


def practitioner_entry(
    *,
    brand: Brand,
    actor: User,
    worker: User,
    occupation,
    since: datetime.date,
    employer: str = "",
    self_employed: bool = False,
    township=None,
    contact_phone: str = "",
    source: str = Practitioner.Source.ENTERED,
) -> Practitioner:
    """A new entry of the brand's register for `worker`, checked, not saved yet: `practitioner_add` saves one,
    `practitioners_save` many (an import)."""
    _assert_keeps_register(actor, brand)
    details = _entry_details(
        brand,
        occupation=occupation,
        since=since,
        employer=employer,
        self_employed=self_employed,
        township=township,
    )
    return Practitioner(
        brand=brand,
        worker=worker,
        contact_phone=contact_phone or "",
        source=source,
        created_by=actor,
        **details,
    )


@transaction.atomic
def practitioner_add(
    *, brand: Brand, actor: User, real_name: str, id_number: str, **entry
) -> tuple[Practitioner, bool]:
    """Put a person on the brand's register, finding their worker record by ID number or opening one without
    a sign-in; and say whether a record was opened. `entry` are `practitioner_entry`'s details. The person
    must not be on the register already (the unique constraint refuses a second active entry)."""
    _assert_keeps_register(actor, brand)
    try:
        worker, opened = worker_record(real_name=real_name, id_number=id_number)
    except ValidationError as error:
        raise InvalidTransition(" ".join(error.messages)) from error
    practitioner = practitioner_entry(brand=brand, actor=actor, worker=worker, **entry)
    practitioner.save()
    return practitioner, opened


@transaction.atomic
def practitioners_save(*, actor: User, entries: list[Practitioner], records: list[User]) -> None:
    """Write many new entries (`practitioner_entry`) and the worker records opened for their people
    (`records.new_worker_record`) in a few statements, with their history: an import's rows, a thousand at a
    time. Raises IntegrityError (nothing written) when one of the people was put on the register, or their ID
    number registered, meanwhile: the caller then adds them one by one (`practitioner_add`)."""
    open_worker_records(records, actor=actor)
    bulk_create_with_history(entries, Practitioner, batch_size=1000, default_user=actor)


@transaction.atomic
def practitioner_update(
    *,
    practitioner: Practitioner,
    actor: User,
    occupation,
    since: datetime.date,
    employer: str = "",
    self_employed: bool = False,
    township=None,
    contact_phone: str = "",
) -> Practitioner:
    """Change an entry's details. The person stays: a register never changes a record's name or ID number
    (to correct one, remove the entry and add the person again)."""
    _assert_keeps_register(actor, practitioner.brand)
    locked = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
    if not locked.is_active:
        raise InvalidTransition(
            _("This practitioner was removed from the register; removed entries stay as they were.")
        )
    details = _entry_details(
        practitioner.brand,
        occupation=occupation,
        since=since,
        employer=employer,
        self_employed=self_employed,
        township=township,
    )
    for field, value in {**details, "contact_phone": contact_phone or ""}.items():
        setattr(practitioner, field, value)
    practitioner.save(update_fields=[*details, "contact_phone"])
    return practitioner


@transaction.atomic
def practitioner_remove(*, practitioner: Practitioner, actor: User, reason: str) -> Practitioner:
    """Take a practitioner who left the trade off the register. The entry stays, with who removed it, when and
    why: the months before the removal keep counting them."""
    _assert_keeps_register(actor, practitioner.brand)
    locked = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
    if not locked.is_active:
        raise InvalidTransition(_("This practitioner was already removed from the register."))
    reason = reason.strip()
    if not reason:
        raise InvalidTransition(_("Please give a reason."))
    practitioner.removed_at = timezone.now()
    practitioner.removed_by = actor
    practitioner.removal_reason = reason
    practitioner.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    return practitioner
