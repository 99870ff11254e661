"""The demo's postings: made from the occupation table for each verified employer, published, and given
their final status and real dates once their applications are in; one is taken down by the city admin."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from brands.models import Brand
from demo.common import at, dated
from demo.jobs.cooperation import EARLIER_FAIR_DAYS
from demo.jobs.employers import HOME
from demo.jobs.occupations import HEADCOUNTS, JOBS, MIN_LEVEL_RANKS, PARTNER_NOTES, PAY_FACTOR, PAY_VARIATION
from demo.jobs.stories import SCENARIO_AGES
from jobs import services
from jobs.models import Employer, JobPosting
from laborbrand.accounts.models import User
from laborbrand.reference.models import County, Occupation, Province, SkillLevel

PStatus = JobPosting.Status

# The one posting the city admin takes down, and why.
TAKEN_DOWN = {
    "employer": "emp_13",
    "occupation": "电子设备装接工",
    "title": "电子厂普工（日结，轻松月入过万）",
    "description": "无需经验，无需证书，日结工资，轻松月入过万。名额有限，先到先得，报名即可上岗。",
    "pay": (6000, 7500),
    "published": 12,
    "taken_down": 10,
    "reason": "岗位描述承诺“轻松月入过万”，与填写的月薪6,000–7,500元不符，涉嫌夸大宣传，予以下架。",
}


@dataclass
class Planned:
    """A posting this run created, with the state and the times it gets in the end."""

    posting: JobPosting
    key: str
    status: str
    published_at: datetime.datetime
    open_until: datetime.date
    applied_from: datetime.datetime  # the window applicants apply and are moved in
    applied_until: datetime.datetime
    at_fair: bool = False
    applicants: list = field(default_factory=list)


def _round_pay(value: float) -> int:
    return max(1000, round(value / 100) * 100)


def _benefits_sentence(housing: bool, meals: bool, insurance: bool) -> str:
    items = [
        text
        for flag, text in ((housing, "免费提供住宿"), (meals, "提供工作餐"), (insurance, "入职缴纳五险"))
        if flag
    ]
    return f"公司{'，'.join(items)}。" if items else "工资按月足额发放，法定节假日按规定安排休息。"


class PostingMaker:
    """Builds the demo postings' fields from the occupation table, varied by a running number."""

    def __init__(self):
        self.k = 0
        self.occupations = {o.name: o for o in Occupation.objects.filter(name__in=JOBS)}
        self.levels = {level.rank: level for level in SkillLevel.objects.all()}
        self.provinces = {p.code: p for p in Province.objects.all()}
        self.counties = {c.code: c for c in County.objects.select_related("city")}
        self.brands = list(Brand.objects.public().prefetch_related("occupations").order_by("pk"))

    def brand_for(self, occupation: Occupation, county: County | None) -> Brand | None:
        candidates = [b for b in self.brands if occupation in b.occupations.all()]
        local = [b for b in candidates if county is not None and b.county_id == county.pk]
        candidates = local or candidates
        return candidates[self.k % len(candidates)] if candidates else None

    def fields(self, spec: dict, occupation_name: str, nth: int, j: int) -> dict:
        k = self.k
        self.k += 1
        job = JOBS[occupation_name]
        occupation = self.occupations[occupation_name]
        province_code = spec["fields"]["province"]
        local = province_code == HOME
        county = self.counties[spec["counties"][j % len(spec["counties"])]] if local else None
        factor = PAY_FACTOR[province_code] * PAY_VARIATION[k % len(PAY_VARIATION)]
        low, high = job["pay"]
        salary_min = _round_pay(low * factor)
        salary_max = max(salary_min, _round_pay(high * factor)) + (k % 3) * 500
        rank = MIN_LEVEL_RANKS[(k + nth) % len(MIN_LEVEL_RANKS)]
        level = self.levels[rank] if rank else None
        if local:
            housing, meals, insurance = j % 3 == 0, j % 2 == 0, j % 4 != 3
        else:
            housing, meals, insurance = j % 4 != 3, j % 3 != 2, j % 5 != 4
        title = job["titles"][nth % len(job["titles"])]
        if nth >= len(job["titles"]):
            place = county.name if local else spec["fields"]["city_name"].removesuffix("市")
            title = f"{place}{title}" if "（" in title else f"{title}（{place}）"
        sentences = [job["duties"][(nth + k) % len(job["duties"])], job["needs"][k % len(job["needs"])]]
        if level is not None:
            sentences.append(f"要求持有{occupation.name}{level}及以上职业技能等级证书。")
        elif not local and j % 2 == 0:
            sentences.append(PARTNER_NOTES[k % len(PARTNER_NOTES)])
        sentences.append(_benefits_sentence(housing, meals, insurance))
        return {
            "title": title,
            "occupation": occupation,
            "min_level": level,
            "brand": self.brand_for(occupation, county) if nth % 3 == 0 else None,
            "headcount": HEADCOUNTS[j % len(HEADCOUNTS)],
            "salary_min": salary_min,
            "salary_max": salary_max,
            "province": self.provinces[province_code],
            "city_name": spec["fields"]["city_name"],
            "county": county,
            "housing": housing,
            "meals": meals,
            "social_insurance": insurance,
            "description": "".join(sentences),
        }


