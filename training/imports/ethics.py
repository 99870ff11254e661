"""Ethics session attendance from Excel: the session's organiser (the county's officials, the institution's
staff, or the city bureau's admins: training.permissions.editable_ethics_sessions) imports who attended, once
the session has taken place. A row is an attendee typed on the session's page by name and ID number: the
same person rules (training.forms.common) and the same service; someone not known yet gets a worker record."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from laborbrand.imports.engine import Importer, register
from training.forms.common import refusal_as_error
from training.forms.ethics import AttendanceRowForm
from training.imports.people import PERSON_COLUMNS, id_number_key
from training.models import EthicsAttendance, EthicsSession
from training.permissions import get_editable_ethics_session_for
from training.services.ethics import ethics_attendance_add_named


@register
class EthicsAttendanceImporter(Importer):
    key = "ethics_attendance"
    title = _("Ethics session attendance")
    columns = PERSON_COLUMNS
    form_class = AttendanceRowForm

    @classmethod
    def target_for(cls, user, target_id: int | None) -> EthicsSession:
        if target_id is None:
            raise Http404
        return get_editable_ethics_session_for(user, target_id)

    def back_url(self) -> str:
        return reverse("training:ethics_detail", args=[self.target.pk])

    def form_kwargs(self) -> dict:
        return {"session": self.target}

    def row_key(self, cleaned: dict) -> str:
        return id_number_key(cleaned)

    def find(self, cleaned: dict) -> EthicsAttendance | None:
        return cleaned["attendance"]

    def differs(self, existing: EthicsAttendance, cleaned: dict) -> bool:
        return False

    def write(self, cleaned: dict, existing: EthicsAttendance | None) -> list:
        with refusal_as_error("refused"):
            attendance, created, opened = ethics_attendance_add_named(
                session=self.target, real_name=cleaned["real_name"], id_number=cleaned["id_number"]
            )
        return [*([(attendance.worker, True)] if opened else []), (attendance, created)]
