"""Who may reach account pages. Every access decision about users lives here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from laborbrand.accounts.models import User

Role = User.Role


def role_required(*roles: str) -> Callable:
    """Anonymous users are sent to the login page; signed-in users of another role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def visible_officials(user: User) -> QuerySet[User]:
    if user.is_authenticated and user.role == Role.CITY_ADMIN:
        return User.objects.officials().select_related("county")
    return User.objects.none()


def get_official_for(user: User, pk: int) -> User:
    return get_object_or_404(visible_officials(user), pk=pk)


def visible_leading_group(user: User) -> QuerySet[User]:
    if user.is_authenticated and user.role == Role.CITY_ADMIN:
        return User.objects.with_role(Role.LEADING_GROUP)
    return User.objects.none()


def get_leading_member_for(user: User, pk: int) -> User:
    return get_object_or_404(visible_leading_group(user), pk=pk)
