"""Forms of the service counter (jobs/counter.py): registering a worker who is present, the code the worker
reads out, finding a worker by an exact number and choosing a job for them."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jobs.forms.applications import MAX_DESIRED_OCCUPATIONS, occupations_by_category
from laborbrand.accounts import pii
from laborbrand.accounts.forms import clean_registrable_id_number, clean_unique_phone
from laborbrand.forms import KeyChoiceField, KeyMultipleChoiceField
from laborbrand.reference.models import County, Occupation
from laborbrand.reference.validators import TYPED_NUMBER_MAX_LENGTH


class CounterRegistrationForm(forms.Form):
    """The worker's details, checked as on the worker's own registration form (WorkerRegistrationForm), with
    the two profile facts that let the counter apply for them at once."""

    real_name = forms.CharField(label=_("Real name"), max_length=50, help_text=_("As on the ID card."))
    id_number = forms.CharField(
        label=_("National ID number"),
        max_length=TYPED_NUMBER_MAX_LENGTH,
        help_text=_("From the ID card the worker shows (or a Hong Kong, Macao or Taiwan residence permit)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=TYPED_NUMBER_MAX_LENGTH,
        help_text=_("The worker's own phone, with them now: the code goes to it, and they sign in with it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    home_county = KeyChoiceField(label=_("Home county/district"), queryset=County.objects.all())
    desired_occupations = KeyMultipleChoiceField(
        label=_("Desired occupations"),
        queryset=Occupation.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, county=None, **kwargs):
        super().__init__(*args, **kwargs)
        if county is not None:
            self.fields["home_county"].initial = county.pk
        occupations = self.fields["desired_occupations"]
        occupations.choices = occupations_by_category()  # rendering only; validation uses the queryset
        occupations.help_text = _("Choose up to %(max)d.") % {"max": MAX_DESIRED_OCCUPATIONS}

    def clean_real_name(self) -> str:
        name = " ".join(self.cleaned_data["real_name"].split())
        if not name:
            raise ValidationError(_("Enter the worker's real name."), code="required")
        return name

    def clean_id_number(self) -> str:
        number = pii.validate_id_number(self.cleaned_data["id_number"])
        pii.validate_minimum_age(number)
        # A record without a sign-in under the same name (a county's register, a class roster …) is taken
        # over by registering; an account is not.
        clean_registrable_id_number(
            number,
            real_name=self.cleaned_data.get("real_name"),
            taken=_(
                "An account with this ID number already exists. Each person may register once: find the "
                "worker under “Act for a worker” instead."
            ),
        )
        return number

    def clean_phone(self) -> str:
        return clean_unique_phone(self.cleaned_data["phone"])

    def clean_desired_occupations(self):
        occupations = self.cleaned_data["desired_occupations"]
        if len(occupations) > MAX_DESIRED_OCCUPATIONS:
            raise ValidationError(
                _("Choose at most %(max)d occupations."),
                code="too_many",
                params={"max": MAX_DESIRED_OCCUPATIONS},
            )
        return occupations

    def pending(self) -> dict:
        """What waits in the session (encrypted) until the worker reads out the code."""
        data = self.cleaned_data
        return {
            "real_name": data["real_name"],
            "id_number": data["id_number"],
            "phone": data["phone"],
            "home_county": data["home_county"].pk,
            "desired_occupations": [o.pk for o in data["desired_occupations"]],
        }


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code the worker reads out"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "pattern": "[0-9]{6}", "size": 8}
        ),
        error_messages={
            "min_length": _("The code has 6 digits."),
            "max_length": _("The code has 6 digits."),
        },
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isascii() or not code.isdigit():
            raise ValidationError(_("The code has 6 digits."), code="invalid")
        return code


class FindWorkerForm(forms.Form):
    number = forms.CharField(
        label=_("Mobile number or ID number"),
        max_length=TYPED_NUMBER_MAX_LENGTH,
        help_text=_("Exactly as on the worker's phone or ID card; nobody is found by a part of a number."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_number(self) -> str:
        value = self.cleaned_data["number"]
        if pii.is_mobile(value):
            return pii.normalize_phone(value)
        return pii.validate_id_number(value)


class PostingSearchForm(forms.Form):
    q = forms.CharField(label=_("Keywords"), max_length=100, required=False)
