"""Recording a partner agreement (签约备案)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from laborbrand.dates import DateWindowsMixin
from laborbrand.forms import ModelForm
from training.forms.common import checked_upload
from training.models import (
    Institution,
    PartnerAgreement,
)
from training.permissions import agreement_brands


class AgreementForm(DateWindowsMixin, ModelForm):
    class Meta:
        model = PartnerAgreement
        fields = ["institution", "brands", "signed_on", "filed_on", "document"]
        widgets = {
            "signed_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "filed_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "brands": forms.CheckboxSelectMultiple,
            "document": forms.FileInput(attrs={"accept": "application/pdf"}),
        }
        help_texts = {"document": _("The signed agreement as a PDF, at most 10 MB.")}

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.qualified()
        self.fields["brands"].queryset = agreement_brands(county)

    def clean_document(self):
        upload = self.cleaned_data["document"]
        checked_upload(upload, allowed={"application/pdf": "PDF"})
        return upload

    def clean(self):
        data = super().clean()
        # Neither date may lie in the future: the model fields' date windows say so.
        signed, filed = data.get("signed_on"), data.get("filed_on")
        if signed and filed and filed < signed:
            self.add_error(
                "filed_on",
                ValidationError(
                    _("An agreement is filed on or after the day it is signed."), code="before_signing"
                ),
            )
        return data
