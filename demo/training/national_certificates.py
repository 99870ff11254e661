"""National skill certificates of people the portal did not train: institution_a records three it issued as
a registered evaluation body before the portal existed, and the city bureau imports four from its list
(through the Excel import's own rules and writing). Their holders are records without a sign-in, which they
claim by registering with the same ID number, and count as members of the brands of their occupations.
A certificate whose number exists already is left alone: rerunning changes nothing."""

from __future__ import annotations

import datetime

from laborbrand.accounts import pii
from laborbrand.accounts.models import User
from laborbrand.reference.models import Occupation, SkillLevel
from training.imports.certificates import NationalCertificateImporter
from training.models import Certificate
from training.services.certificates import national_certificate_record

# (number as printed, holder, region of the ID number, birth date, occupation, level rank, issued on)
RECORDED_BY_INSTITUTION_A = [
    ("S000034000012193000081", "储桂英", "341524", "19780416", "养老护理员", 3, datetime.date(2019, 11, 22)),
    ("S000034000012213000214", "詹秀梅", "341524", "19830902", "养老护理员", 3, datetime.date(2021, 6, 18)),
    ("S000034000012224000137", "汪春兰", "341524", "19900127", "育婴员", 2, datetime.date(2022, 10, 9)),
]
# The evaluation bodies of the city bureau's list, as printed on the certificates.
TEA_BODY = "霍山县茶艺职业技能等级认定站"
ELECTRONICS_BODY = "舒城县电子产业职业技能等级认定中心"
HOUSEKEEPING_BODY = "六安市家庭服务业职业技能等级认定中心"
IMPORTED_BY_CITY = [
    (
        "S000134000027203000412",
        "黄小燕",
        "341525",
        "19850311",
        "茶艺师",
        3,
        datetime.date(2020, 9, 3),
        TEA_BODY,
    ),
    (
        "S000134000027234000095",
        "方德明",
        "341525",
        "19760722",
        "茶艺师",
        2,
        datetime.date(2023, 4, 14),
        TEA_BODY,
    ),
    (
        "Y000234000008223000316",
        "丁海涛",
        "341523",
        "19920615",
        "电子设备装接工",
        3,
        datetime.date(2022, 7, 28),
        ELECTRONICS_BODY,
    ),
    (
        "S000034000019242000053",
        "陈玉芳",
        "341503",
        "19880930",
        "家政服务员",
        2,
        datetime.date(2024, 5, 16),
        HOUSEKEEPING_BODY,
    ),
]


def _id_number(region: str, birth: str, n: int) -> str:
    body = f"{region}{birth}{700 + n:03d}"
    return pii.validate_id_number(body + pii.id_number_check_character(body))


def _recorded_by_institution_a() -> None:
    staff = User.objects.get(username="institution_a")
    institution = staff.institutions.get()
    if not institution.is_qualified:
        return
    for n, (number, name, region, birth, occupation, rank, issued_on) in enumerate(RECORDED_BY_INSTITUTION_A):
        if Certificate.objects.filter(number=number).exists():
            continue
        national_certificate_record(
            actor=staff,
            institution=institution,
            number=number,
            real_name=name,
            id_number=_id_number(region, birth, n),
            occupation=Occupation.objects.get(name=occupation),
            level=SkillLevel.objects.get(rank=rank),
            issued_on=issued_on,
            evaluation_body=institution.name,
        )


def _imported_by_city() -> None:
    levels = {level.rank: str(level) for level in SkillLevel.objects.all()}
    rows = []
    for n, (number, name, region, birth, occupation, rank, issued_on, body) in enumerate(IMPORTED_BY_CITY):
        values = {
            "number": number,
            "real_name": name,
            "id_number": _id_number(region, birth, 10 + n),
            "occupation": occupation,
            "level": levels[rank],
            "evaluation_body": body,
            "issued_on": issued_on.isoformat(),
        }
        rows.append((n + 2, values))  # the sheet's row numbers, under its header
    NationalCertificateImporter(user=User.objects.get(username="city_admin"), target=None).commit(rows)


def seed_national_certificates() -> None:
    _recorded_by_institution_a()
    _imported_by_city()
