"""Every access decision about the jobs app's records. Employer staff see their own company's records,
institution staff their institution's, workers their own; another party's record answers 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from jobs.models import Apprenticeship, Employer
from laborbrand.accounts.models import User

Role = User.Role


def own_employer(user: User) -> Employer | None:
    return user.employers.first() if user.role == Role.EMPLOYER else None


def visible_apprenticeships(user: User) -> QuerySet[Apprenticeship]:
    if not user.is_authenticated:
        return Apprenticeship.objects.none()
    if user.role == Role.CITY_ADMIN:
        return Apprenticeship.objects.all()
    if user.role == Role.EMPLOYER:
        return Apprenticeship.objects.filter(employer__staff=user)
    if user.role == Role.INSTITUTION_STAFF:
        return Apprenticeship.objects.filter(institution__staff=user)
    if user.role == Role.WORKER:
        return Apprenticeship.objects.filter(worker=user)
    return Apprenticeship.objects.none()


def get_apprenticeship_for_party(user: User, pk: int) -> Apprenticeship:
    """An apprenticeship its employer or institution manages; anyone else gets 404."""
    if user.role not in (Role.EMPLOYER, Role.INSTITUTION_STAFF):
        return get_object_or_404(Apprenticeship.objects.none(), pk=pk)
    return get_object_or_404(visible_apprenticeships(user), pk=pk)
