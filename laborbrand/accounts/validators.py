from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class CharacterClassValidator:
    """A password must mix characters from at least `min_classes` of: upper case, lower case, digits,
    symbols (the 等保 2.0 complexity rule)."""

    CLASSES = (
        str.isupper,
        str.islower,
        str.isdigit,
        lambda c: c in string.punctuation or c == " ",
    )

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        used = sum(1 for test in self.CLASSES if any(test(c) for c in password))
        if used < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must contain characters from at least %(n)d kind of: upper-case letters, "
            "lower-case letters, digits and symbols.",
            "Your password must contain characters from at least %(n)d of the four kinds: upper-case "
            "letters, lower-case letters, digits and symbols.",
            self.min_classes,
        ) % {"n": self.min_classes}
