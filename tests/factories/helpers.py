"""Values the factories share: valid personal identifiers, phone numbers and credit codes, look-ups of
reference data (counties, categories, occupations, levels, provinces), a small real PDF, the default
qualification date and an organisation's first staff member."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone
from stdnum.cn import uscc

from laborbrand.accounts import pii
from laborbrand.accounts.models import User
from laborbrand.reference.models import County, Occupation, OccupationCategory, Province, SkillLevel

TEST_PASSWORD = "Test#pass2026"


def make_id_number(n: int, *, birth: str | None = None, region: str = "341524") -> str:
    """A valid 18-character ID number; `n` makes it unique. Without `birth`, people are born on
    consecutive days from 2000-01-01."""
    if birth is None:
        birth = (datetime.date(2000, 1, 1) + datetime.timedelta(days=n // 1000)).strftime("%Y%m%d")
    body = f"{region}{birth}{n % 1000:03d}"
    return body + pii.id_number_check_character(body)


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


def _qualified_until():
    return timezone.localdate() + datetime.timedelta(days=365)


def make_category(slug: str = "machining") -> OccupationCategory:
    return OccupationCategory.objects.get(slug=slug)


def make_occupations(n: int = 1, category: str = "machining") -> list[Occupation]:
    return list(Occupation.objects.filter(category__slug=category)[:n])


# The smallest file `filetype` recognises as a PDF.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name: str = "evidence.pdf") -> ContentFile:
    return ContentFile(PDF_BYTES, name=name)


def make_level(rank: int = 3) -> SkillLevel:
    return SkillLevel.objects.get(rank=rank)


def _first_staff_member(organisation, staff_factory) -> User:
    """The organisation's first staff member, else a new one."""
    user = organisation.staff.order_by("pk").first()
    if user is None:
        user = staff_factory()
        organisation.staff.add(user)
    return user


def make_province(code: str = "340000") -> Province:
    return Province.objects.get(code=code)
