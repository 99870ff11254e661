"""Saving a job-board search, and changing a saved one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jobs.alerts import normalise_query
from jobs.forms.board import PostingSearchForm
from jobs.models import SavedSearch
from jobs.models.alerts import MAX_SAVED_SEARCHES


class SavedSearchEditForm(forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["name", "frequency", "active"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the search a name."), code="required")
        return name


class SavedSearchCreateForm(SavedSearchEditForm):
    """The board's "Save this search": a name, how often, and the search itself (the board's query string,
    checked with the board's own form and kept normalised)."""

    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)

    class Meta(SavedSearchEditForm.Meta):
        fields = ["name", "frequency"]

    def __init__(self, *args, worker, **kwargs):
        super().__init__(*args, **kwargs)
        self.worker = worker

    def clean_query(self):
        from django.http import QueryDict

        search = PostingSearchForm(QueryDict(self.cleaned_data["query"]))
        if not search.is_valid():
            raise forms.ValidationError(
                _("This search has filters that cannot be read: correct them on the job board first."),
                code="invalid",
            )
        return normalise_query(search)

    def clean(self):
        data = super().clean()
        if self.worker.saved_searches.count() >= MAX_SAVED_SEARCHES:
            raise forms.ValidationError(
                _("You have %(limit)s saved searches, the most you can keep: delete one first.")
                % {"limit": MAX_SAVED_SEARCHES},
                code="too_many",
            )
        return data
