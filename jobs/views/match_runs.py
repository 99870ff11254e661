"""City admins' matching pages: the runs (history, live progress, "run now") and the match weights."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jobs import services
from jobs.figures import match_success
from jobs.forms.match_weights import MatchWeightsForm
from jobs.matchrun import MatchRunBusy, latest_run, running_run
from jobs.models import MatchRun, MatchWeights
from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.exceptions import InvalidTransition
from laborbrand.pages import paginate

WEIGHT_CHANGES_PER_PAGE = 10


# The runs and the weights are the city bureau's.
overseers_only = role_required(User.Role.CITY_ADMIN)


@overseers_only
def run_list(request: HttpRequest) -> HttpResponse:
    runs = MatchRun.objects.select_related("started_by").order_by("-started_at", "-pk")
    return render(
        request,
        "jobs/match_runs/run_list.html",
        {
            "page_obj": paginate(request, runs),
            "shown": latest_run(),
            "running": running_run(),
            "success": match_success(),
            "run_at": settings.MATCH_RUN_AT,
        },
    )


@overseers_only
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    try:
        run = services.match_run_launch(actor=request.user)
    except MatchRunBusy as busy:
        messages.warning(request, str(busy))
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        if run.status == MatchRun.Status.COMPLETED:
            messages.success(
                request,
                ngettext(
                    "Run #%(number)s completed: %(recommendations)s recommendation; users now see it.",
                    "Run #%(number)s completed: %(recommendations)s recommendations; users now see them.",
                    run.recommendations,
                )
                % {"number": run.pk, "recommendations": run.recommendations},
            )
        elif run.status == MatchRun.Status.FAILED:
            # The technical reason is in the run history, for the site's operators; not in the message.
            messages.error(
                request,
                _("Run #%(number)s failed; the previous recommendations stay in place.") % {"number": run.pk},
            )
        else:
            messages.success(
                request,
                _("Run #%(number)s started; it runs in the background and the page shows its progress.")
                % {"number": run.pk},
            )
    return redirect("jobs:match_runs")


@overseers_only
@never_cache
def run_progress(request: HttpRequest, pk: int) -> JsonResponse:
    run = get_object_or_404(MatchRun, pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "progress": run.progress,
            "chunks_done": run.chunks_done,
            "chunks_total": run.chunks_total,
        }
    )


@overseers_only
def weights_edit(request: HttpRequest) -> HttpResponse:
    form = MatchWeightsForm(request.POST or None, instance=MatchWeights.current())
    if form.is_valid():
        try:
            services.match_weights_update(actor=request.user, **form.cleaned_data)
        except InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Weights saved. The next matching run uses them."))
            return redirect("jobs:match_weights")
    changes = MatchWeights.history.select_related("updated_by").order_by("-history_date", "-history_id")
    return render(
        request,
        "jobs/match_runs/weights.html",
        {"form": form, "page_obj": paginate(request, changes, WEIGHT_CHANGES_PER_PAGE)},
        status=400 if form.is_bound else 200,
    )
