"""Demo labour brands for the seven counties of 六安市, spread across the lifecycle (the brands themselves
are in `demo.brands.catalogue`).

Every brand is created and moved through `brands.services`, acting as the county's demo official (金寨县,
霍山县) or the city admin (the other counties, which have no demo official), so that history, lifecycle
events and notifications are the real ones. A brand that exists already is left exactly as it is, with its
standards and news: rerunning changes nothing.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from brands import services
from brands.models import Brand, BrandNews
from demo.brands.catalogue import BRANDS
from laborbrand.accounts.models import User
from laborbrand.reference.models import County, Occupation, OccupationCategory, Township

Status = Brand.Status

# Counties with a demo official act through that official; the others through the city admin.
OFFICIALS = {"341524": "official_a", "341525": "official_b"}

# The moves that lead from a new draft to each status (every one after "submitted" is the city's).
PATHS = {
    Status.DRAFT: [],
    Status.SUBMITTED: [Status.SUBMITTED],
    Status.RETURNED: [Status.SUBMITTED, Status.RETURNED],
    Status.REJECTED: [Status.SUBMITTED, Status.REJECTED],
    Status.CULTIVATING: [Status.SUBMITTED, Status.CULTIVATING],
    Status.RECOGNISED: [Status.SUBMITTED, Status.CULTIVATING, Status.RECOGNISED],
    Status.RETIRED: [Status.SUBMITTED, Status.CULTIVATING, Status.RETIRED],
}


def _logo(colour: str, shape: str) -> SimpleUploadedFile:
    """A simple 256×256 PNG mark: a coloured tile with a white shape, no text."""
    size = 256
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=40, fill=colour)
    white = "#ffffff"
    if shape == "heart":
        draw.ellipse((58, 70, 134, 146), fill=white)
        draw.ellipse((122, 70, 198, 146), fill=white)
        draw.polygon([(62, 124), (194, 124), (128, 200)], fill=white)
    elif shape == "leaf":
        draw.ellipse((70, 50, 186, 206), fill=white)
        draw.line((128, 60, 128, 220), fill=colour, width=8)
    elif shape == "gear":
        for x0, y0, x1, y1 in [(112, 40, 144, 216), (40, 112, 216, 144)]:
            draw.rectangle((x0, y0, x1, y1), fill=white)
        draw.ellipse((68, 68, 188, 188), fill=white)
        draw.ellipse((104, 104, 152, 152), fill=colour)
    elif shape == "grid":
        for row in range(3):
            for col in range(3):
                x, y = 52 + col * 56, 52 + row * 56
                draw.rectangle((x, y, x + 40, y + 40), fill=white)
    elif shape == "weave":
        for i in range(4):
            draw.rectangle((48, 56 + i * 40, 208, 72 + i * 40), fill=white)
            draw.rectangle((56 + i * 44, 48, 68 + i * 44, 208), fill=white if i % 2 else colour)
    elif shape == "stripes":
        for i in range(5):
            draw.rounded_rectangle((48, 48 + i * 34, 208, 66 + i * 34), radius=8, fill=white)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def _occupations(names: list[str]) -> list[Occupation]:
    occupations = list(Occupation.objects.filter(name__in=names))
    if len(occupations) != len(names):
        missing = set(names) - {o.name for o in occupations}
        raise LookupError(f"Demo brand occupations missing from the reference data: {sorted(missing)}")
    return occupations


def _decide(brand: Brand, to: str, *, official: User, admin: User, reason: str) -> Brand:
    if to == Status.SUBMITTED:
        return services.brand_submit(brand=brand, actor=official)
    decide = {
        Status.CULTIVATING: services.brand_accept,
        Status.RECOGNISED: services.brand_recognise,
        Status.RETURNED: services.brand_return,
        Status.REJECTED: services.brand_reject,
        Status.RETIRED: services.brand_retire,
    }[to]
    return decide(brand=brand, actor=admin, reason=reason)


def _publish_news(brand: Brand, author: User, items, now) -> None:
    for days_ago, title, summary, body in items:
        news = services.news_create(brand=brand, author=author, title=title, summary=summary, body=body)
        # Spread the demo news over the past weeks, as if posted one by one.
        news.published_at = now - timedelta(days=days_ago)
        services.news_publish(news=news)
        BrandNews.objects.filter(pk=news.pk).update(created=news.published_at)


def seed(ctx) -> str:
    admin = User.objects.get(username="city_admin")
    officials = {code: User.objects.get(username=username) for code, username in OFFICIALS.items()}
    counties = {c.code: c for c in County.objects.all()}
    now = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    for spec in BRANDS:
        county = counties[spec["county"]]
        if Brand.objects.filter(county=county, name=spec["name"]).exists():
            continue
        official = officials.get(county.code, admin)
        brand = services.brand_create(
            actor=official,
            county=county,
            name=spec["name"],
            township=Township.objects.get(county=county, name=spec["township"]) if spec["township"] else None,
            category=OccupationCategory.objects.get(slug=spec["category"]),
            occupations=_occupations(spec["occupations"]),
            slogan=spec["slogan"],
            description=spec["description"],
            logo=_logo(*spec["logo"]) if spec["logo"] else None,
        )
        for dimension, requirement, measure, target in spec["standards"]:
            services.standard_add(
                brand=brand, dimension=dimension, requirement=requirement, measure=measure, target=target
            )
        for to in PATHS[spec["status"]]:
            brand = _decide(brand, to, official=official, admin=admin, reason=spec["reasons"].get(to, ""))
        _publish_news(brand, official, spec["news"], now)
        for title, summary, body in spec.get("drafts", []):
            services.news_create(brand=brand, author=official, title=title, summary=summary, body=body)
    return f"{Brand.objects.count()} brands, {BrandNews.objects.published().count()} published news items"