def _round_robin(jobs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """(occupation, nth) in turn over the occupations, so an employer's first postings differ."""
    order = []
    for nth in range(max((count for _name, count in jobs), default=0)):
        order.extend((name, nth) for name, count in jobs if nth < count)
    return order


def _final_status(j: int, employer_index: int) -> str:
    if j % 12 == 5:
        return PStatus.CLOSED
    if j % 12 == 9:
        return PStatus.FILLED
    if j == 7 and employer_index % 2 == 0:
        return PStatus.EXPIRED
    return PStatus.OPEN


def _create(employer: Employer, staff: User, fields: dict, open_until: datetime.date, publish: bool):
    posting = services.posting_create(employer=employer, actor=staff, open_until=open_until, **fields)
    if publish:
        posting = services.posting_publish(posting=posting, actor=staff)
    return posting


def employer_postings(spec, employer_index, employer, staff, maker, fairs) -> list[Planned]:
    now = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localdate()
    soon = today + timedelta(days=60)  # open-until while publishing and applying; the real one is set after
    for i, (occupation_name, title) in enumerate(spec.get("drafts", [])):
        fields = maker.fields(spec, occupation_name, 0, i) | {"title": title, "brand": None}
        posting = _create(employer, staff, fields, soon, publish=False)
        JobPosting.objects.filter(pk=posting.pk).update(created=now - timedelta(days=1 + i, hours=4))
    if not employer.is_verified:
        return []
    planned = []
    fair_day = fairs.get(spec["username"])
    for j, (occupation_name, nth) in enumerate(_round_robin(spec.get("jobs", []))):
        k = maker.k
        status = _final_status(j, employer_index)
        at_fair = fair_day is not None and j < 3
        if at_fair:
            published = at(fair_day - timedelta(days=4 + j), hour=9 + j)
        elif status == PStatus.EXPIRED:
            published = now - timedelta(days=46 + k % 14, hours=k % 9)
        else:
            published = now - timedelta(days=1 + (k * 7) % 59, hours=(k * 5) % 10, minutes=(k * 13) % 60)
        key = f"{spec['username']}:{occupation_name}:{nth}"
        if key in SCENARIO_AGES:  # published before its story's first application
            published = min(published, now - timedelta(days=SCENARIO_AGES[key] + 2 + k % 5, hours=k % 7))
        if status == PStatus.EXPIRED:
            open_until = today - timedelta(days=1 + k % 9)
            until = min(at(open_until, hour=18), now - timedelta(hours=1))
        else:
            open_until = max(
                published.date() + timedelta(days=30 + (k * 11) % 90), today + timedelta(days=3 + k % 5)
            )
            until = now - timedelta(hours=1)
        fields = maker.fields(spec, occupation_name, nth, j)
        posting = _create(employer, staff, fields, max(open_until, today), publish=True)
        start = at(fair_day, hour=9, minute=30) if at_fair else published + timedelta(hours=2)
        planned.append(Planned(posting, key, status, published, open_until, start, until, at_fair=at_fair))
    planned += _earlier_fair_postings(spec, employer, staff, maker, soon)
    if spec["username"] == TAKEN_DOWN["employer"]:
        _taken_down_posting(spec, employer, staff, maker, soon)
    return planned


# Last year's fair postings end up filled, closed or expired (left open past their date).
EARLIER_STATUSES = [
    PStatus.FILLED,
    PStatus.CLOSED,
    PStatus.OPEN,
    PStatus.FILLED,
    PStatus.CLOSED,
    PStatus.OPEN,
]


def _earlier_fair_postings(spec, employer, staff, maker, soon) -> list[Planned]:
    if not spec.get("earlier_jobs"):
        return []
    fair_day = timezone.localdate() - timedelta(days=EARLIER_FAIR_DAYS)
    planned = []
    for j, (occupation_name, nth) in enumerate(_round_robin(spec["earlier_jobs"])):
        fields = maker.fields(spec, occupation_name, nth, j + 1)
        posting = _create(employer, staff, fields, soon, publish=True)
        published = at(fair_day - timedelta(days=10 + j), hour=10)
        open_until = fair_day + timedelta(days=45)
        planned.append(
            Planned(
                posting,
                f"{spec['username']}:{occupation_name}:earlier{nth}",
                EARLIER_STATUSES[j % len(EARLIER_STATUSES)],
                published,
                open_until,
                at(fair_day, hour=9, minute=30),
                at(open_until, hour=18),
                at_fair=True,
            )
        )
    return planned


def _taken_down_posting(spec, employer, staff, maker, soon) -> None:
    now = timezone.now().replace(second=0, microsecond=0)
    fields = maker.fields(spec, TAKEN_DOWN["occupation"], 0, 3)
    low, high = TAKEN_DOWN["pay"]
    fields |= {
        "title": TAKEN_DOWN["title"],
        "description": TAKEN_DOWN["description"],
        "salary_min": low,
        "salary_max": high,
        "min_level": None,
        "brand": None,
    }
    posting = _create(employer, staff, fields, soon, publish=True)
    published = now - timedelta(days=TAKEN_DOWN["published"], hours=3)
    admin = User.objects.get(username="city_admin")
    when = now - timedelta(days=TAKEN_DOWN["taken_down"], hours=6)
    dated(when, services.posting_take_down, posting=posting, actor=admin, reason=TAKEN_DOWN["reason"])
    JobPosting.objects.filter(pk=posting.pk).update(
        published_at=published, created=published - timedelta(hours=20)
    )


def finish_postings(planned: list[Planned], staff: dict[int, User]) -> None:
    """Close or fill the postings meant to end so, then give every posting its real dates; open ones past
    their date are recorded expired as the nightly task would."""
    for plan in planned:
        if plan.status in (PStatus.CLOSED, PStatus.FILLED):
            plan.posting.refresh_from_db(fields=["status"])
            if plan.posting.status == PStatus.OPEN:
                services.posting_set_status(
                    posting=plan.posting, actor=staff[plan.posting.employer_id], to=plan.status
                )
        JobPosting.objects.filter(pk=plan.posting.pk).update(
            published_at=plan.published_at,
            created=plan.published_at - timedelta(days=1 + plan.posting.pk % 3, hours=3),
            open_until=plan.open_until,
        )
    services.postings_expire()
