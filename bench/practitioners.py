"""The practitioner import benchmark's data (bench_import): a county's practitioner list as an .xlsx of N
rows, built with openpyxl as a county would fill the template, and the state of the portal it is imported
into.

The rows name N people: a tenth of them have registered on the portal (accounts `bench-p0000001` …), and half
of those are on the brand's register already — half with the sheet's details (unchanged), half with another
occupation (updated); everyone else is new to the portal, so the import opens a worker record for them.
Every row is valid: the benchmark measures an import that goes through.

Every row the benchmark makes is marked: the official `bench-importer` and the accounts, with an address at
bench.invalid; the brand named `BENCH 导入基准品牌` (slug `bench-import-brand`). The worker records an import
opens are the workers of the brand's register without a sign-in. `reset()` puts the register back as it was
before an import; `clear()` removes everything.
"""

from __future__ import annotations

import datetime
import io
import random

from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.db.models import Q

from bench.marks import EMAIL_DOMAIN
from brands.imports import PractitionerImporter
from brands.models import Brand, Practitioner
from laborbrand.accounts import pii
from laborbrand.accounts.models import User
from laborbrand.reference.models import County, Occupation, OccupationCategory, Township

COUNTY = "341524"
BRAND_NAME = "BENCH 导入基准品牌"
BRAND_SLUG = "bench-import-brand"
OFFICIAL = "bench-importer"
ACCOUNT = "bench-p{:07d}"
ACCOUNT_REGEX = r"^bench-p[0-9]{7}$"
OCCUPATIONS = ("家政服务员", "育婴员", "养老护理员")
# One row in ten names a registered worker; of those, a quarter is on the register as the sheet has them
# (unchanged), a quarter in another occupation (updated), half not yet (created).
REGISTERED_EVERY = 10
BATCH = 2000

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "秀英桂兰玉梅春燕丽娟翠凤美玲晓静淑珍海燕月娥慧敏红霞巧云素琴建华志刚国强海波家俊文军宏伟晓东德胜俊杰"


def id_number(n: int) -> str:
    """A valid ID number of 金寨县 for row `n` (unique up to 900,000 rows): born 1965 onwards."""
    birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=n // 900)
    body = f"{COUNTY}{birth:%Y%m%d}{100 + n % 900:03d}"
    return body + pii.id_number_check_character(body)


def person(n: int, townships: list[str], *, seed: int) -> dict[str, str]:
    """Row `n` of the sheet, as the template's columns hold it (every value text)."""
    rng = random.Random(seed * 1_000_003 + n)  # noqa: S311  (a repeatable dataset, nothing secret)
    self_employed = rng.random() < 0.2
    since = datetime.date(1995, 1, 1) + datetime.timedelta(days=rng.randrange(9000))
    return {
        "real_name": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
        "id_number": id_number(n),
        "contact_phone": "" if rng.random() < 0.25 else f"139{rng.randrange(10**8):08d}",
        "occupation": OCCUPATIONS[n % len(OCCUPATIONS)],
        "employer": "" if self_employed else f"金寨县{rng.choice(SURNAMES)}氏家政服务有限公司",
        "self_employed": "是" if self_employed else "否",
        "township": rng.choice([*townships, ""]),
        "since": since.isoformat(),
    }


def bench_official() -> User | None:
    return User.objects.filter(username=OFFICIAL, email=f"{OFFICIAL}@{EMAIL_DOMAIN}").first()


def bench_brand() -> Brand | None:
    return Brand.objects.filter(slug=BRAND_SLUG, name=BRAND_NAME).first()


def bench_accounts():
    return User.objects.filter(Q(username__regex=ACCOUNT_REGEX) & Q(email__endswith=f"@{EMAIL_DOMAIN}"))


def townships() -> list[str]:
    return list(Township.objects.filter(county__code=COUNTY).values_list("name", flat=True))


def build(*, rows: int, seed: int) -> str:
    """The official, the brand and the registered workers the sheet names."""
    county = County.objects.get(code=COUNTY)
    names = townships()
    with transaction.atomic():
        official = User.objects.create(
            username=OFFICIAL,
            email=f"{OFFICIAL}@{EMAIL_DOMAIN}",
            role=User.Role.COUNTY_OFFICIAL,
            county=county,
            real_name="基准测试",
            password=make_password(None),
        )
        brand = Brand.objects.create(
            name=BRAND_NAME,
            slug=BRAND_SLUG,
            county=county,
            category=OccupationCategory.objects.get(slug="domestic"),
            description="导入基准测试用品牌。",
            status=Brand.Status.CULTIVATING,
            created_by=official,
        )
        brand.occupations.set(Occupation.objects.filter(name__in=OCCUPATIONS))
        accounts = []
        for n in range(0, rows, REGISTERED_EVERY):
            row = person(n, names, seed=seed)
            account = User(
                username=ACCOUNT.format(n),
                email=f"{ACCOUNT.format(n)}@{EMAIL_DOMAIN}",
                role=User.Role.WORKER,
                real_name=row["real_name"],
                id_number=row["id_number"],
                id_number_hash=pii.pii_hash(row["id_number"]),
                password=make_password(None),
            )
            accounts.append(account)
        User.objects.bulk_create(accounts, batch_size=BATCH)
    return f"built the brand {brand.name} of {county.name} and {len(accounts):,} registered workers"


