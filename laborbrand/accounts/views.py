from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from laborbrand.accounts import services, workbench
from laborbrand.accounts.forms import (
    AccountCreationForm,
    LeadingGroupCreateForm,
    LeadingGroupUpdateForm,
    LoginForm,
    NotificationSettingsForm,
    OfficialCreateForm,
    OfficialUpdateForm,
    WorkerRegistrationForm,
)
from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import (
    get_leading_member_for,
    get_official_for,
    role_required,
    visible_leading_group,
    visible_officials,
)
from laborbrand.pages import next_url, paginate
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


@sensitive_post_parameters("password1", "password2", "id_number", "phone")
def register_worker(request: HttpRequest) -> HttpResponse:
    back_to = next_url(request)  # the job or programme page the worker came from
    if request.user.is_authenticated:
        return redirect(back_to or "accounts:workbench")
    form = WorkerRegistrationForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        user = save_or_form_errors(
            form,
            lambda: services.worker_register(
                username=data["username"],
                password=data["password1"],
                real_name=data["real_name"],
                id_number=data["id_number"],
                phone=data["phone"],
                email=data["email"],
            ),
        )
        if user is not None:
            login(request, user, backend="laborbrand.accounts.backends.UsernameOrPhoneBackend")
            messages.success(request, _("Your account has been created. Welcome!"))
            return redirect(back_to or "accounts:workbench")
    return render(request, "accounts/register_worker.html", {"form": form, "next": back_to})


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
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
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
    try:
        phone_url = reverse("accounts:phone_change")  # the page to add or verify a number, where it exists
    except NoReverseMatch:
        phone_url = ""
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
    officials = visible_officials(request.user).order_by("county__code", "username")
    page = paginate(request, officials)
    return render(request, "accounts/official_list.html", {"page_obj": page})


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
    members = visible_leading_group(request.user).order_by("department", "username")
    page = paginate(request, members)
    return render(request, "accounts/leading_group_list.html", {"page_obj": page})


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
