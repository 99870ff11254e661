from __future__ import annotations

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from laborbrand.accounts import backends, codes, pii, sealed, services, texting, workbench
from laborbrand.accounts.forms import (
    AccountCreationForm,
    CodeForm,
    CodeSetPasswordForm,
    HumanCheckForm,
    LeadingGroupCreateForm,
    LeadingGroupUpdateForm,
    LoginForm,
    NotificationSettingsForm,
    OfficialCreateForm,
    OfficialUpdateForm,
    PhoneChangeForm,
    PhoneForm,
    WorkerSignUpForm,
)
from laborbrand.accounts.listings import LEADING_GROUP, LEADING_GROUP_SEARCH, OFFICIAL_SEARCH, OFFICIALS
from laborbrand.accounts.models import PhoneCode, User
from laborbrand.accounts.permissions import (
    get_leading_member_for,
    get_official_for,
    role_required,
    visible_leading_group,
    visible_officials,
)
from laborbrand.exceptions import InvalidTransition
from laborbrand.listings import staff_list
from laborbrand.pages import next_url, paginate, safe_url
from laborbrand.uniqueness import save_or_form_errors


class PortalLoginView(LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """What django-axes shows once an account has too many failed sign-ins."""
    return render(
        request,
        "registration/locked_out.html",
        {"lockout_minutes": settings.LOGIN_LOCKOUT_MINUTES},
        status=429,
    )


def register(request: HttpRequest) -> HttpResponse:
    """Choose what kind of account to register; the page the visitor came from (`next`) goes along."""
    return render(request, "accounts/register.html", {"next": next_url(request)})


# --- One-time codes by SMS: registration, sign-in, reset, phone change (docs/decisions.md, "Issue 15: SMS
# codes"). Each flow keeps its number in the session between "send code" and the code: never from the form.

BACKEND = "laborbrand.accounts.backends.UsernameOrPhoneBackend"
Purpose = PhoneCode.Purpose
HUMAN_CHECK_KEY = "codes:human_check"  # set once a check was asked for or refused: asked for every time after
SIGN_IN_KEY = "codes:sign_in"
RESET_KEY = "codes:reset"
REGISTER_KEY = "codes:register"
CHANGE_PHONE_KEY = "codes:change_phone"
WRONG_CODE = gettext_lazy("Wrong or expired code.")
# flow → (session key, purpose, the code step's URL name)
CODE_FLOWS = {
    "sign-in": (SIGN_IN_KEY, Purpose.SIGN_IN, "accounts:code_sign_in_confirm"),
    "reset": (RESET_KEY, Purpose.RESET, "accounts:password_reset_code_confirm"),
    "register": (REGISTER_KEY, Purpose.REGISTER, "accounts:register_worker_confirm"),
    "change-phone": (CHANGE_PHONE_KEY, Purpose.CHANGE_PHONE, "accounts:phone_change_confirm"),
}


@sensitive_post_parameters("password1", "password2", "id_number", "phone")
def register_worker(request: HttpRequest) -> HttpResponse:
    """Registration, step 1: the form; the number gets a code, and the registration waits in the session (the
    password already hashed) until the code comes back (register_worker_confirm)."""
    back_to = next_url(request)  # the job or programme page the worker came from
    if request.user.is_authenticated:
        return redirect(back_to or "accounts:workbench")
    form, phone = _phone_step(request, WorkerSignUpForm)
    if phone is not None:
        error = _send_code(request, purpose=Purpose.REGISTER, phone=phone, deliver=True)
        if error is None:
            data = form.cleaned_data
            sealed.save(
                request.session,
                REGISTER_KEY,
                {
                    "phone": phone,
                    "username": data["username"],
                    "real_name": data["real_name"],
                    "id_number": data["id_number"],
                    "email": data["email"],
                    "password": make_password(data["password1"]),
                    "next": back_to,
                },
            )
            return redirect("accounts:register_worker_confirm")
        form.add_error(None, error)
    return render(request, "accounts/register_worker.html", {"form": form, "next": back_to})


@sensitive_post_parameters("code")
def register_worker_confirm(request: HttpRequest) -> HttpResponse:
    """Registration, step 2: the code from the SMS; then the account exists, its number verified."""
    pending = sealed.load(request.session, REGISTER_KEY)
    if request.user.is_authenticated:
        return redirect("accounts:workbench")
    if not pending:
        return redirect("accounts:register_worker")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if codes.check_code(phone=pending["phone"], purpose=Purpose.REGISTER, code=form.cleaned_data["code"]):
            claiming = User.objects.by_id_number(pending["id_number"]).filter(registered=False).exists()
            user = _create_verified_worker(pending)
            del request.session[REGISTER_KEY]
            if user is None:
                messages.error(
                    request,
                    _(
                        "Someone registered this mobile number, ID number or user name a moment ago. Please "
                        "check your details and register again."
                    ),
                )
                return redirect("accounts:register_worker")
            login(request, user, backend=BACKEND)
            messages.success(
                request,
                _(
                    "Your account has been created. Welcome! Your user name is %(username)s; you can also "
                    "sign in with your mobile number."
                )
                % {"username": user.username},
            )
            if claiming:
                messages.info(
                    request,
                    _(
                        "The records kept for you before you registered — on a county's practitioner "
                        "register, in training or certificates — are now in your account."
                    ),
                )
            return redirect(safe_url(request, pending.get("next")) or "accounts:workbench")
        form.add_error("code", WRONG_CODE)
    return _code_page(request, form, flow="register", phone=pending["phone"])


# --- Sign-in and password reset by SMS code (workers only) --------------------------------------------------


def client_address(request: HttpRequest) -> str:
    """The address a request came from, as django-ratelimit reads it (RATELIMIT_IP_META_KEY)."""
    value = request.META.get(settings.RATELIMIT_IP_META_KEY, "") or ""
    return value.split(",")[0].strip()


def _human_check(request: HttpRequest, phone: str = "") -> bool:
    return bool(request.session.get(HUMAN_CHECK_KEY)) or codes.human_check_needed(
        phone=phone, address=client_address(request)
    )


def _phone_step(request: HttpRequest, form_class, **form_kwargs):
    """Bind a "send me a code" form, with the image challenge when it is needed; returns the form and the
    number to send to, or None while the form (or the challenge) is not passed."""
    human_check = _human_check(request)
    form = form_class(request.POST or None, human_check=human_check, **form_kwargs)
    if request.method != "POST":
        return form, None
    if not form.is_valid():
        if "captcha" in form.errors:
            request.session[HUMAN_CHECK_KEY] = True
        return form, None
    phone = form.cleaned_data["phone"]
    if not human_check and _human_check(request, phone):
        # This number or this address nears its daily cap: a person must ask, the picture first.
        request.session[HUMAN_CHECK_KEY] = True
        form = form_class(request.POST, human_check=True, **form_kwargs)
        if not form.is_valid():
            return form, None
    return form, phone


def _send_code(request: HttpRequest, *, purpose: str, phone: str, deliver: bool, **kwargs) -> str | None:
    """Ask codes.py for a code; the refusal's message, or None once it is on its way."""
    try:
        codes.request_code(
            phone=phone, purpose=purpose, address=client_address(request), deliver=deliver, **kwargs
        )
    except codes.CodeRefused as refusal:
        return str(refusal)
    return None


def _code_page(request: HttpRequest, form, *, flow: str, phone: str, template="accounts/codes/code.html"):
    return render(
        request,
        template,
        {
            "form": form,
            "flow": flow,
            "masked_phone": pii.mask_phone(phone),
            "resend_form": HumanCheckForm(human_check=_human_check(request, phone)),
            "minutes": codes.CODE_MINUTES,
        },
    )


def _start_by_phone(request: HttpRequest, *, key: str, purpose: str, then: str, template: str, extra=None):
    """Step 1 of sign-in and reset: the same answer, and the same work, for any well-formed number."""
    back_to = next_url(request)
    form, phone = _phone_step(request, PhoneForm)
    if phone is not None:
        account = backends.code_sign_in_account(phone)
        error = _send_code(
            request, purpose=purpose, phone=phone, deliver=account is not None, recipient=account
        )
        if error is None:
            sealed.save(request.session, key, {"phone": phone, "next": back_to})
            return redirect(then)
        form.add_error(None, error)
    return render(request, template, {"form": form, "next": back_to, **(extra or {})})


@sensitive_post_parameters("phone")
def code_sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(next_url(request) or "accounts:workbench")
    return _start_by_phone(
        request,
        key=SIGN_IN_KEY,
        purpose=Purpose.SIGN_IN,
        then="accounts:code_sign_in_confirm",
        template="accounts/codes/sign_in.html",
    )


@sensitive_post_parameters("code")
def code_sign_in_confirm(request: HttpRequest) -> HttpResponse:
    pending = sealed.load(request.session, SIGN_IN_KEY)
    if not pending:
        return redirect("accounts:code_sign_in")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        account = backends.code_sign_in_account(pending["phone"])
        right = codes.check_code(
            phone=pending["phone"], purpose=Purpose.SIGN_IN, code=form.cleaned_data["code"]
        )
        if right and account is not None:
            del request.session[SIGN_IN_KEY]
            # A code proves the phone; it does not unlock password sign-in (backends.lockout_username).
            request.code_sign_in = True
            login(request, account, backend=BACKEND)
            return redirect(safe_url(request, pending.get("next")) or "accounts:workbench")
        form.add_error("code", WRONG_CODE)
    return _code_page(request, form, flow="sign-in", phone=pending["phone"])


@sensitive_post_parameters("phone")
def password_reset_code(request: HttpRequest) -> HttpResponse:
    return _start_by_phone(
        request,
        key=RESET_KEY,
        purpose=Purpose.RESET,
        then="accounts:password_reset_code_confirm",
        template="accounts/codes/password_reset.html",
    )


@sensitive_post_parameters("code", "new_password1", "new_password2")
def password_reset_code_confirm(request: HttpRequest) -> HttpResponse:
    pending = sealed.load(request.session, RESET_KEY)
    if not pending:
        return redirect("accounts:password_reset_code")
    account = backends.code_sign_in_account(pending["phone"])
    # For a number with no account the form checks the password against a blank one: the same work.
    form = CodeSetPasswordForm(account or User(), request.POST or None)
    if form.is_valid():
        right = codes.check_code(
            phone=pending["phone"], purpose=Purpose.RESET, code=form.cleaned_data["code"]
        )
        if right and account is not None:
            form.save()
            axes_reset(username=account.username)  # the new password ends a lockout
            del request.session[RESET_KEY]
            messages.success(request, _("Your password has been changed. You can sign in with it now."))
            return redirect("login")
        form.add_error("code", WRONG_CODE)
    return _code_page(
        request,
        form,
        flow="reset",
        phone=pending["phone"],
        template="accounts/codes/password_reset_code.html",
    )


@require_POST
def code_resend(request: HttpRequest, flow: str) -> HttpResponse:
    """ "Send a new code" on any code step: to the number kept in the session, never one from the form."""
    if flow not in CODE_FLOWS:
        raise Http404
    key, purpose, code_step = CODE_FLOWS[flow]
    pending = sealed.load(request.session, key)
    if not pending or (flow == "change-phone" and pending.get("user") != request.user.pk):
        return redirect(code_step)
    phone = pending["phone"]
    form = HumanCheckForm(request.POST, human_check=_human_check(request, phone))
    if not form.is_valid():
        request.session[HUMAN_CHECK_KEY] = True
        messages.error(request, _("The characters do not match the picture. Please try the new one."))
        return redirect(code_step)
    if flow in ("sign-in", "reset"):
        account = backends.code_sign_in_account(phone)
        error = _send_code(
            request, purpose=purpose, phone=phone, deliver=account is not None, recipient=account
        )
    elif flow == "change-phone":
        error = _send_code(
            request,
            purpose=purpose,
            phone=phone,
            deliver=True,
            subject=str(request.user.pk),
            recipient=request.user,
        )
    else:
        error = _send_code(request, purpose=purpose, phone=phone, deliver=True)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("A new code is on its way."))
    return redirect(code_step)


