"""Adding a walk-in trainee, and recording a class's results."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from laborbrand.reference.validators import TYPED_NUMBER_MAX_LENGTH
from training.forms.common import WorkerLookupMixin, score_form_field


class WalkInForm(WorkerLookupMixin, forms.Form):
    identifier = forms.CharField(
        label=_("Trainee's ID number or mobile number"),
        max_length=TYPED_NUMBER_MAX_LENGTH,
        help_text=_("The trainee must have a worker account on the portal."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


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
