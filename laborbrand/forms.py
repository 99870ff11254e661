from __future__ import annotations

from django import forms


class FilterForm(forms.Form):
    """A GET filter form. `lookups` maps each field to the ORM lookup it filters on; a field with a bad
    value is dropped on its own while the valid ones still apply."""

    lookups: dict[str, str] = {}

    def filter(self, queryset):
        if not self.is_bound:
            return queryset
        self.is_valid()
        for field, lookup in self.lookups.items():
            value = self.cleaned_data.get(field)
            if value not in (None, ""):
                queryset = queryset.filter(**{lookup: value})
        return queryset
