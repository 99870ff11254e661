"""The workbench: one page per signed-in user, composed of panels that each app contributes.

An app lists what needs a role's attention by registering a panel in its own `panels.py`; accounts
discovers those modules, so it never imports the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


_registry: list[tuple[int, frozenset[str], Callable]] = []


def panel(*roles: str, order: int = 50) -> Callable:
    """Register `func(user) -> Panel | None` for the given roles; lower `order` shows first."""

    def decorator(func: Callable) -> Callable:
        _registry.append((order, frozenset(roles), func))
        return func

    return decorator


def panels_for(user) -> list[Panel]:
    found = []
    for _order, roles, func in sorted(_registry, key=lambda entry: entry[0]):
        if user.role in roles:
            result = func(user)
            if result is not None:
                found.append(result)
    return found


def autodiscover() -> None:
    autodiscover_modules("panels")
