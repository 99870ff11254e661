from __future__ import annotations

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from laborbrand.accounts import pii
from laborbrand.accounts.models import WORKER_KINDS, Notification, User
from laborbrand.accounts.records import claimable_record
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


ID_NUMBER_TAKEN = _("An account with this ID number already exists. Each person may register once.")


def clean_registrable_id_number(number: str, *, real_name: str | None, taken=ID_NUMBER_TAKEN) -> None:
    """Refuse a valid ID number nobody may register with any more: that of an account (message `taken`), or
    that of a worker record without a sign-in (a county's register, a class roster …) under another name.
    The record under the same name is taken over by registering (laborbrand/accounts/records.py). Call it with
    the form's cleaned real name, or None when the name itself was refused."""
    holder = User.objects.by_id_number(number).only("pk", "registered", "role").first()
    if holder is None:
        return
    if holder.registered or holder.role != User.Role.WORKER:
        raise ValidationError(taken, code="id_number_taken")
    if real_name is not None and claimable_record(real_name=real_name, id_number=number) is None:
        # The name on record is never shown: only that the one typed is not it.
        raise ValidationError(
            _(
                "The real name does not match the records kept for this ID number. Type your name exactly as "
                "on your ID card; if it is right, ask a public employment service desk to check the records."
            ),
            code="name_mismatch",
        )


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
        clean_registrable_id_number(number, real_name=self.cleaned_data.get("real_name"))
        return number

    def clean_phone(self) -> str:
        return clean_unique_phone(self.cleaned_data["phone"])


class WorkerSignUpForm(WorkerRegistrationForm):
    """Registration's first step: the user name is optional (a blank one is made up: the phone is the
    sign-in); the number is verified with a code before the account exists."""

    def __init__(self, *args, human_check: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if human_check:
            self.fields["captcha"] = captcha_field()
        self.fields["username"].required = False
        self.fields["username"].help_text = _(
            "Optional: leave it blank and we choose one for you. You can always sign in with your mobile "
            "number."
        )
        self.fields["phone"].help_text = _("We send a code to this number; you sign in with it.")


# --- One-time codes by SMS (laborbrand/accounts/codes.py) --------------------------------------------------


class CaptchaWidget(CaptchaTextInput):
    """The image challenge without JavaScript: the picture (served by the captcha app, so the CSP's img-src
    'self' holds), then the answer box the field's label names."""

    # A widget's template: the form renderer finds it in this app's templates/, not in the project's.
    template_name = "accounts/widgets/captcha.html"


def captcha_field() -> CaptchaField:
    return CaptchaField(
        label=_("Characters in the picture"),
        help_text=_(
            "Type the 4 letters you see, to show a person is asking. Cannot read them? Load the page again "
            "for a new picture, or ask at a public employment service desk."
        ),
        error_messages={
            "invalid": _("The characters do not match the picture. Please try the new one."),
            "required": _("Type the characters in the picture first."),
            "incomplete": _("Type the characters in the picture first."),
        },
        widget=CaptchaWidget(),
    )


class PhoneForm(forms.Form):
    """The first step of every "send me a code" form: a mainland mobile number, and the image challenge when
    codes.human_check_needed says so (or after a refused one)."""

    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=TYPED_NUMBER_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, human_check: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if human_check:
            self.fields["captcha"] = captcha_field()

    def clean_phone(self) -> str:
        return pii.validate_mobile(self.cleaned_data["phone"])


class HumanCheckForm(forms.Form):
    """ "Send a new code": only the image challenge, when it is needed."""

    def __init__(self, *args, human_check: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if human_check:
            self.fields["captcha"] = captcha_field()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=6,
        min_length=6,
        help_text=_("The 6 digits in the text message."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
        error_messages={
            "min_length": _("The code has 6 digits."),
            "max_length": _("The code has 6 digits."),
        },
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise ValidationError(_("The code has 6 digits."), code="invalid_code")
        return code


class CodeSetPasswordForm(SetPasswordForm):
    """The code from the SMS and the new password twice (Django's rules, AUTH_PASSWORD_VALIDATORS)."""

    code = CodeForm.base_fields["code"]
    field_order = ["code", "new_password1", "new_password2"]

    def clean_code(self) -> str:
        return CodeForm.clean_code(self)


class PhoneChangeForm(forms.Form):
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    phone = forms.CharField(
        label=_("New mobile number"),
        max_length=TYPED_NUMBER_MAX_LENGTH,
        help_text=_("We send a code to the new number; it takes effect once you type it in."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, user: User, human_check: bool = False, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if human_check:
            self.fields["captcha"] = captcha_field()

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("That is not your current password."), code="password_incorrect")
        return password

    def clean_phone(self) -> str:
        phone = pii.validate_mobile(self.cleaned_data["phone"])
        if phone == self.user.phone:
            raise ValidationError(_("This is already your mobile number."), code="same_phone")
        return clean_unique_phone(phone, exclude_pk=self.user.pk)


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
