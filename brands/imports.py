"""Importing a county's practitioner list (从业人员台账) into a brand's register from Excel.

Each row is checked with the rules of the register's own form (brands/forms.py PractitionerForm): the ID
number and phone as the registration form checks them, the occupation one of the brand's, employed somewhere
or self-employed, the township one of the county's, the date not in the future. A row names its person by ID
number: a person not yet on the register is added (their worker record found, or opened without a sign-in), a
person on it has their entry brought in line with the row. The sheet names occupations and townships as the
template's drop-downs list them, and says 是/否 for self-employed.

An import of 10,000 rows validates and commits within a minute (docs/benchmarks.md, "Practitioner import"):
the brand's occupations, townships and register entries are read once per import, not once per row.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from functools import cached_property
from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from brands import services
from brands.forms import PractitionerForm
from brands.models import Brand, Practitioner
from brands.permissions import get_register_brand_for
from laborbrand.accounts import pii
from laborbrand.accounts.records import known_worker
from laborbrand.imports.engine import Column, Importer, register
from laborbrand.reference.models import Occupation, Township
from laborbrand.uniqueness import is_unique_violation

YES, NO = "是", "否"


def _example_id_number() -> str:
    body = "34152419900307001"
    return body + pii.id_number_check_character(body)


class NamedChoiceField(forms.ChoiceField):
    """One of a few rows (the brand's occupations, the county's townships) named as the sheet names it; cleans
    to the row itself. The rows are read once per import and handed to every row's form."""

    def __init__(self, *, objects: dict[str, Any], **kwargs):
        super().__init__(choices=[("", ""), *((name, name) for name in objects)], **kwargs)
        self.objects = objects

    def to_python(self, value) -> str:
        return " ".join(str(value).split()) if value not in self.empty_values else ""

    def clean(self, value):
        name = super().clean(value)
        return self.objects[name] if name else None


class PractitionerRowForm(PractitionerForm):
    """One row of a practitioner sheet: the register form's rules, with the occupation and the township named,
    是/否 for self-employed, and a person already on the register updated rather than refused."""

    refuse_listed = False

    def __init__(
        self,
        *args,
        brand: Brand,
        occupations: dict[str, Occupation],
        townships: dict[str, Township],
        **kwargs,
    ):
        super().__init__(*args, brand=brand, **kwargs)
        self.fields["occupation"] = NamedChoiceField(
            objects=occupations,
            label=self.fields["occupation"].label,
            error_messages={
                "invalid_choice": _(
                    "“%(value)s” is not an occupation of this brand: choose one from the list."
                )
            },
        )
        self.fields["township"] = NamedChoiceField(
            objects=townships,
            label=self.fields["township"].label,
            required=False,
            error_messages={
                "invalid_choice": _(
                    "“%(value)s” is not a township of the brand's county: choose one from the list."
                )
            },
        )
        self.fields["self_employed"] = forms.TypedChoiceField(
            label=self.fields["self_employed"].label,
            choices=[(YES, YES), (NO, NO)],
            coerce=lambda value: value == YES,
            empty_value=False,
            required=False,
            error_messages={"invalid_choice": _("Write 是 or 否.")},
        )


DETAILS = ("occupation", "since", "employer", "self_employed", "township", "contact_phone")


@register
class PractitionerImporter(Importer):
    key = "practitioners"
    title = _("Brand practitioners")
    columns = (
        Column("real_name", "姓名", example="张秀英"),
        Column("id_number", "身份证号", example=_example_id_number(), text=True),
        Column("contact_phone", "手机号", required=False, example="13912345678", text=True),
        Column("occupation", "工种", example="家政服务员"),
        Column("employer", "工作单位", required=False, example="金寨县红嫂家政服务有限公司"),
        Column("self_employed", "是否个体/自雇", required=False, example=NO, choices=lambda: (YES, NO)),
        Column("township", "乡镇（街道）", required=False, example="梅山镇"),
        Column("since", "从业起始日期", example="2018-03-01"),
    )
    form_class = PractitionerRowForm

    @classmethod
    def target_for(cls, user, target_id: int | None) -> Brand:
        return get_register_brand_for(user, target_id)

    def back_url(self) -> str:
        return reverse("brands:practitioner_list", args=[self.target.pk])

    def target_label(self) -> str:
        return f"{self.target.name}（{self.target.county.name}）"

    def column_choices(self, column: Column) -> Sequence[str] | None:
        if column.field == "occupation":
            return list(self._occupations)
        if column.field == "township":
            return list(self._townships)
        return super().column_choices(column)

    # --- read once per import ---

    @cached_property
    def _occupations(self) -> dict[str, Occupation]:
        occupations = sorted(self.target.occupations.all(), key=lambda occupation: occupation.name)
        return {occupation.name: occupation for occupation in occupations}

    @cached_property
    def _townships(self) -> dict[str, Township]:
        return {
            township.name: township for township in Township.objects.filter(county_id=self.target.county_id)
        }

    @cached_property
    def _entries(self) -> dict[int, Practitioner]:
        """The register's active entries by worker."""
        return {entry.worker_id: entry for entry in self.target.practitioners.active()}

    # --- one row ---

    def form_kwargs(self) -> dict[str, Any]:
        return {"brand": self.target, "occupations": self._occupations, "townships": self._townships}

    def row_key(self, cleaned: dict) -> Hashable:
        return cleaned["id_number"]

    def find(self, cleaned: dict) -> Practitioner | None:
        worker = cleaned["worker"]
        return None if worker is None else self._entries.get(worker.pk)

    def differs(self, existing: Practitioner, cleaned: dict) -> bool:
        stored = {
            "occupation": existing.occupation_id,
            "since": existing.since,
            "employer": existing.employer,
            "self_employed": existing.self_employed,
            "township": existing.township_id,
            "contact_phone": existing.contact_phone or "",
        }
        return stored != self._row_values(cleaned)

    @staticmethod
    def _row_values(cleaned: dict) -> dict:
        values = {field: cleaned[field] for field in DETAILS}
        values["occupation"] = values["occupation"].pk
        values["township"] = values["township"].pk if values["township"] else None
        values["employer"] = "" if values["self_employed"] else values["employer"]
        return values

    def write(self, cleaned: dict, existing: Practitioner | None) -> list:
        details = {field: cleaned[field] for field in DETAILS}
        if existing is None:
            try:
                with transaction.atomic():
                    practitioner, opened = services.practitioner_add(
                        brand=self.target,
                        actor=self.user,
                        real_name=cleaned["real_name"],
                        id_number=cleaned["id_number"],
                        source=Practitioner.Source.IMPORTED,
                        **details,
                    )
            except IntegrityError as error:
                if not is_unique_violation(error):
                    raise
                # Someone put the same person on the register a moment ago: the row updates that entry.
                existing = self._listed_meanwhile(cleaned)
            else:
                self._entries[practitioner.worker_id] = practitioner
                return [*([(practitioner.worker, True)] if opened else []), (practitioner, True)]
        services.practitioner_update(practitioner=existing, actor=self.user, **details)
        return [(existing, False)]

    def _listed_meanwhile(self, cleaned: dict) -> Practitioner:
        worker = known_worker(real_name=cleaned["real_name"], id_number=cleaned["id_number"])
        entry = self.target.practitioners.active().get(worker=worker)
        self._entries[entry.worker_id] = entry
        return entry
