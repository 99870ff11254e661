"""Unified social credit codes (GB 32100-2015): a registration-authority code of the standard's table, an
organisation-type code that authority registers, a six-digit region code, a nine-character organisation
code and the check character, all over the 31 characters without I, O, Z, S and V."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from stdnum.cn import uscc

from laborbrand.reference.validators import CreditCodeField, validate_credit_code


def code(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


PUBLISHED = {
    "enterprise, Beijing": "91110000600037341L",
    "enterprise, Shenzhen (Tencent)": "9144030071526726XG",
    "enterprise with an MA organisation code": "91420684MA4927PJ7B",
    "public institution, Tianjin": "121200004013590816",
    # 320594 (苏州工业园区) is not in GB/T 2260: region codes are deliberately not looked up.
    "enterprise, Suzhou Industrial Park": "91320594780268314T",
}

# One code for every registration authority and organisation type of the standard's table.
GENERATED = {
    "机构编制 · 机关, national": code("11100000000013127"),
    "机构编制 · 事业单位": code("12341500MB1234567"),
    "机构编制 · 群众团体": code("13341500MB0000321"),
    "机构编制 · 其他": code("19341500MB0000322"),
    "外交 · 外国常住新闻机构": code("21110000MC0000123"),
    "外交 · 其他": code("29110000MC0000124"),
    "司法行政 · 律师执业机构": code("31341502MD0123456"),
    "司法行政 · 公证处": code("32341502MD0123457"),
    "司法行政 · 基层法律服务所": code("33341502MD0123458"),
    "司法行政 · 司法鉴定机构": code("34341502MD0123459"),
    "司法行政 · 仲裁委员会": code("35341500MD012345X"),
    "司法行政 · 其他": code("39341500MD0123460"),
    "文化 · 外国在华文化中心": code("41110000ME0000011"),
    "民政 · 社会团体": code("51341524MJ1234567"),
    "民政 · 民办非企业单位": code("52341525MJ7654321"),
    "民政 · 基金会": code("53340000MJ0000999"),
    "旅游 · 港澳台地区旅游部门代表机构": code("62110000MF0000001"),
    "宗教 · 宗教活动场所": code("71341522MG0000002"),
    "宗教 · 宗教院校": code("72340000MG0000003"),
    "工会 · 基层工会": code("81341503MH0000004"),
    "工商 · 企业": code("91341500MA2NXYU01"),
    "工商 · 个体工商户": code("92341524MA2T0QW45"),
    "工商 · 农民专业合作社": code("93341525MA2U8PR11"),
    "中央军委改革和编制办公室 · 军队事业单位": code("A1110000MK0000005"),
    "农业 · 组级集体经济组织": code("N1341524MF0000006"),
    "农业 · 村级集体经济组织": code("N2341524MF0000007"),
    "农业 · 乡镇级集体经济组织": code("N3341524MF0000008"),
    "其他": code("Y1341500MC0000009"),
}
VALID = {**PUBLISHED, **GENERATED}


@pytest.mark.parametrize("value", VALID.values(), ids=VALID.keys())
def test_codes_of_every_registration_authority_are_valid(value):
    validate_credit_code(value)


def test_python_stdnum_alone_would_refuse_the_letter_authorities():
    """Why the structure is checked here: python-stdnum wants digits in the first eight characters, so it
    refuses every code of the authorities A, N and Y. Should this start failing, the library has changed."""
    letters = [value for value in VALID.values() if value[0].isalpha()]

    assert len(letters) == 5
    assert [value for value in letters if uscc.is_valid(value)] == []


BASE = code("91341500MA2NXYU01")

INVALID = {
    "empty": ("", "credit_code_length"),
    "17 characters": (BASE[:-1], "credit_code_length"),
    "19 characters": (BASE + "1", "credit_code_length"),
    "15-digit registration number of before 2015": ("321000400012591", "credit_code_length"),
    "letter I": ("91341500MAI000001" + "1", "credit_code_characters"),
    "letter O": ("91341500MAO000001" + "1", "credit_code_characters"),
    "letter Z": ("91341500MAZ000001" + "1", "credit_code_characters"),
    "letter S": ("91341500MAS000001" + "1", "credit_code_characters"),
    "letter V": ("91341500MAV000001" + "1", "credit_code_characters"),
    "asterisk": ("91341500MA*000001" + "1", "credit_code_characters"),
    "authority 0": (code("01341500MA2NXYU01"), "credit_code_authority"),
    "authority B": (code("B1341500MA2NXYU01"), "credit_code_authority"),
    "authority X": (code("X1341500MA2NXYU01"), "credit_code_authority"),
    "工商 has no type 4": (code("94341500MA2NXYU01"), "credit_code_type"),
    "工商 has no type 9": (code("99341500MA2NXYU01"), "credit_code_type"),
    "机构编制 has no type 4": (code("14341500MB1234567"), "credit_code_type"),
    "司法行政 has no type 6": (code("36341500MD0123456"), "credit_code_type"),
    "民政 has no type 4": (code("54341500MJ1234567"), "credit_code_type"),
    "外交 has no type 2": (code("22110000MC0000123"), "credit_code_type"),
    "军委编制办 has no type 2": (code("A2110000MK0000005"), "credit_code_type"),
    "农业 has no type 4": (code("N4341524MF0000006"), "credit_code_type"),
    "其他 has type 1 only": (code("Y2341500MC0000009"), "credit_code_type"),
    "type as a letter": (code("9A341500MA2NXYU01"), "credit_code_type"),
    "letters in the region code": (code("91MA1500MA2NXYU01"), "credit_code_region"),
    "region code of five digits and a letter": (code("9134150AMA2NXYU01"), "credit_code_region"),
}


@pytest.mark.parametrize(("value", "reason"), INVALID.values(), ids=INVALID.keys())
def test_invalid_codes_are_refused_with_their_reason(value, reason):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(value)

    assert excinfo.value.code == reason


@pytest.mark.parametrize("wrong", sorted(set("0123456789ABCDEFGHJKLMNPQRTUWXY") - {BASE[-1]}))
def test_every_wrong_check_character_is_refused(wrong):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(BASE[:-1] + wrong)

    assert excinfo.value.code == "credit_code_check"


def test_python_stdnum_accepts_codes_with_an_authority_or_type_outside_the_table():
    outside = [INVALID[case][0] for case in ("authority 0", "工商 has no type 4", "机构编制 has no type 4")]

    assert all(uscc.is_valid(value) for value in outside)


def test_each_reason_has_its_own_message():
    reasons: dict[str, set[str]] = {}
    with translation.override("en"):
        for value, reason in [*INVALID.values(), (BASE[:-1] + "0", "credit_code_check")]:
            with pytest.raises(ValidationError) as excinfo:
                validate_credit_code(value)
            reasons.setdefault(reason, set()).update(excinfo.value.messages)

    assert len(reasons) == 6
    messages = [message for found in reasons.values() for message in found]
    assert len(messages) == len(set(messages)), "two reasons share a message"
    assert "this one has 17" in " ".join(reasons["credit_code_length"])


@pytest.mark.parametrize(
    "typed",
    [
        "y1341500mc0000009u",
        " Y1 341500 MC000000 9U ",
        "Y1-341500-MC0000009-U",
        "Ｙ１３４１５００ＭＣ００００００９ｕ",
    ],
)
def test_the_form_field_normalises_what_people_type(typed):
    assert GENERATED["其他"] == "Y1341500MC0000009U"  # the test's own premise

    assert CreditCodeField().clean(typed) == "Y1341500MC0000009U"


@pytest.mark.parametrize(("value", "reason"), [("", "required"), ("Y1341500MC0000009", "credit_code_length")])
def test_the_form_field_refuses_with_the_reason(value, reason):
    with pytest.raises(ValidationError) as excinfo:
        CreditCodeField().clean(value)

    assert [error.code for error in excinfo.value.error_list] == [reason]
