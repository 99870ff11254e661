"""Saved searches (workers) and the unsubscribe link of their alerts (anyone holding the link)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jobs import alerts
from jobs.forms.alerts import SavedSearchCreateForm, SavedSearchEditForm
from jobs.models import SavedSearch
from jobs.models.alerts import MAX_SAVED_SEARCHES
from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.pages import confirmation_page

Role = User.Role


def _own(request: HttpRequest, pk: int) -> SavedSearch:
    """One of the signed-in worker's saved searches; anyone else's is 404, as a missing one."""
    return get_object_or_404(SavedSearch, pk=pk, worker=request.user)


@role_required(Role.WORKER)
def saved_search_create(request: HttpRequest) -> HttpResponse:
    """The board's "Save this search": opened with the board's filters as its query string, it offers a name
    made from them and how often to hear; the POST saves."""
    if request.method == "POST":
        form = SavedSearchCreateForm(request.POST, worker=request.user)
        if form.is_valid():
            saved = alerts.saved_search_create(
                worker=request.user,
                name=form.cleaned_data["name"],
                query=form.cleaned_data["query"],
                frequency=form.cleaned_data["frequency"],
            )
            messages.success(
                request,
                _("Search “%(name)s” saved. You will be told about new jobs that match it.")
                % {"name": saved.name},
            )
            return redirect("jobs:saved_search_list")
        query = request.POST.get("query", "")
        search = alerts.search_form(query)
    else:
        query = request.GET.urlencode()
        search = alerts.search_form(query)
        name = alerts.suggested_name(search) if search.is_valid() else ""
        form = SavedSearchCreateForm(initial={"query": query, "name": name}, worker=request.user)
    return render(
        request,
        "jobs/saved_search_create.html",
        {
            "form": form,
            "readable": search.is_valid(),
            "board_url": reverse("jobs:search") + (f"?{query}" if query else ""),
        },
    )


@role_required(Role.WORKER)
def saved_search_list(request: HttpRequest) -> HttpResponse:
    searches = list(request.user.saved_searches.all())
    for search in searches:
        search.board_url = alerts.board_url(search)
    return render(
        request,
        "jobs/saved_search_list.html",
        {"searches": searches, "limit": MAX_SAVED_SEARCHES},
    )


@role_required(Role.WORKER)
def saved_search_edit(request: HttpRequest, pk: int) -> HttpResponse:
    saved = _own(request, pk)
    form = SavedSearchEditForm(request.POST or None, instance=saved)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved search changed."))
        return redirect("jobs:saved_search_list")
    return render(request, "jobs/saved_search_edit.html", {"form": form, "saved": saved})


@role_required(Role.WORKER)
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = _own(request, pk)
    if request.method == "POST":
        saved.delete()
        messages.success(request, _("Saved search deleted."))
        return redirect("jobs:saved_search_list")
    return confirmation_page(
        request,
        "jobs/saved_search_delete.html",
        possible=True,
        action=reverse("jobs:saved_search_delete", args=[saved.pk]),
        cancel_url=reverse("jobs:saved_search_list"),
        saved=saved,
    )


@role_required(Role.WORKER)
def saved_search_open(request: HttpRequest, pk: int) -> HttpResponse:
    """The board with a saved search's filters (the alerts' link: the query string can be longer than a
    notification's link may be)."""
    return redirect(alerts.board_url(_own(request, pk)))


def saved_search_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The alerts' one-click unsubscribe: no sign-in, the signed token names the search. Opening the link
    (GET) shows one button and changes nothing, because mail scanners and link previews open links; the
    button POSTs. A token that does not verify is 404, as a search that is gone."""
    saved = alerts.saved_search_for_token(token)
    if saved is None:
        raise Http404
    done = False
    if request.method == "POST":
        alerts.saved_search_unsubscribe(saved_search=saved)
        done = True
    return render(request, "jobs/saved_search_unsubscribe.html", {"saved": saved, "done": done})