def reset(*, rows: int, seed: int) -> None:
    """The register as before an import: the worker records an earlier import opened are gone, and half the
    registered workers are on it (half of them as the sheet has them, half in another occupation)."""
    brand, official = bench_brand(), bench_official()
    names = townships()
    occupations = {o.name: o for o in brand.occupations.all()}
    township_of = {t.name: t for t in Township.objects.filter(county__code=COUNTY)}
    with transaction.atomic():
        records = list(
            brand.practitioners.filter(worker__registered=False).values_list("worker_id", flat=True)
        )
        Practitioner.history.filter(brand_id=brand.pk)._raw_delete(Practitioner.history.db)
        Practitioner.objects.filter(brand=brand)._raw_delete(Practitioner.objects.db)
        for start in range(0, len(records), BATCH):
            chunk = records[start : start + BATCH]
            User.history.filter(id__in=chunk)._raw_delete(User.history.db)
            User.objects.filter(pk__in=chunk, registered=False)._raw_delete(User.objects.db)
        accounts = dict(bench_accounts().values_list("username", "pk"))
        entries = []
        for n in range(0, rows, REGISTERED_EVERY):
            quarter = (n // REGISTERED_EVERY) % 4
            if quarter > 1 or ACCOUNT.format(n) not in accounts:
                continue
            row = person(n, names, seed=seed)
            same = quarter == 0
            occupation = row["occupation"] if same else next(o for o in OCCUPATIONS if o != row["occupation"])
            entries.append(
                Practitioner(
                    brand=brand,
                    worker_id=accounts[ACCOUNT.format(n)],
                    occupation=occupations[occupation],
                    employer=row["employer"],
                    self_employed=row["self_employed"] == "是",
                    township=township_of.get(row["township"]),
                    since=datetime.date.fromisoformat(row["since"]),
                    contact_phone=row["contact_phone"],
                    created_by=official,
                )
            )
        Practitioner.objects.bulk_create(entries, batch_size=BATCH)


def sheet(*, rows: int, seed: int) -> bytes:
    """The county's list as the template lays it out: the Chinese headers, then one person a row, every cell
    text (ID numbers and phones as Excel keeps them when typed into the template's text columns)."""
    from openpyxl import Workbook

    names = townships()
    fields = [column.field for column in PractitionerImporter.columns]
    book = Workbook(write_only=True)
    worksheet = book.create_sheet("从业人员")
    worksheet.append([column.header for column in PractitionerImporter.columns])
    for n in range(rows):
        row = person(n, names, seed=seed)
        worksheet.append([row[field] for field in fields])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def clear() -> str:
    """Delete every benchmark row, with its history."""
    try:
        removed = _delete()
    except IntegrityError as error:
        raise CommandError(f"Other data refers to benchmark rows; nothing was removed ({error}).") from None
    return f"removed the benchmark's brand, its {removed:,} register entries and the benchmark's workers"


def _delete() -> int:
    brand, official = bench_brand(), bench_official()
    removed = 0
    with transaction.atomic():
        if brand is not None:
            records = list(
                brand.practitioners.filter(worker__registered=False).values_list("worker_id", flat=True)
            )
            Practitioner.history.filter(brand_id=brand.pk).delete()
            removed = Practitioner.objects.filter(brand=brand)._raw_delete(Practitioner.objects.db)
            User.history.filter(id__in=records).delete()
            User.objects.filter(pk__in=records, registered=False)._raw_delete(User.objects.db)
            pk = brand.pk
            brand.delete()
            Brand.history.filter(id=pk).delete()
        accounts = bench_accounts()
        User.history.filter(id__in=accounts.values("pk")).delete()
        accounts._raw_delete(User.objects.db)
        if official is not None:
            User.objects.filter(pk=official.pk)._raw_delete(User.objects.db)
            User.history.filter(id=official.pk).delete()
    return removed
