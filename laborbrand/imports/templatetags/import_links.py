"""{% import_url key target %}: laborbrand.imports.links.start_url in a template."""

from __future__ import annotations

from django import template

from laborbrand.imports.links import start_url

register = template.Library()


@register.simple_tag
def import_url(key: str, target=None) -> str:
    return start_url(key, target)
