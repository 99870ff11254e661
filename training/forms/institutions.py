"""An institution's registration details, and the reason the city gives for suspending it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from laborbrand.forms import ModelForm
from laborbrand.reference.validators import CreditCodeField
from training.models import (
    Institution,
)


class InstitutionForm(ModelForm):
    class Meta:
        model = Institution
        fields = ["name", "kind", "county", "credit_code", "contact_name", "contact_phone", "address"]
        field_classes = {"credit_code": CreditCodeField}


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
