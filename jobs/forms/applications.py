from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jobs.models import Application, WorkerProfile
from laborbrand.forms import FilterForm, ModelForm
from laborbrand.reference.models import County, Occupation, Province

MAX_DESIRED_OCCUPATIONS = 5


def occupations_by_category() -> list[tuple[str, list[tuple[int, str]]]]:
    """Occupation choices grouped under their category, in the categories' order."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for occupation in Occupation.objects.select_related("category"):
        groups.setdefault(occupation.category.name, []).append((occupation.pk, occupation.name))
    return list(groups.items())


class WorkerProfileForm(ModelForm):
    class Meta:
        model = WorkerProfile
        fields = [
            "home_county",
            "desired_occupations",
            "experience_years",
            "experience",
            "preferred_provinces",
            "accepts_other_province",
            "expected_salary",
            "seeking",
        ]
        widgets = {
            "desired_occupations": forms.CheckboxSelectMultiple,
            "preferred_provinces": forms.CheckboxSelectMultiple,
            "experience": forms.Textarea(attrs={"rows": 4}),
            "experience_years": forms.NumberInput(attrs={"min": 0, "max": 60}),
            "expected_salary": forms.NumberInput(attrs={"min": 1000, "max": 200000, "step": 100}),
        }
        help_texts = {
            "experience": _("Where you worked, what you did and for how long. Employers read this."),
            "expected_salary": _("Leave empty if you have no expectation."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_county"].queryset = County.objects.all()
        self.fields["home_county"].required = True
        occupations = self.fields["desired_occupations"]
        occupations.queryset = Occupation.objects.all()
        occupations.choices = occupations_by_category()  # rendering only; validation uses the queryset
        occupations.help_text = _("Choose up to %(max)d.") % {"max": MAX_DESIRED_OCCUPATIONS}
        self.fields["preferred_provinces"].queryset = Province.objects.all()

    def clean_desired_occupations(self):
        occupations = self.cleaned_data["desired_occupations"]
        if len(occupations) > MAX_DESIRED_OCCUPATIONS:
            raise ValidationError(
                _("Choose at most %(max)d occupations."),
                code="too_many",
                params={"max": MAX_DESIRED_OCCUPATIONS},
            )
        return occupations

    def profile_fields(self) -> dict:
        """The cleaned data as `services.profile_save` takes it."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ApplyForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I agree to share my details with this employer as described above."),
        error_messages={
            "required": _("Applying needs your consent to share your details with the employer.")
        },
    )
    # Set when the worker came from a match recommendation or an invitation (the link carries
    # ?from=recommendation). A claim only: the service records it when the portal really recommended the
    # posting to the worker or the employer invited them (jobs.matching.services.came_from_recommendation).
    recommendation = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ApplicantFilterForm(FilterForm):
    lookups = {"status": "status"}

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Application.Status.choices],
    )


class MoveForm(forms.Form):
    """The employer's note on a step of an applicant (each step has its own URL; the allowed steps are the
    service's to decide)."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For an interview or an offer the worker sees your note: give the time, place and whom to ask "
            "for. Notes on other steps stay with your company."
        ),
    )
