"""Resident ID numbers (GB 11643): 18 characters, a region code that is or was in GB/T 2260 (or a Hong Kong,
Macao or Taiwan residence permit's), a real date of birth not in the future, the ISO 7064 MOD 11-2 check
character. The region code is not tied to the birth year: a number is assigned when a household
registration is made or re-made."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from stdnum.cn import ric

from laborbrand.accounts import pii
from laborbrand.accounts.models import User
from tests import factories
from tests.accounts.sms_codes import last_code

TODAY = datetime.date(2026, 6, 1)

# Every county and district of the city (六安市) under its codes since 1999, the retired 寿县 (moved to
# 淮南市 in 2015), and the codes of 六安地区 before 1999.
CITY_CODES = {
    "341500": "六安市",
    "341502": "金安区",
    "341503": "裕安区",
    "341504": "叶集区 (since 2015)",
    "341521": "寿县 (1999–2015)",
    "341522": "霍邱县",
    "341523": "舒城县",
    "341524": "金寨县",
    "341525": "霍山县",
    "342400": "六安地区 (until 1999)",
    "342401": "六安市, county-level (until 1999)",
    "342421": "六安县 (until 1992)",
    "342422": "寿县 (until 1999)",
    "342423": "霍邱县 (until 1999)",
    "342424": "肥西县 (until 1983)",
    "342425": "舒城县 (until 1999)",
    "342426": "金寨县 (until 1999)",
    "342427": "霍山县 (until 1999)",
}
# Before and after 1983, 1992, 1999 and 2015, the years the city's codes changed.
BIRTH_YEARS = [1950, 1985, 1998, 2003, 2014, 2016]

OTHER_VALID = {
    "Hong Kong residence permit": "810000",
    "Macao residence permit": "820000",
    "Taiwan residence permit": "830000",
    "台湾省 (GB/T 2260)": "710000",
    "Beijing 东城区": "110101",
    "Beijing 崇文区, retired in 2010": "110103",
    "Beijing 密云区, created in 2015": "110118",
    "安徽省": "340000",
}


def number(region: str, birth: str, n: int = 1) -> str:
    return factories.make_id_number(n, birth=birth, region=region)


def check(value: str) -> str:
    return pii.validate_id_number(value, today=TODAY)


@pytest.mark.parametrize("year", BIRTH_YEARS)
@pytest.mark.parametrize("region", CITY_CODES, ids=CITY_CODES.values())
def test_numbers_of_every_county_of_the_city_are_valid_whatever_the_birth_year(region, year):
    for n in range(11):  # eleven sequence numbers: every check character, X included
        value = number(region, f"{year}0315", n)
        assert check(value) == value


@pytest.mark.parametrize("region", OTHER_VALID.values(), ids=OTHER_VALID.keys())
def test_residence_permits_and_other_region_codes_are_valid(region):
    value = number(region, "19900101")
    assert check(value) == value


def test_python_stdnum_alone_would_refuse_these():
    """Why pii.py checks the region itself: python-stdnum ties the region code to the birth year.
    Should this start failing, the library has changed its rule and the wrap may be reconsidered."""
    refused = [number("341502", "19980101"), number("342426", "20030101"), number("341504", "20140101")]
    refused += [number(code, "19900101") for code in ("830000", "810000")]

    assert [value for value in refused if ric.is_valid(value)] == []
    for value in refused:
        check(value)


ENDS_IN_X = "34152419900101004X"


@pytest.mark.parametrize(
    "typed",
    [
        "34152419900101004x",
        " 341524 19900101 004X ",
        "341524-19900101-004x",
        "３４１５２４１９９００１０１００４Ｘ",
        "３４１５２４　１９９００１０１　００４ｘ",
    ],
)
def test_separators_case_and_full_width_forms_are_normalised(typed):
    assert number("341524", "19900101", 4) == ENDS_IN_X  # the test's own premise
    assert check(typed) == ENDS_IN_X


VALID = number("341524", "19900315", 7)

INVALID = {
    "empty": ("", "id_number_length"),
    "15-digit first-generation number": ("341524900315071", "id_number_length"),
    "17 characters": (VALID[:-1], "id_number_length"),
    "19 characters": (VALID + "1", "id_number_length"),
    "letter inside": (VALID[:5] + "A" + VALID[6:], "id_number_characters"),
    "X not last": (VALID[:16] + "X" + VALID[17], "id_number_characters"),
    "asterisks of a masked number": ("3415**********0715", "id_number_characters"),
    "region never in GB/T 2260": (number("341599", "19900315"), "id_number_region"),
    "region 000000": (number("000000", "19900315"), "id_number_region"),
    "region 999999": (number("999999", "19900315"), "id_number_region"),
    "region 840000": (number("840000", "19900315"), "id_number_region"),
    "30 February": (number("341524", "19900230"), "id_number_date"),
    "29 February of a common year": (number("341524", "20010229"), "id_number_date"),
    "month 13": (number("341524", "19901301"), "id_number_date"),
    "day 00": (number("341524", "19900100"), "id_number_date"),
    "year 0000": (number("341524", "00000101"), "id_number_date"),
    "born before 1900": (number("341524", "18991231"), "id_number_date"),
    "born tomorrow": (number("341524", "20260602"), "id_number_date"),
}


@pytest.mark.parametrize(("value", "code"), INVALID.values(), ids=INVALID.keys())
def test_invalid_numbers_are_refused_with_their_reason(value, code):
    with pytest.raises(ValidationError) as excinfo:
        check(value)

    assert excinfo.value.code == code


@pytest.mark.parametrize("wrong", sorted(set("0123456789X") - {VALID[-1]}))
def test_every_wrong_check_character_is_refused(wrong):
    with pytest.raises(ValidationError) as excinfo:
        check(VALID[:-1] + wrong)

    assert excinfo.value.code == "id_number_check"


def test_born_today_is_not_in_the_future():
    assert check(number("341524", "20260601")) == number("341524", "20260601")


def test_each_reason_has_its_own_message():
    reasons = {}
    with translation.override("en"):
        for value, code in INVALID.values():
            with pytest.raises(ValidationError) as excinfo:
                check(value)
            reasons.setdefault(code, set()).update(excinfo.value.messages)
        with pytest.raises(ValidationError) as excinfo:
            check(VALID[:-1] + ("0" if VALID[-1] != "0" else "1"))
        reasons["id_number_check"] = set(excinfo.value.messages)

    assert set(reasons) == {
        "id_number_length",
        "id_number_characters",
        "id_number_region",
        "id_number_date",
        "id_number_check",
    }
    messages = [message for found in reasons.values() for message in found]
    assert len(messages) == len(set(messages)), "two reasons share a message"
    assert "this one has 17" in " ".join(reasons["id_number_length"])


@pytest.mark.parametrize(
    ("region", "birth"),
    [
        ("342426", "19850710"),
        ("342401", "19701224"),
        ("341504", "20080102"),
        ("341521", "20030505"),
        ("810000", "19920808"),
        ("820000", "19920808"),
        ("830000", "19920808"),
    ],
)
@pytest.mark.django_db
def test_people_with_such_numbers_can_register(client, send_now, region, birth):
    value = number(region, birth, 5)

    response = client.post(
        reverse("accounts:register_worker"),
        {
            "username": "wang_fang",
            "real_name": "王芳",
            "id_number": value,
            "phone": "13712345678",
            "password1": "Str0ng#pass",
            "password2": "Str0ng#pass",
            "privacy_consent": "on",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    response = client.post(reverse("accounts:register_worker_confirm"), {"code": last_code()})
    assert User.objects.get(username="wang_fang").id_number == value
