from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jobs.models import Apprenticeship, Employer
from laborbrand.dates import DateWindowsMixin, window_date_field
from laborbrand.forms import KeyChoiceField
from laborbrand.reference.models import Occupation, SkillLevel
from laborbrand.reference.validators import TYPED_NUMBER_MAX_LENGTH
from training.forms.common import WorkerLookupMixin
from training.models import Institution


class ApprenticeshipForm(DateWindowsMixin, WorkerLookupMixin, forms.Form):
    """An apprentice recorded by one party; the other party is chosen from the verified employers or the
    qualified institutions."""

    identifier = forms.CharField(
        label=_("Apprentice's ID number or mobile number"),
        max_length=TYPED_NUMBER_MAX_LENGTH,
        help_text=_("The apprentice must have a worker account on the portal."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    partner = KeyChoiceField(label=_("Partner"), queryset=Employer.objects.none())
    occupation = KeyChoiceField(label=_("Occupation"), queryset=Occupation.objects.none())
    target_level = KeyChoiceField(label=_("Target skill level"), queryset=SkillLevel.objects.all())
    start_date = window_date_field(Apprenticeship, "start_date", label=_("Starts"))
    end_date = window_date_field(Apprenticeship, "end_date", label=_("Ends"))

    def __init__(
        self, *args, employer: Employer | None = None, institution: Institution | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.employer, self.institution = employer, institution
        if institution is not None:
            self.fields["partner"].label = _("Employer")
            self.fields["partner"].queryset = Employer.objects.filter(verified_at__isnull=False)
            self.fields["occupation"].queryset = institution.occupations.select_related("category")
        else:
            self.fields["partner"].label = _("Training institution")
            self.fields["partner"].queryset = Institution.objects.qualified()
            self.fields["occupation"].queryset = Occupation.objects.select_related("category")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error(
                "end_date", ValidationError(_("The apprenticeship must end after it starts."), code="order")
            )
        return data

    def apprenticeship_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "employer": self.employer or data["partner"],
            "institution": self.institution or data["partner"],
            "worker": self.worker,
            "occupation": data["occupation"],
            "target_level": data["target_level"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
        }
