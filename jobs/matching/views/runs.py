"""City admins' matching pages: the runs (history, live progress, "run now") and the match weights."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jobs.figures import matching_figures
from jobs.matching import services
from jobs.matching.forms import MatchWeightsForm
from jobs.matching.models import MatchRun, MatchWeights
from jobs.matching.permissions import get_run_for, visible_runs, weight_changes
from jobs.matching.runs import MatchRunBusy, latest_run, running_run
from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.metrics import Period, year_to_date_label
from laborbrand.pages import paginate, refusals_shown

WEIGHT_CHANGES_PER_PAGE = 10


# The runs and the weights are the city bureau's.
overseers_only = role_required(User.Role.CITY_ADMIN)


@overseers_only
def run_list(request: HttpRequest) -> HttpResponse:
    period = Period.year_to_date()
    return render(
        request,
        "jobs/match_runs/run_list.html",
        {
            "page_obj": paginate(request, visible_runs(request.user)),
            "shown": latest_run(),
            "running": running_run(),
            "success": {**matching_figures(period), "period_label": year_to_date_label(period)},
            "run_at": settings.MATCH_RUN_AT,
        },
    )


@overseers_only
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    with refusals_shown(request):
        try:
            run = services.match_run_now(actor=request.user)
        except MatchRunBusy as busy:
            # Not refused: another run is doing the work, so the admin is warned, not told of an error.
            messages.warning(request, str(busy))
        else:
            _say_how_it_went(request, run)
    return redirect("jobs:match_runs")


def _say_how_it_went(request: HttpRequest, run: MatchRun) -> None:
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


@overseers_only
@never_cache
def run_progress(request: HttpRequest, pk: int) -> JsonResponse:
    run = get_run_for(request.user, pk)
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
        with refusals_shown(request, form):
            services.match_weights_update(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Weights saved. The next matching run uses them."))
            return redirect("jobs:match_weights")
    return render(
        request,
        "jobs/match_runs/weights.html",
        {"form": form, "page_obj": paginate(request, weight_changes(request.user), WEIGHT_CHANGES_PER_PAGE)},
        status=400 if form.is_bound else 200,
    )
