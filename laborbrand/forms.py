"""Form pieces every app shares.

Numbers from a request are range-checked here before they reach the database or Python's date functions:
an id of twenty digits must be a form error or a 404, never an OverflowError (SQLite) or a DataError. Every
choice of a database row goes through `KeyChoiceField` / `KeyMultipleChoiceField` (ModelForms get them
through `ModelForm`), and ids and numbers read by hand go through `parse_int` / `parse_id`.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.forms.models import ModelFormMetaclass

# Row ids are BigAutoFields (DEFAULT_AUTO_FIELD): positive and within a signed 64-bit integer.
ID_MAX = 2**63 - 1


def parse_int(value, *, low: int, high: int) -> int | None:
    """`value` as a whole number between `low` and `high`, or None. Only ASCII digits (and a leading minus)
    count: `int()` would also take "٣", " 7 " or "1_000", which no page of ours writes."""
    text = str(value) if value is not None else ""
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > len(str(max(abs(low), abs(high)))):
        return None
    number = int(text)
    return number if low <= number <= high else None


def parse_id(value) -> int | None:
    """A row id from a request (a query parameter, a path, a list of ticked boxes), or None."""
    return parse_int(value, low=1, high=ID_MAX)


def _impossible_key(queryset, to_field_name: str | None, value) -> bool:
    """Whether `value` is a number that cannot be a key of the queryset's rows: for an integer key, one not
    written in ASCII digits or outside the range of the key's column on this database (PostgreSQL's integer
    is narrower than its bigint). Anything that is no number at all is left to Django's own checks."""
    if isinstance(value, queryset.model):
        return False
    field = queryset.model._meta.get_field(to_field_name) if to_field_name else queryset.model._meta.pk
    while field.is_relation:  # a one-to-one primary key: the column holds the target's key
        field = field.target_field
    if not isinstance(field, models.IntegerField):  # AutoField and BigAutoField are IntegerFields
        return False
    try:
        int(str(value))
    except ValueError:
        return False
    low, high = connections[queryset.db].ops.integer_field_range(field.get_internal_type())
    return parse_int(value, low=low, high=high) is None


class KeyChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose value is range-checked before it is looked up."""

    def to_python(self, value):
        if value not in self.empty_values and _impossible_key(self.queryset, self.to_field_name, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class KeyMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose values are range-checked before they are looked up."""

    def _check_values(self, value):
        for item in value if isinstance(value, list | tuple) else []:
            if _impossible_key(self.queryset, self.to_field_name, item):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return super()._check_values(value)


def key_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """ModelForm's `formfield_callback`: relations become the range-checked choice fields."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", KeyMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", KeyChoiceField)
    return db_field.formfield(**kwargs)


class _KeyFieldsMetaclass(ModelFormMetaclass):
    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(key_formfield)
        return super().__new__(mcs, name, bases, attrs)


class ModelForm(forms.ModelForm, metaclass=_KeyFieldsMetaclass):
    """The project's ModelForm: relations whose Meta sets no other `formfield_callback` get the
    range-checked choice fields."""


class FilterForm(forms.Form):
    """A GET filter form. `lookups` maps each field to the ORM lookup it filters on; a field with a bad
    value is dropped on its own while the valid ones still apply."""

    lookups: dict[str, str] = {}

    def filter(self, queryset):
        if not self.is_bound:
            return queryset
        self.is_valid()
        for field, lookup in self.lookups.items():
            value = self.cleaned_data.get(field)
            if value not in (None, ""):
                queryset = queryset.filter(**{lookup: value})
        return queryset
