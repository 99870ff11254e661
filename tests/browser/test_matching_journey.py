"""From a match to an application, in a real browser, on a desktop and on a phone-width screen: a real match
run (in-process) recommends a posting to two workers; one sees it explained under "recommended for you" and
applies from it; the employer sees that applicant by name and the other candidate masked, and invites them.

Selectors avoid translated text: data attributes, URLs and form actions, and the users' own data.
"""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page, expect

from jobs.matching.runs import match_run
from jobs.models import Application, MatchInvitation, Recommendation
from tests import factories
from tests.browser.helpers import form_with_action, log_in, submit_form


def test_worker_applies_from_a_recommendation_and_employer_invites_a_masked_candidate(
    page: Page, site: str, viewport: str, console_errors: list[str]
):
    staff = factories.EmployerStaffFactory(username=f"employer_a_{viewport}")
    employer = factories.VerifiedEmployerFactory(name=f"六安精工机械有限公司（{viewport}）", staff=[staff])
    posting = factories.JobPostingFactory(employer=employer, title=f"数控车工（{viewport}）")
    worker, other = (
        factories.WorkerProfileFactory(
            user=factories.WorkerFactory(username=f"{name}_{viewport}", real_name=f"{real}{viewport}")
        ).user
        for name, real in (("worker_a", "张伟"), ("worker_b", "李娜"))
    )
    match_run()
    other_rec = Recommendation.objects.get(worker=other, posting=posting, posting_rank__gt=0)

    # The worker sees the posting recommended with its explanation, opens it and applies from it.
    recommended = reverse("jobs:recommended")
    log_in(page, site, worker.username, recommended)
    card = page.locator("main [data-recommendation]").first
    expect(card).to_contain_text(posting.title)
    expect(card.locator("[data-main-reasons] li").first).to_be_visible()
    # The full explanation is folded away until the worker asks for it.
    points = card.locator("[data-match-points=matched] li").first
    expect(points).to_be_hidden()
    card.locator("[data-explanation] > summary").click()
    expect(points).to_be_visible()
    detail = reverse("jobs:posting_detail", args=[posting.pk]) + "?from=recommendation"
    with page.expect_navigation():
        card.locator(f"a[href='{detail}']").first.click()
    apply = reverse("jobs:apply", args=[posting.pk]) + "?from=recommendation"
    with page.expect_navigation():
        page.locator(f"main a[href='{apply}']").click()
    form = page.locator("main form[method=post]")
    form.locator("input[name=consent]").check()
    submit_form(page, form)
    expect(page).to_have_url(site + reverse("jobs:my_applications"))
    assert Application.objects.get(worker=worker, posting=posting).recommendation is True

    # The employer sees the applicant by name, the other candidate masked, and invites them.
    candidates = reverse("jobs:candidate_list", args=[posting.pk])
    log_in(page, site, staff.username, candidates)
    main = page.locator("main")
    expect(main).to_contain_text(worker.real_name)
    expect(main.locator("[data-candidate]")).to_have_count(2)
    for personal in (other.real_name, other.phone, other.username):
        expect(main).not_to_contain_text(personal)
    submit_form(page, form_with_action(page, "jobs:candidate_invite", other_rec.pk))
    expect(page).to_have_url(site + candidates)
    expect(main.locator(f"[data-candidate='{other_rec.pk}'] [data-invited]")).to_be_visible()
    assert MatchInvitation.objects.filter(posting=posting, worker=other, invited_by=staff).exists()
    assert other.notifications.filter(title__contains=posting.title).count() == 1
    assert console_errors == []
