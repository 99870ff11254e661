"""A brand's way from a county's draft to the public showcase, in a real browser, on a desktop and on a
phone-width screen.

Selectors avoid translated text (the zh-hans catalogue changes independently): input names, URLs (links,
form actions, button formactions) and the user's own data.
"""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from brands.models import Brand, BrandStandard
from laborbrand.accounts.models import Notification
from tests import factories
from tests.browser.helpers import log_in, submit_form

BRAND_NAME = "金寨红嫂家政"
STANDARDS = [
    ("ethics", "诚实守信，尊重雇主隐私。", "", ""),
    ("skill", "持有家政服务员四级及以上证书。", "min_certificate_level", "2"),
    ("service", "上门服务统一着装、准时守约。", "", ""),
]


def test_official_registers_a_brand_the_city_accepts_and_the_public_sees_it(
    page: Page, site: str, viewport: str, console_errors: list[str]
):
    official_a = factories.OfficialFactory(
        username=f"official_a_{viewport}", county=factories.make_county("341524")
    )
    official_b = factories.OfficialFactory(
        username=f"official_b_{viewport}", county=factories.make_county("341525")
    )
    city_admin = factories.CityAdminFactory(username=f"city_admin_{viewport}")
    category = factories.make_category("domestic")
    occupations = factories.make_occupations(2, "domestic")

    # The county official registers the brand as a draft.
    log_in(page, site, official_a.username, reverse("brands:brand_create"))
    form = page.locator("main form[method=post]")
    for name in ("name", "category", "occupations", "description", "slogan"):
        expect(form.locator(f"[name={name}]")).to_have_accessible_name(re.compile(r"\S"))
    form.locator("input[name=name]").fill(BRAND_NAME)
    form.locator("select[name=category]").select_option(str(category.pk))
    form.locator("select[name=occupations]").select_option([str(o.pk) for o in occupations])
    form.locator("input[name=slogan]").fill("红嫂精神，贴心服务")
    form.locator("textarea[name=description]").fill("大别山区的家政服务品牌。\n培训—评价—认证一条龙。")
    submit_form(page, form)

    brand = Brand.objects.get(name=BRAND_NAME)
    detail = reverse("brands:manage_detail", args=[brand.pk])
    expect(page).to_have_url(site + detail)
    assert brand.county == official_a.county
    assert brand.status == Brand.Status.DRAFT
    assert set(brand.occupations.all()) == set(occupations)

    # One standard in each of the three dimensions, each added from the brand's page.
    for dimension, requirement, measure, target in STANDARDS:
        add_url = reverse("brands:standard_create", args=[brand.pk]) + f"?dimension={dimension}"
        with page.expect_navigation():
            page.locator(f"main a[href='{add_url}']").click()
        form = page.locator("main form[method=post]")
        expect(form.locator("select[name=dimension]")).to_have_value(dimension)
        form.locator("textarea[name=requirement]").fill(requirement)
        if measure:
            form.locator("select[name=measure]").select_option(measure)
            form.locator("input[name=target]").fill(target)
        submit_form(page, form)
        expect(page).to_have_url(site + detail)
        expect(page.locator("main")).to_contain_text(requirement)
    assert sorted(brand.standards.values_list("dimension", flat=True)) == sorted(
        BrandStandard.Dimension.values
    )

    # Submit to the city.
    submit = page.locator(f"main form[action='{reverse('brands:brand_submit', args=[brand.pk])}']")
    submit_form(page, submit)
    expect(page).to_have_url(site + detail)
    brand.refresh_from_db()
    assert brand.status == Brand.Status.SUBMITTED
    assert Notification.objects.filter(recipient=city_admin).count() == 1
    expect(page.locator(f"main a[href='{reverse('brands:brand_update', args=[brand.pk])}']")).to_have_count(0)

    # The city admin finds it in the review queue and accepts it as a cultivation target.
    log_in(page, site, city_admin.username, reverse("brands:review_queue"))
    review = reverse("brands:review_detail", args=[brand.pk])
    with page.expect_navigation():
        page.locator(f"main a[href='{review}']").click()
    expect(page).to_have_url(site + review)
    accept = page.locator(f"main button[formaction='{reverse('brands:brand_accept', args=[brand.pk])}']")
    with page.expect_navigation():
        accept.click()
    expect(page).to_have_url(site + review)
    brand.refresh_from_db()
    assert brand.status == Brand.Status.CULTIVATING
    assert brand.events.first().actor == city_admin
    assert Notification.objects.filter(recipient=official_a).count() == 1

    # Anyone sees it on the public showcase and opens its page.
    page.context.clear_cookies()
    page.goto(site + reverse("brands:showcase"))
    public = reverse("brands:brand_detail", args=[brand.slug])
    link = page.locator(f"main a[href='{public}']")
    expect(link).to_have_text(BRAND_NAME)
    with page.expect_navigation():
        link.click()
    expect(page.locator("main h1")).to_have_text(BRAND_NAME)
    for _, requirement, _, _ in STANDARDS:
        expect(page.locator("main")).to_contain_text(requirement)
    assert console_errors == []

    # An official of another county cannot even tell the brand's edit page exists.
    log_in(page, site, official_b.username, reverse("brands:manage_list"))
    expect(page.locator(f"main a[href='{detail}']")).to_have_count(0)
    response = page.goto(site + reverse("brands:brand_update", args=[brand.pk]))
    assert response is not None
    assert response.status == 404
    expect(page.locator("main h1")).to_have_text("页面不存在")
    expect(page.locator("main")).not_to_contain_text(BRAND_NAME)
