from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc


def validate_credit_code(value: str) -> None:
    """A unified social credit code (GB 32100-2015), check character included."""
    try:
        uscc.validate(value)
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(
            _("Enter a valid 18-character unified social credit code."), code="invalid_credit_code"
        ) from exc


def normalize_credit_code(value: str) -> str:
    return uscc.compact(value or "").upper()
