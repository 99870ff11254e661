"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

python-stdnum's `cn.uscc` computes the check character correctly but refuses every code whose first eight
characters are not all digits, that is every code of the registration authorities A, N and Y, and it does
not check the authority and organisation-type codes at all. So the structure is checked here and only the
check character is left to the library.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc

CREDIT_CODE_LENGTH = 18
# Digits and upper-case letters without I, O, Z, S and V.
CREDIT_CODE_CHARACTERS = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")
# GB 32100-2015 table 1: each registration authority (登记管理部门) and the organisation types
# (机构类别) it registers.
ORGANISATION_TYPES = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
    "2": "19",  # 外交: 外国常住新闻机构, 其他
    "3": "123459",  # 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": "19",  # 文化: 外国在华文化中心, 其他
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游: 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻内地（大陆）代表机构, 其他
    "7": "129",  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": "19",  # 工会: 基层工会, 其他
    "9": "123",  # 工商 (市场监管): 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": "1239",  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": "1",  # 其他: one type only
}
REGION_RE = re.compile(r"^\d{6}$")
# Room in a form field for a number as people type it: a country prefix, spaces, dashes, brackets.
TYPED_NUMBER_MAX_LENGTH = 30
# What people put between the characters of a number: spaces (U+3000 too), dashes of every width, dots and
# brackets. Full-width forms (１３８－…, ＋８６) become ASCII by NFKC first.
SEPARATORS_RE = re.compile(r"[\s\-\u2010-\u2015\u2212\ufe63.·()]")


def compact(value: str | None) -> str:
    """A number as people type it, without separators and in ASCII."""
    return SEPARATORS_RE.sub("", unicodedata.normalize("NFKC", value or ""))


def normalize_credit_code(value: str | None) -> str:
    return compact(value).upper()


def validate_credit_code(value: str) -> None:
    """Length, registration authority, organisation type, six-digit region code, the nine-character
    organisation code and the check character; each refusal says which."""
    code = normalize_credit_code(value)
    if len(code) != CREDIT_CODE_LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="credit_code_length",
            params={"count": len(code)},
        )
    if not set(code) <= CREDIT_CODE_CHARACTERS:
        raise ValidationError(
            _(
                "A unified social credit code has only digits and capital letters other than I, O, Z, S "
                "and V. Please check the code."
            ),
            code="credit_code_characters",
        )
    types = ORGANISATION_TYPES.get(code[0])
    if types is None:
        raise ValidationError(
            _("The first character of the code is not a registration authority. Please check it."),
            code="credit_code_authority",
        )
    if code[1] not in types:
        raise ValidationError(
            _(
                "The second character of the code is not an organisation type that this registration "
                "authority registers. Please check it."
            ),
            code="credit_code_type",
        )
    if not REGION_RE.match(code[2:8]):
        raise ValidationError(
            _("Characters 3 to 8 of the code are a region code and must be digits. Please check them."),
            code="credit_code_region",
        )
    if code[-1] != uscc.calc_check_digit(code[:-1]):
        raise ValidationError(
            _(
                "The last character of the code does not match the others: one of them is mistyped. "
                "Please check the code."
            ),
            code="credit_code_check",
        )


class CreditCodeField(forms.CharField):
    """A unified social credit code as people type it (spaces, dashes, lower case, full-width forms),
    stored normalised. Use through a ModelForm's `Meta.field_classes`."""

    default_validators = [validate_credit_code]

    def __init__(self, **kwargs):
        # Not the model field's 18: the separators people type come off before the length is checked.
        kwargs["max_length"] = TYPED_NUMBER_MAX_LENGTH
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_credit_code(super().to_python(value))
