from django import forms
from django.utils.translation import gettext_lazy as _

from jobs.models import Employer
from laborbrand.forms import ModelForm
from laborbrand.reference.validators import CreditCodeField


class EmployerForm(ModelForm):
    class Meta:
        model = Employer
        fields = ["name", "credit_code", "province", "city_name", "industry", "contact_name", "contact_phone"]
        field_classes = {"credit_code": CreditCodeField}


class EmployerEditForm(EmployerForm):
    """The company's details as its staff correct them. Once the city has verified the company, its credit
    code is what was checked, so it can no longer be changed here."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.is_verified:
            code = self.fields["credit_code"]
            code.disabled = True
            code.help_text = _("Verified by the city; it cannot be changed.")


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("What the employer must correct"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The company's staff are told this reason. The company stays in the queue and is reviewed again "
            "once they correct its details."
        ),
    )


class EmployerFilterForm(forms.Form):
    """Which companies the city admins' list shows: by default the queue (waiting for the city); a value
    that is not a choice shows the queue too."""

    WAITING, REFUSED, VERIFIED, ALL = "", "refused", "verified", "all"

    status = forms.ChoiceField(
        label=_("Verification"),
        required=False,
        choices=[
            (WAITING, _("Waiting for verification")),
            (REFUSED, _("Refused, waiting for corrections")),
            (VERIFIED, _("Verified")),
            (ALL, _("All companies")),
        ],
    )

    def chosen(self) -> str:
        return self.cleaned_data.get("status", self.WAITING) if self.is_valid() else self.WAITING

    def filter(self, employers):
        return {
            self.WAITING: employers.awaiting_verification,
            self.REFUSED: employers.refused,
            self.VERIFIED: employers.verified,
            self.ALL: employers.all,
        }[self.chosen()]()
