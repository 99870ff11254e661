"""A city admin oversees matching, in a real browser, on a desktop and on a phone-width screen: they change a
weight and see the change in the history; they watch a running run's progress bar follow the run (the page
polls, and reloads once the run has finished); then they press "run now" and see the run completed and shown
to users, with the changed weight (the embedded default: the run completes inside the request).

Selectors avoid translated text: input names, URLs and form actions, and data attributes carrying values.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from jobs.models import MatchRun, MatchWeights
from tests import factories
from tests.browser.helpers import form_with_action, log_in, submit_form
from tests.jobs.factories_matching import MatchRunFactory


def test_city_admin_changes_a_weight_watches_a_run_and_runs_matching_now(
    page: Page, site: str, viewport: str, console_errors: list[str]
):
    admin = factories.CityAdminFactory(username=f"city_admin_{viewport}")
    factories.WorkerProfileFactory()
    factories.JobPostingFactory()
    weights, runs = reverse("jobs:match_weights"), reverse("jobs:match_runs")

    # A weight changed: saved, and the newest line of the history shows it.
    log_in(page, site, admin.username, weights)
    form = page.locator("main form[method=post]")
    form.locator("input[name=level]").fill("35")
    submit_form(page, form)
    expect(page).to_have_url(site + weights)
    assert MatchWeights.current().level == 35
    expect(page.locator("main tr[data-weights-change]").first).to_contain_text("35")

    # A run dispatched to the workers (here: advanced by the test) is followed live, then the page reloads.
    running = MatchRunFactory(running=True, heartbeat=timezone.now(), chunks_total=4, chunks_done=1)
    page.goto(site + runs)
    progress = page.locator("main [data-match-progress-url] progress")
    expect(progress).to_have_attribute("value", "1")
    MatchRun.objects.filter(pk=running.pk).update(chunks_done=3, heartbeat=timezone.now())
    expect(progress).to_have_attribute("value", "3")
    expect(page.locator("main [data-chunks-done]")).to_have_text("3")
    expect(page.locator("main [data-progress]")).to_have_text("75")
    MatchRun.objects.filter(pk=running.pk).update(
        chunks_done=4, status=MatchRun.Status.COMPLETED, active=False, finished_at=timezone.now()
    )
    finished = page.locator(f"main tr[data-run='{running.pk}']")
    expect(finished).to_have_attribute("data-run-status", "completed")
    expect(page.locator("main progress")).to_have_count(0)

    # Run now: the run completes and is the one users see, with the changed weight.
    submit_form(page, form_with_action(page, "jobs:match_run_start"))
    expect(page).to_have_url(site + runs)
    run = MatchRun.objects.exclude(pk=running.pk).get()
    assert (run.status, run.started_by, run.weights["level"]) == (MatchRun.Status.COMPLETED, admin, 35)
    row = page.locator(f"main tr[data-run='{run.pk}']")
    expect(row).to_have_attribute("data-run-status", "completed")
    expect(row.locator("[data-shown-to-users]")).to_have_count(1)
    expect(page.locator("main [data-shown-to-users]")).to_have_count(1)
    assert console_errors == []
