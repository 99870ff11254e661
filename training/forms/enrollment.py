"""Adding walk-in trainees (one on the programme's page, or a class roster's row), and recording a class's
results (the whole class on the results page, or a results sheet's row). A page's form and a sheet's row form
ask the same checks: the person's (training.forms.common) and the service's (training.services.enrollment)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from laborbrand.reference.validators import TYPED_NUMBER_MAX_LENGTH
from training.forms.common import (
    REAL_NAME_MAX_LENGTH,
    NamedWorker,
    NamedWorkerForm,
    identify_worker,
    identity_error_field,
    refusal_as_error,
    score_form_field,
)
from training.models import Enrollment, TrainingProgram
from training.services.enrollment import (
    check_results_open,
    check_walk_in,
    check_walk_ins_open,
    results_enrollment,
)


class WalkInForm(forms.Form):
    """A trainee with a worker account, by ID or mobile number; or someone without one, by real name and ID
    number (a record is opened for them, as for a class roster's row). Valid, `named` is the NamedWorker."""

    identifier = forms.CharField(
        label=_("Trainee's ID number or mobile number"),
        max_length=TYPED_NUMBER_MAX_LENGTH,
        help_text=_("A trainee with a worker account on the portal is found by either number."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    real_name = forms.CharField(
        label=_("Real name, for a trainee without an account"),
        max_length=REAL_NAME_MAX_LENGTH,
        required=False,
        help_text=_(
            "With the ID number: the trainee is recorded without an account, and takes the record over by "
            "registering with the same ID number."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    named: NamedWorker | None = None

    def clean(self):
        data = super().clean()
        if "identifier" in data:
            try:
                self.named = identify_worker(data["identifier"], data.get("real_name", ""))
            except ValidationError as error:
                self.add_error(
                    identity_error_field(error, number_field="identifier", name_field="real_name"), error
                )
        return data

    @property
    def worker(self):
        """The trainee's account or record; None for someone whose record is yet to be opened."""
        return self.named.worker if self.named is not None else None


class RosterRowForm(NamedWorkerForm):
    """A class roster's row: the person, who takes a place in the programme as a walk-in would. Someone
    already taking a place is found (`cleaned_data["enrollment"]`) and left as they are."""

    def __init__(self, *args, program: TrainingProgram, places_taken: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.places_taken = places_taken

    def clean(self):
        with refusal_as_error("closed"):
            check_walk_ins_open(self.program)
        data = super().clean()
        named = data.get("named")
        if named is None:
            return data
        data["enrollment"] = None
        if named.worker is not None:
            enrollment = self.program.enrollments.filter(worker=named.worker).first()
            if enrollment is not None and enrollment.status in Enrollment.TAKING_A_PLACE:
                data["enrollment"] = enrollment
                return data
        with refusal_as_error("refused"):
            check_walk_in(self.program, named.worker, places_taken=self.places_taken)
        return data


class ResultsForm(forms.Form):
    """The final examination's theory and practical scores for every trainee of a class, in one form; the
    pass follows from them (services.results_record)."""

    def __init__(self, *args, enrollments, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrollments = list(enrollments)
        for enrollment in self.enrollments:
            name = enrollment.worker.display_name
            self.fields[f"theory_{enrollment.pk}"] = score_form_field(
                _("Theory score of %(name)s") % {"name": name}, enrollment.theory_score
            )
            self.fields[f"practical_{enrollment.pk}"] = score_form_field(
                _("Practical score of %(name)s") % {"name": name}, enrollment.practical_score
            )

    def rows(self):
        return [(e, self[f"theory_{e.pk}"], self[f"practical_{e.pk}"]) for e in self.enrollments]

    def results(self) -> dict:
        data = self.cleaned_data
        return {e.pk: (data[f"theory_{e.pk}"], data[f"practical_{e.pk}"]) for e in self.enrollments}


class ResultsRowForm(NamedWorkerForm):
    """A results sheet's row: an enrolled trainee's theory and practical scores (0–100, as on the results
    page); the pass follows from them (services.results_record). `cleaned_data["enrollment"]` is the
    trainee's enrolment."""

    theory_score = score_form_field(_("Theory score"))
    practical_score = score_form_field(_("Practical score"))

    def __init__(self, *args, program: TrainingProgram, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program

    def clean(self):
        with refusal_as_error("closed"):
            check_results_open(self.program)
        data = super().clean()
        named = data.get("named")
        if named is not None:
            with refusal_as_error("not_enrolled"):
                data["enrollment"] = results_enrollment(self.program, named.worker)
        return data
