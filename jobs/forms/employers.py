from django import forms

from jobs.models import Employer
from laborbrand.reference.validators import normalize_credit_code


class EmployerForm(forms.ModelForm):
    class Meta:
        model = Employer
        fields = ["name", "credit_code", "province", "city_name", "industry", "contact_name", "contact_phone"]

    def clean_credit_code(self) -> str:
        return normalize_credit_code(self.cleaned_data["credit_code"])
