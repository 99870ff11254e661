"""A brand's practitioner register in a real browser, on a desktop and on a phone-width screen: the county
official adds a person, finds them by keyword, edits and removes an entry, and reads the brand's members;
every page passes the accessibility and HTML checks (the `page` fixture).

Selectors avoid translated text: input names, URLs and the user's own data.
"""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from brands.models import Practitioner
from laborbrand.reference.models import Occupation
from tests import factories
from tests.browser.helpers import log_in, submit_form


def test_an_official_keeps_the_register_and_reads_the_members(
    page: Page, site: str, viewport: str, console_errors: list[str]
):
    official = factories.OfficialFactory(
        username=f"official_{viewport}", county=factories.make_county("341524")
    )
    brand = factories.RecognisedBrandFactory(
        name=f"金寨红嫂家政{viewport}",
        county=official.county,
        created_by=official,
        category=factories.make_category("domestic"),
        occupations=list(Occupation.objects.filter(name__in=["家政服务员", "育婴员"])),
    )
    trainee = factories.WorkerFactory(real_name="何素琴")
    factories.PractitionerFactory(
        brand=brand, worker=trainee, created_by=official, contact_phone="13912345678"
    )
    register = reverse("brands:practitioner_list", args=[brand.pk])

    # From the brand's page to its register.
    log_in(page, site, official.username, reverse("brands:manage_detail", args=[brand.pk]))
    page.locator(f"main a[href='{register}']").first.click()
    expect(page).to_have_url(site + register)
    expect(page.locator("main")).to_contain_text("139****5678")

    # Add a person the portal does not know.
    page.locator(f"main a[href='{reverse('brands:practitioner_create', args=[brand.pk])}']").first.click()
    form = page.locator("main form[method=post]")
    for name in ("real_name", "id_number", "contact_phone", "occupation", "employer", "township", "since"):
        expect(form.locator(f"[name={name}]")).to_have_accessible_name(re.compile(r"\S"))
    form.locator("input[name=real_name]").fill("储秀云")
    form.locator("input[name=id_number]").fill(factories.make_id_number(901, birth="19780412"))
    form.locator("select[name=occupation]").select_option(label="育婴员")
    form.locator("input[name=self_employed]").check()
    form.locator("input[name=since]").fill("2012-03-01")
    submit_form(page, form)
    expect(page).to_have_url(site + register)
    entry = Practitioner.objects.get(worker__real_name="储秀云")
    assert entry.worker.registered is False and entry.self_employed

    # Find her by keyword; edit her entry.
    page.locator("main input[name=q]").fill("储")
    submit_form(page, page.locator("main form[role=search]"))
    expect(page.locator("main tbody tr")).to_have_count(1)
    page.locator(f"main a[href='{reverse('brands:practitioner_update', args=[brand.pk, entry.pk])}']").click()
    form = page.locator("main form[method=post]")
    form.locator("input[name=self_employed]").uncheck()
    form.locator("input[name=employer]").fill("金寨县红嫂家政服务有限公司")
    submit_form(page, form)
    entry.refresh_from_db()
    assert (entry.self_employed, entry.employer) == (False, "金寨县红嫂家政服务有限公司")

    # Remove the other entry, with a reason; the removed tab shows it.
    other = brand.practitioners.get(worker=trainee)
    page.goto(site + reverse("brands:practitioner_remove", args=[brand.pk, other.pk]))
    form = page.locator("main form[method=post]")
    expect(form.locator("[name=reason]")).to_have_accessible_name(re.compile(r"\S"))
    form.locator("[name=reason]").fill("外出务工")
    submit_form(page, form)
    other.refresh_from_db()
    assert not other.is_active
    page.goto(site + register + "?show=removed")
    expect(page.locator("main tbody")).to_contain_text("何素琴")

    # The brand's members: she is one through the register.
    page.goto(site + reverse("training:brand_members", args=[brand.pk]))
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody")).to_contain_text("储秀云")
    assert console_errors == []
