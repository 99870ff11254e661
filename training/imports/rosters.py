"""Class rosters and class results from Excel: an institution's staff import the trainees of one of their
own programmes, and the class's final examination scores once the programme has ended.

A roster's row is a walk-in trainee (the programme page's "Add a walk-in trainee"): the same person rules
(training.forms.common) and the same checks (training.services.enrollment.check_walk_in: the programme
enrolling or running, no other enrolment of the worker in it, a place left), and the same service. A results
row is one line of the results page, recorded by the same service (results_record: the pass follows from the
two scores, the enrolment completed).

A service refuses a row the form let through only when the records changed between the two (the last place
taken meanwhile): the refusal is the row's (a ValidationError, as the engine expects from `write`).
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from laborbrand.imports.engine import Action, Column, Importer, register
from training.forms.common import refusal_as_error
from training.forms.enrollment import ResultsRowForm, RosterRowForm
from training.imports.people import PERSON_COLUMNS, id_number_key
from training.models import Enrollment, TrainingProgram
from training.permissions import get_managed_program_for
from training.services.enrollment import enrollment_add_named, results_record


class ProgramImporter(Importer):
    """An import into a programme of the user's own institution: any other programme answers 404."""

    @classmethod
    def target_for(cls, user, target_id: int | None) -> TrainingProgram:
        if target_id is None:
            raise Http404
        return get_managed_program_for(user, target_id)

    def back_url(self) -> str:
        return reverse("training:program_detail", args=[self.target.pk])

    def row_key(self, cleaned: dict) -> str:
        return id_number_key(cleaned)


@register
class RosterImporter(ProgramImporter):
    """Someone already taking a place (accepted, or completed) is left unchanged; everyone else takes a
    place, a worker record being opened for someone not known yet. Rows past the programme's capacity are
    refused, counted in the sheet's order."""

    key = "roster"
    title = _("Class roster")
    # No phone column: a record opened from a roster has no phone (its owner adds and verifies theirs when
    # they register), and a registered worker's phone is theirs to change. A 手机号 column in the sheet is
    # ignored, as every column the template does not name.
    columns = PERSON_COLUMNS
    form_class = RosterRowForm

    def __init__(self, *, user, target=None):
        super().__init__(user=user, target=target)
        self._begin()

    def _begin(self) -> None:
        # Places taken when the sheet is read (counted once), and the rows so far that take one more each.
        self._places_taken: int | None = None
        self._adding = 0

    def validate(self, rows):
        self._begin()
        return super().validate(rows)

    def commit(self, rows):
        self._begin()
        return super().commit(rows)

    def check_row(self, number, values, seen):
        result, cleaned = super().check_row(number, values, seen)
        if result.action == Action.CREATE:
            self._adding += 1
        return result, cleaned

    def form_kwargs(self) -> dict:
        if self._places_taken is None:
            self._places_taken = self.target.enrollments.taking_a_place().count()
        return {"program": self.target, "places_taken": self._places_taken + self._adding}

    def find(self, cleaned: dict) -> Enrollment | None:
        return cleaned["enrollment"]

    def differs(self, existing: Enrollment, cleaned: dict) -> bool:
        return False

    def write(self, cleaned: dict, existing: Enrollment | None) -> list:
        with refusal_as_error("refused"):
            enrollment, opened = enrollment_add_named(
                program=self.target, real_name=cleaned["real_name"], id_number=cleaned["id_number"]
            )
        return [*([(enrollment.worker, True)] if opened else []), (enrollment, True)]


@register
class ResultsImporter(ProgramImporter):
    """Each row updates a trainee's enrolment with the two scores (and completes it); a row with the scores
    already recorded is unchanged. A row naming someone not enrolled is refused: results open no records."""

    key = "results"
    title = _("Class results")
    columns = (
        *PERSON_COLUMNS,
        Column("theory_score", "理论成绩", example="85"),
        Column("practical_score", "实操成绩", example="78.5"),
    )
    form_class = ResultsRowForm

    def form_kwargs(self) -> dict:
        return {"program": self.target}

    def find(self, cleaned: dict) -> Enrollment:
        return cleaned["enrollment"]

    def differs(self, existing: Enrollment, cleaned: dict) -> bool:
        return (
            existing.status != Enrollment.Status.COMPLETED
            or existing.theory_score != cleaned["theory_score"]
            or existing.practical_score != cleaned["practical_score"]
        )

    def write(self, cleaned: dict, existing: Enrollment | None) -> list:
        enrollment = cleaned["enrollment"]
        with refusal_as_error("refused"):
            results_record(
                program=self.target,
                results={enrollment.pk: (cleaned["theory_score"], cleaned["practical_score"])},
            )
        return [(Enrollment.objects.get(pk=enrollment.pk), False)]
