"""A small import for the engine's tests only: a brand's standards (BrandStandard, kept with history), each
row optionally naming a contact person by real name and ID number, for whom a worker record is opened (as the
practitioner import does). Registered by the `standards_import` fixture, never in the running site."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from openpyxl import Workbook

from brands.forms import StandardForm
from brands.models import BrandStandard
from brands.permissions import get_brand_for
from laborbrand.accounts import pii
from laborbrand.accounts.records import known_worker, worker_record
from laborbrand.imports.engine import Column, Importer

KEY = "test-standards"
DIMENSIONS = ("ethics", "skill", "service")


class StandardRowForm(StandardForm):
    """The brand's standard form (its rules reused), plus the optional contact person."""

    contact_name = forms.CharField(required=False, max_length=50)
    contact_id_number = forms.CharField(required=False, max_length=30)

    class Meta(StandardForm.Meta):
        fields = ["dimension", "requirement"]

    def clean_contact_id_number(self) -> str:
        value = self.cleaned_data["contact_id_number"]
        return pii.validate_id_number(value) if value else ""

    def clean(self):
        data = super().clean()
        name, number = data.get("contact_name"), data.get("contact_id_number")
        if name and number:
            try:
                known_worker(real_name=name, id_number=number)
            except ValidationError as refusal:
                self.add_error("contact_id_number", refusal)
        elif name and "contact_id_number" not in self.errors:
            self.add_error("contact_id_number", ValidationError("Give the contact's ID number.", "required"))
        return data


class StandardsImporter(Importer):
    key = KEY
    title = "品牌标准导入（测试）"
    columns = (
        Column("requirement", "要求", example="遵守职业道德"),
        Column("dimension", "维度", example="ethics", choices=lambda: DIMENSIONS),
        Column("contact_name", "联系人", required=False),
        Column("contact_id_number", "联系人身份证号", required=False, text=True),
    )
    form_class = StandardRowForm

    @classmethod
    def target_for(cls, user, target_id):
        if target_id is None:
            raise Http404
        return get_brand_for(user, target_id)

    def back_url(self) -> str:
        return reverse("brands:manage_detail", args=[self.target.pk])

    def form_kwargs(self):
        return {"brand": self.target}

    def row_key(self, cleaned):
        return cleaned["requirement"]

    def find(self, cleaned):
        return self.target.standards.filter(requirement=cleaned["requirement"]).first()

    def differs(self, existing, cleaned):
        return existing.dimension != cleaned["dimension"]

    def write(self, cleaned, existing):
        written = []
        if cleaned.get("contact_id_number"):
            written.append(
                worker_record(real_name=cleaned["contact_name"], id_number=cleaned["contact_id_number"])
            )
        if existing is None:
            standard = BrandStandard.objects.create(
                brand=self.target, dimension=cleaned["dimension"], requirement=cleaned["requirement"]
            )
            written.append((standard, True))
        else:
            existing.dimension = cleaned["dimension"]
            existing.save(update_fields=["dimension"])
            written.append((existing, False))
        return written


HEADERS = ("要求*", "维度*", "联系人", "联系人身份证号")


def workbook(rows: Sequence[Sequence], headers: Sequence = HEADERS) -> bytes:
    """An .xlsx of one sheet: the headers, then the rows as given (a text starting with "=" is a formula)."""
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
