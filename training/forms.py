from django import forms

from laborbrand.reference.validators import normalize_credit_code
from training.models import Institution


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = ["name", "kind", "county", "credit_code", "contact_name", "contact_phone", "address"]

    def clean_credit_code(self) -> str:
        return normalize_credit_code(self.cleaned_data["credit_code"])
