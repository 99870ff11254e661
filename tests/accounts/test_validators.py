"""CharacterClassValidator: passwords mix at least `min_classes` of upper, lower, digits and symbols."""

import pytest
from django.contrib.auth.password_validation import get_default_password_validators, validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from laborbrand.accounts.validators import CharacterClassValidator


@pytest.mark.parametrize(
    "password",
    ["Abcdefg1", "abcdefg1!", "ABCDEFG1!", "Abcdefg!", "Ab1!", "Ab 1", "长城Ab1", "Aa1!Aa1!"],
)
def test_three_or_more_classes_pass(password):
    CharacterClassValidator(min_classes=3).validate(password)


@pytest.mark.parametrize(
    "password",
    [
        "abcdefgh",
        "ABCDEFGH",
        "12345678",
        "!!!!####",
        "abcd1234",
        "ABCD1234",
        "abcd!@#$",
        "ABCD!@#$",
        "1234!@#$",
        "",
    ],
)
def test_fewer_than_three_classes_fail_with_code(password):
    with pytest.raises(ValidationError) as excinfo:
        CharacterClassValidator(min_classes=3).validate(password)

    assert excinfo.value.code == "password_too_simple"


def test_space_counts_as_a_symbol():
    CharacterClassValidator(min_classes=3).validate("abc 1234")


def test_non_ascii_letters_count_by_their_case():
    CharacterClassValidator(min_classes=3).validate("éclair1É")
    with pytest.raises(ValidationError):
        CharacterClassValidator(min_classes=3).validate("中文密码中文密码1")


@pytest.mark.parametrize(
    ("min_classes", "password", "ok"),
    [
        (1, "abcdefgh", True),
        (2, "abcdefgh", False),
        (2, "abcd1234", True),
        (4, "Abcd1234", False),
        (4, "Abcd123!", True),
    ],
)
def test_min_classes_is_configurable(min_classes, password, ok):
    validator = CharacterClassValidator(min_classes=min_classes)
    if ok:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError):
            validator.validate(password)


def test_default_requires_three_classes():
    assert CharacterClassValidator().min_classes == 3


def test_help_text_names_the_number_of_classes():
    with translation.override("en"):
        assert "at least 3 of the four kinds" in CharacterClassValidator(min_classes=3).get_help_text()
        assert "at least 1 kind" in CharacterClassValidator(min_classes=1).get_help_text()


def test_error_message_is_the_help_text():
    validator = CharacterClassValidator(min_classes=3)
    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            validator.validate("abcdefgh")

        assert excinfo.value.messages == [validator.get_help_text()]


def test_validator_is_configured_with_three_classes():
    [validator] = [v for v in get_default_password_validators() if isinstance(v, CharacterClassValidator)]

    assert validator.min_classes == 3


def test_configured_validators_reject_a_two_class_password():
    with pytest.raises(ValidationError) as excinfo:
        validate_password("longpassword2026")

    assert "password_too_simple" in [error.code for error in excinfo.value.error_list]