# --- Changing the mobile number -----------------------------------------------------------------------------


def _may_change_phone(user: User) -> bool:
    return user.role == User.Role.WORKER or bool(user.phone)


@sensitive_post_parameters("password", "phone")
@login_required
@ratelimit(key="user", rate="10/h", method="POST", block=True)  # the current password is asked for
def phone_change(request: HttpRequest) -> HttpResponse:
    """Step 1: the current password and the new number, which gets a code (bound to this account)."""
    if not _may_change_phone(request.user):
        raise PermissionDenied
    form, phone = _phone_step(request, PhoneChangeForm, user=request.user)
    if phone is not None:
        error = _send_code(
            request,
            purpose=Purpose.CHANGE_PHONE,
            phone=phone,
            deliver=True,
            subject=str(request.user.pk),
            recipient=request.user,
        )
        if error is None:
            sealed.save(request.session, CHANGE_PHONE_KEY, {"phone": phone, "user": request.user.pk})
            return redirect("accounts:phone_change_confirm")
        form.add_error(None, error)
    return render(
        request,
        "accounts/codes/phone_change.html",
        {"form": form, "current": pii.mask_phone(request.user.phone)},
    )


@sensitive_post_parameters("code")
@login_required
def phone_change_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the new number; the number changes, verified, and the old one is told."""
    pending = sealed.load(request.session, CHANGE_PHONE_KEY)
    if not pending or pending.get("user") != request.user.pk or not _may_change_phone(request.user):
        return redirect("accounts:phone_change")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        right = codes.check_code(
            phone=pending["phone"],
            purpose=Purpose.CHANGE_PHONE,
            code=form.cleaned_data["code"],
            subject=str(request.user.pk),
        )
        if right:
            del request.session[CHANGE_PHONE_KEY]
            if _change_phone(request.user, pending["phone"]):
                messages.success(request, _("Your mobile number has been changed."))
                return redirect("accounts:workbench")
            messages.error(request, _("This mobile number is already registered."))
            return redirect("accounts:phone_change")
        form.add_error("code", WRONG_CODE)
    return _code_page(request, form, flow="change-phone", phone=pending["phone"])


def _change_phone(user: User, phone: str) -> bool:
    """Set a verified new number; tell the old (verified) one by SMS and the account in the site. False when
    another account took the number in the meantime."""
    old_phone = user.phone if user.phone_verified else ""
    user.phone = phone
    user.phone_verified_at = timezone.now()
    try:
        with transaction.atomic():
            user.save(update_fields=["phone", "phone_verified_at"])
    except IntegrityError:
        user.refresh_from_db()
        return False
    with translation.override(settings.LANGUAGE_CODE):  # the provider's templates are Chinese
        title = gettext("The mobile number of your account was changed")
    if old_phone:
        texting.send_sms(
            phone=old_phone, template="notice", params={"title": title}, kind="phone_changed", urgent=True
        )
    services.notify(
        recipient=user,
        title=_("The mobile number of your account was changed"),
        body=_(
            "Your mobile number is now %(phone)s. If you did not change it, change your password and tell a "
            "public employment service desk."
        )
        % {"phone": pii.mask_phone(phone)},
    )
    return True


def _create_verified_worker(pending: dict) -> User | None:
    """The account a confirmed registration opens (or the record without a sign-in it takes over), or None
    when its number, ID number or user name was registered in the meantime."""
    username = pending["username"]
    taken = (
        User.objects.by_phone(pending["phone"]).exists()
        # A record without a sign-in is no account: registering takes it over (services.worker_register).
        or User.objects.by_id_number(pending["id_number"]).filter(registered=True).exists()
        or (username and User.objects.filter(username__iexact=username).exists())
    )
    if taken:
        return None
    try:
        return services.worker_register(
            username=username,
            password_hash=pending["password"],
            real_name=pending["real_name"],
            id_number=pending["id_number"],
            phone=pending["phone"],
            email=pending["email"],
        )
    except (IntegrityError, InvalidTransition):
        return None


@login_required
def workbench_view(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/workbench.html", {"panels": workbench.panels_for(request.user)})


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, request.user.notifications.all(), open_ended=True)
    return render(request, "accounts/notification_list.html", {"page_obj": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(request.user.notifications, pk=pk)
    services.notification_mark_read(notification=notification)
    if safe_url(request, notification.url):
        return redirect(notification.url)
    return redirect("accounts:notification_list")


@login_required
@require_POST
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications marked as read."))
    return redirect("accounts:notification_list")


@role_required(User.Role.WORKER)
def notification_settings(request: HttpRequest) -> HttpResponse:
    """A worker chooses, per kind of notification, whether it also comes by SMS and by e-mail (it is always
    in the site). Other roles get none of these kinds: 403."""
    user = request.user
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None, choices=services.channel_choices(user)
    )
    if form.is_valid():
        services.notification_preferences_save(user=user, choices=form.choices())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("accounts:notification_settings")
    phone_url = reverse("accounts:phone_change")  # the page to add or verify a number
    quiet_start, quiet_end = settings.SMS_QUIET_HOURS
    return render(
        request,
        "accounts/notification_settings.html",
        {
            "form": form,
            "phone_url": phone_url,
            "quiet_start": f"{quiet_start:02d}:00",
            "quiet_end": f"{quiet_end:02d}:00",
        },
    )


@role_required(User.Role.CITY_ADMIN)
def official_list(request: HttpRequest) -> HttpResponse:
    return staff_list(
        request,
        visible_officials(request.user),
        OFFICIALS,
        "accounts/official_list.html",
        {},
        search=OFFICIAL_SEARCH,
        export_name=("county-officials", _("County officials")),
    )


@sensitive_post_parameters("password1", "password2", "phone")
@role_required(User.Role.CITY_ADMIN)
def official_create(request: HttpRequest) -> HttpResponse:
    form = OfficialCreateForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        official = save_or_form_errors(
            form,
            lambda: services.official_create(
                username=data["username"],
                password=data["password1"],
                real_name=data["real_name"],
                county=data["county"],
                email=data["email"],
                phone=data["phone"],
            ),
        )
        if official is not None:
            messages.success(request, _("Account %(username)s created.") % {"username": official.username})
            return redirect("accounts:official_list")
    return render(request, "accounts/official_form.html", {"form": form})


@sensitive_post_parameters("phone")
@role_required(User.Role.CITY_ADMIN)
def official_update(request: HttpRequest, pk: int) -> HttpResponse:
    official = get_official_for(request.user, pk)
    form = OfficialUpdateForm(request.POST or None, instance=official)
    if form.is_valid():
        data = form.cleaned_data
        saved = save_or_form_errors(
            form,
            lambda: services.official_update(
                official=official,
                real_name=data["real_name"],
                county=data["county"],
                email=data["email"],
                phone=data["phone"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Account %(username)s updated.") % {"username": official.username})
            return redirect("accounts:official_list")
    return render(request, "accounts/official_form.html", {"form": form, "official": official})


def _set_active(request: HttpRequest, account: User, *, active: bool, back_to: str) -> HttpResponse:
    services.staff_set_active(account=account, active=active)
    if active:
        messages.success(request, _("Account %(username)s reactivated.") % {"username": account.username})
    else:
        messages.success(request, _("Account %(username)s deactivated.") % {"username": account.username})
    return redirect(back_to)


@role_required(User.Role.CITY_ADMIN)
@require_POST
def official_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    official = get_official_for(request.user, pk)
    return _set_active(request, official, active=False, back_to="accounts:official_list")


@role_required(User.Role.CITY_ADMIN)
@require_POST
def official_activate(request: HttpRequest, pk: int) -> HttpResponse:
    official = get_official_for(request.user, pk)
    return _set_active(request, official, active=True, back_to="accounts:official_list")


@role_required(User.Role.CITY_ADMIN)
def leading_group_list(request: HttpRequest) -> HttpResponse:
    return staff_list(
        request,
        visible_leading_group(request.user),
        LEADING_GROUP,
        "accounts/leading_group_list.html",
        {},
        search=LEADING_GROUP_SEARCH,
        export_name=("leading-group", _("Leading-group accounts")),
    )


@sensitive_post_parameters("password1", "password2")
@role_required(User.Role.CITY_ADMIN)
def leading_group_create(request: HttpRequest) -> HttpResponse:
    form = LeadingGroupCreateForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        member = save_or_form_errors(
            form,
            lambda: services.leading_member_create(
                username=data["username"],
                password=data["password1"],
                real_name=data["real_name"],
                department=data["department"],
                email=data["email"],
            ),
        )
        if member is not None:
            messages.success(request, _("Account %(username)s created.") % {"username": member.username})
            return redirect("accounts:leading_group_list")
    return render(request, "accounts/leading_group_form.html", {"form": form})


@role_required(User.Role.CITY_ADMIN)
def leading_group_update(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_leading_member_for(request.user, pk)
    form = LeadingGroupUpdateForm(request.POST or None, instance=member)
    if form.is_valid():
        data = form.cleaned_data
        services.leading_member_update(
            member=member, real_name=data["real_name"], department=data["department"], email=data["email"]
        )
        messages.success(request, _("Account %(username)s updated.") % {"username": member.username})
        return redirect("accounts:leading_group_list")
    return render(request, "accounts/leading_group_form.html", {"form": form, "member": member})


@role_required(User.Role.CITY_ADMIN)
@require_POST
def leading_group_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_leading_member_for(request.user, pk)
    return _set_active(request, member, active=False, back_to="accounts:leading_group_list")


@role_required(User.Role.CITY_ADMIN)
@require_POST
def leading_group_activate(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_leading_member_for(request.user, pk)
    return _set_active(request, member, active=True, back_to="accounts:leading_group_list")


def organisation_registration(
    request: HttpRequest, *, org_form_class, register, template: str
) -> HttpResponse:
    """Register an account together with the organisation it works for (institution or employer).

    `register(account=cleaned_data, organisation=form) -> User` is the owning app's service.
    """
    back_to = next_url(request)
    if request.user.is_authenticated:
        return redirect(back_to or "accounts:workbench")
    account_form = AccountCreationForm(request.POST or None, prefix="account")
    org_form = org_form_class(request.POST or None, prefix="org")
    if request.method == "POST" and all([account_form.is_valid(), org_form.is_valid()]):
        user = save_or_form_errors(
            [account_form, org_form],
            lambda: register(account=account_form.cleaned_data, organisation=org_form),
        )
        if user is not None:
            login(request, user, backend="laborbrand.accounts.backends.UsernameOrPhoneBackend")
            messages.success(request, _("Your account has been created. Welcome!"))
            return redirect(back_to or "accounts:workbench")
    return render(request, template, {"account_form": account_form, "org_form": org_form, "next": back_to})
