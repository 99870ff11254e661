from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from laborbrand.accounts import pii
from laborbrand.accounts.models import WORKER_KINDS, Notification, User
from laborbrand.forms import KeyChoiceField, ModelForm
from laborbrand.reference.models import County
from laborbrand.reference.validators import TYPED_NUMBER_MAX_LENGTH


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("User name or mobile number"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


def clean_unique_phone(value: str, *, exclude_pk: int | None = None) -> str:
    phone = pii.validate_mobile(value)
    if User.objects.by_phone(phone).exclude(pk=exclude_pk).exists():
        raise ValidationError(_("This mobile number is already registered."), code="phone_taken")
    return phone


class AccountCreationForm(UserCreationForm):
    """User name, e-mail and a password checked by every validator in AUTH_PASSWORD_VALIDATORS."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "email"]
        help_texts = {"username": _("Letters, digits and @/./+/-/_ only; 150 characters at most.")}


class WorkerRegistrationForm(AccountCreationForm):
    real_name = forms.CharField(label=_("Real name"), max_length=50)
    id_number = forms.CharField(
        label=_("National ID number"),
        max_length=TYPED_NUMBER_MAX_LENGTH,
        help_text=_(
            "18 characters; a residence permit of Hong Kong, Macao or Taiwan residents also works. Stored "
            "encrypted and shown to others only masked."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=TYPED_NUMBER_MAX_LENGTH,
        help_text=_("You can sign in with this number."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    privacy_consent = forms.BooleanField(
        label=_(
            "I have read and agree to the privacy notice, and consent to the processing of my personal "
            "information described there."
        ),
        error_messages={"required": _("You must agree to the privacy notice to register.")},
    )

    field_order = ["username", "real_name", "id_number", "phone", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _("Optional.")

    def clean_id_number(self) -> str:
        number = pii.validate_id_number(self.cleaned_data["id_number"])
        pii.validate_minimum_age(number)
        if User.objects.by_id_number(number).exists():
            raise ValidationError(
                _("An account with this ID number already exists. Each person may register once."),
                code="id_number_taken",
            )
        return number

    def clean_phone(self) -> str:
        return clean_unique_phone(self.cleaned_data["phone"])


class OfficialCreateForm(AccountCreationForm):
    real_name = forms.CharField(label=_("Real name"), max_length=50)
    county = KeyChoiceField(label=_("County/district"), queryset=County.objects.all())
    phone = forms.CharField(label=_("Mobile number"), max_length=TYPED_NUMBER_MAX_LENGTH, required=False)

    field_order = ["username", "real_name", "county", "email", "phone", "password1", "password2"]

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        return clean_unique_phone(value) if value else ""


class OfficialUpdateForm(ModelForm):
    phone = forms.CharField(label=_("Mobile number"), max_length=TYPED_NUMBER_MAX_LENGTH, required=False)

    class Meta:
        model = User
        fields = ["real_name", "county", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].required = True
        self.fields["real_name"].required = True
        self.initial["phone"] = self.instance.phone

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        return clean_unique_phone(value, exclude_pk=self.instance.pk) if value else ""


class LeadingGroupCreateForm(AccountCreationForm):
    real_name = forms.CharField(label=_("Real name"), max_length=50)
    department = forms.CharField(label=_("Department"), max_length=60, help_text=_("For example 市财政局."))

    field_order = ["username", "real_name", "department", "email", "password1", "password2"]


class LeadingGroupUpdateForm(ModelForm):
    class Meta:
        model = User
        fields = ["real_name", "department", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["real_name"].required = True
        self.fields["department"].required = True


class NotificationSettingsForm(forms.Form):
    """A worker's channels: an SMS and an e-mail checkbox for each kind in WORKER_KINDS (fields `sms_<kind>`,
    `email_<kind>`). A field for any other kind, posted or not, is ignored; a missing box is unticked."""

    def __init__(self, *args, choices: dict[str, tuple[bool, bool]], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in WORKER_KINDS:
            by_sms, by_email = choices[kind]
            label = Notification.Kind(kind).label
            self.fields[f"sms_{kind}"] = forms.BooleanField(
                required=False,
                initial=by_sms,
                label=format_lazy(_("{kind}: by SMS"), kind=label),
                widget=forms.CheckboxInput(attrs={"class": "form-check-input m-0"}),
            )
            self.fields[f"email_{kind}"] = forms.BooleanField(
                required=False,
                initial=by_email,
                label=format_lazy(_("{kind}: by e-mail"), kind=label),
                widget=forms.CheckboxInput(attrs={"class": "form-check-input m-0"}),
            )

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (Notification.Kind(kind).label, self[f"sms_{kind}"], self[f"email_{kind}"])
            for kind in WORKER_KINDS
        ]

    def choices(self) -> dict[str, tuple[bool, bool]]:
        data = self.cleaned_data
        return {kind: (data[f"sms_{kind}"], data[f"email_{kind}"]) for kind in WORKER_KINDS}
