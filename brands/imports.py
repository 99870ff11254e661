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

from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from typing import Any

from django import forms
from django.db import IntegrityError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from brands import services
from brands.forms import PractitionerForm
from brands.models import Brand, Practitioner
from brands.permissions import get_register_brand_for
from laborbrand.accounts import pii
from laborbrand.accounts.models import User
from laborbrand.accounts.records import known_worker, new_worker_record, users_by_id_number, vetted_worker
from laborbrand.imports.engine import Column, Importer, RowResult, register
from laborbrand.reference.models import Occupation, Township
from laborbrand.uniqueness import is_unique_violation

YES, NO = "是", "否"


def _example_id_number() -> str:
    body = "34152419900307001"
    return body + pii.id_number_check_character(body)


class NamedChoiceField(forms.ChoiceField):
    """One of a few rows (the brand's occupations, the county's townships) named as the sheet names it; cleans
    to the row itself. The rows are read once per import and handed to every row's form (`use`); a row form
    is never drawn, so its choices are the names themselves, not a list built for each row."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.objects: dict[str, Any] = {}

    def use(self, objects: dict[str, Any]) -> None:
        self.objects = objects

    def valid_value(self, value) -> bool:
        return value in self.objects

    def to_python(self, value) -> str:
        return " ".join(str(value).split()) if value not in self.empty_values else ""

    def clean(self, value):
        name = super().clean(value)
        return self.objects[name] if name else None


class PractitionerRowForm(PractitionerForm):
    """One row of a practitioner sheet: the register form's rules, with the occupation and the township named,
    是/否 for self-employed, and a person already on the register updated rather than refused. The person's
    worker record comes from the import's look-up of its rows (`workers`: the holders of the ID numbers read
    ahead, by number), vetted as the register form vets it."""

    refuse_listed = False

    occupation = NamedChoiceField(
        label=PractitionerForm.base_fields["occupation"].label,
        error_messages={
            "invalid_choice": _("“%(value)s” is not an occupation of this brand: choose one from the list.")
        },
    )
    township = NamedChoiceField(
        label=PractitionerForm.base_fields["township"].label,
        required=False,
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a township of the brand's county: choose one from the list."
            )
        },
    )
    self_employed = forms.TypedChoiceField(
        label=PractitionerForm.base_fields["self_employed"].label,
        choices=[(YES, YES), (NO, NO)],
        coerce=lambda value: value == YES,
        empty_value=False,
        required=False,
        error_messages={"invalid_choice": _("Write 是 or 否.")},
    )

    def __init__(
        self,
        *args,
        occupations: dict[str, Occupation],
        townships: dict[str, Township],
        workers: WorkerLookUp,
        **kwargs,
    ):
        self.named = {"occupation": occupations, "township": townships}
        self.workers = workers
        super().__init__(*args, **kwargs)

    def limit_choices(self, brand: Brand) -> None:
        for field, objects in self.named.items():
            self.fields[field].use(objects)

    def find_worker(self, *, real_name: str, id_number: str):
        return self.workers.find(real_name=real_name, id_number=id_number)


class WorkerLookUp:
    """The holders of the ID numbers of the rows read ahead (`users_by_id_number`, one query a chunk), so a
    row's form finds its person without a query of its own; a number not looked up is found as the register
    form finds it."""

    def __init__(self):
        self.holders: dict[str, User] = {}
        self.looked_up: set[str] = set()

    def look_up(self, id_numbers: set[str]) -> None:
        self.holders = users_by_id_number(id_numbers)
        self.looked_up = id_numbers

    def find(self, *, real_name: str, id_number: str) -> User | None:
        if id_number not in self.looked_up:
            return known_worker(real_name=real_name, id_number=id_number)
        holder = self.holders.get(id_number)
        return None if holder is None else vetted_worker(holder, real_name=real_name)


DETAILS = ("occupation", "since", "employer", "self_employed", "township", "contact_phone")
# Rows read ahead at a time: their people looked up in one query, their new entries written in a few.
CHUNK = 1000


@dataclass
class Pending:
    """A new entry waiting for its chunk's bulk write, with the list the engine keeps as its row's writes."""

    entry: Practitioner
    record: User | None  # the worker record opened for the row, if any
    cleaned: dict
    written: list


@register
class PractitionerImporter(Importer):
    key = "practitioners"
    title = _("Brand practitioners")
    row_savepoints = False  # new entries wait for the chunk's bulk write (see write)
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

    def __init__(self, *, user, target=None):
        super().__init__(user=user, target=target)
        self.workers = WorkerLookUp()
        self.entries: dict[int, Practitioner] = {}  # the register's active entries of the chunk's people
        self.pending: list[Pending] = []

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

    # --- read ahead a chunk at a time ---

    def validate(self, rows: Iterable[tuple[int, dict[str, str]]]) -> Iterator[RowResult]:
        return super().validate(self._read_ahead(rows))

    def commit(self, rows: Iterable[tuple[int, dict[str, str]]]) -> list[RowResult]:
        return super().commit(self._read_ahead(rows, write=True))

    def _read_ahead(self, rows, *, write: bool = False):
        """The rows as they come, a chunk at a time: before a chunk's rows are checked, their people and
        register entries are read in two queries; once the engine has checked (and written) them all, their
        new entries are saved together. The engine asks for the next row only after the last one is done."""
        rows = iter(rows)
        while chunk := list(islice(rows, CHUNK)):
            self._look_up(chunk)
            yield from chunk
            if write:
                self._save_pending()

    def _look_up(self, chunk: list[tuple[int, dict[str, str]]]) -> None:
        numbers = {pii.normalize_id_number(values.get("id_number", "")) for _number, values in chunk}
        self.workers.look_up(numbers - {""})
        people = [holder.pk for holder in self.workers.holders.values()]
        self.entries = {
            entry.worker_id: entry
            for entry in self.target.practitioners.active().filter(worker_id__in=people)
        }

    # --- one row ---

    def form_kwargs(self) -> dict[str, Any]:
        return {
            "brand": self.target,
            "occupations": self._occupations,
            "townships": self._townships,
            "workers": self.workers,
        }

    def row_key(self, cleaned: dict) -> Hashable:
        return cleaned["id_number"]

    def find(self, cleaned: dict) -> Practitioner | None:
        worker = cleaned["worker"]
        return None if worker is None else self.entries.get(worker.pk)

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
        """An update is written at once; a new entry (and the worker record opened for its person) waits for
        the chunk's bulk write, which saves the very objects returned here before commit() returns."""
        details = {field: cleaned[field] for field in DETAILS}
        if existing is not None:
            services.practitioner_update(practitioner=existing, actor=self.user, **details)
            return [(existing, False)]
        worker, record = cleaned["worker"], None
        if worker is None:
            worker = record = new_worker_record(
                real_name=cleaned["real_name"], id_number=cleaned["id_number"]
            )
        entry = services.practitioner_entry(
            brand=self.target, actor=self.user, worker=worker, source=Practitioner.Source.IMPORTED, **details
        )
        written = [*([(record, True)] if record is not None else []), (entry, True)]
        self.pending.append(Pending(entry, record, cleaned, written))
        return written

    def _save_pending(self) -> None:
        pending, self.pending = self.pending, []
        if not pending:
            return
        try:
            services.practitioners_save(
                actor=self.user,
                entries=[p.entry for p in pending],
                records=[p.record for p in pending if p.record is not None],
            )
        except IntegrityError as error:
            if not is_unique_violation(error):
                raise
            # Someone put one of these people on the register (or registered their ID number) a moment ago:
            # add them one by one, each finding what is there now.
            for item in pending:
                item.written[:] = self._add_one(item.cleaned)

    def _add_one(self, cleaned: dict) -> list:
        details = {field: cleaned[field] for field in DETAILS}
        try:
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
            worker = known_worker(real_name=cleaned["real_name"], id_number=cleaned["id_number"])
            existing = self.target.practitioners.active().get(worker=worker)
            services.practitioner_update(practitioner=existing, actor=self.user, **details)
            return [(existing, False)]
        return [*([(practitioner.worker, True)] if opened else []), (practitioner, True)]
