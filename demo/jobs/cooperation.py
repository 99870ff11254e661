"""Labour cooperation in the demo: four partner regions with their targets and two docking fairs (this
year's and last year's)."""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.utils import timezone

from jobs import services
from jobs.models import DockingFair, Employer, JobPosting, PartnerRegion
from laborbrand.accounts.models import User
from laborbrand.reference.models import Province

PARTNER_REGIONS = [
    {
        "name": "长三角·苏州",
        "province": "320000",
        "signed": 420,
        "target": 800,
        "agreement": (
            "苏州方提供电子信息、装备制造和家政服务岗位，六安方组织培训合格的劳动者有序输出；"
            "双方在苏州共建劳务工作站，做好权益维护和返乡就业跟踪服务。"
        ),
    },
    {
        "name": "长三角·宁波",
        "province": "330000",
        "signed": 385,
        "target": 600,
        "agreement": (
            "宁波方优先吸纳六安籍家政、养老护理和茶文化服务人员，六安方按岗位需求开展订单式培训，"
            "每年联合举办两次线上线下招聘活动。"
        ),
    },
    {
        "name": "长三角·上海",
        "province": "310000",
        "signed": 250,
        "target": 300,
        "agreement": "上海方养老服务机构为六安籍养老护理员提供岗位和在岗提升培训，双方互认职业技能等级证书。",
    },
    {
        "name": "珠三角·东莞",
        "province": "440000",
        "signed": 700,
        "target": 500,
        "agreement": (
            "东莞方电子制造企业每年向六安提供不少于一千个岗位，六安方组织舒城、金寨等地劳动者赴莞就业，"
            "东莞方负责上岗培训和住宿保障。"
        ),
    },
]

RECENT_FAIR_DAYS = 40  # this year's fair (city)
EARLIER_FAIR_DAYS = 355  # last year's fair (金寨县)
FAIRS = [
    {
        "title": "六安—苏州、无锡劳务协作专场对接会",
        "days": RECENT_FAIR_DAYS,
        "by": "city_admin",
        "place": "六安市人力资源市场一楼招聘大厅",
        "partner": "长三角·苏州",
        "employers": ["emp_8", "emp_9"],
        "attendance": 1260,
    },
    {
        "title": "金寨县—东莞电子信息产业劳务对接会",
        "days": EARLIER_FAIR_DAYS,
        "by": "official_a",
        "place": "金寨县人力资源市场",
        "partner": "珠三角·东莞",
        "employers": ["emp_13"],
        "attendance": 860,
    },
]


def seed_partner_regions(admin: User) -> dict[str, PartnerRegion]:
    today = timezone.localdate()
    provinces = {p.code: p for p in Province.objects.all()}
    regions = {}
    for spec in PARTNER_REGIONS:
        region = PartnerRegion.objects.filter(name=spec["name"]).first()
        if region is None:
            region = services.partner_region_save(
                actor=admin,
                name=spec["name"],
                province=provinces[spec["province"]],
                agreement=spec["agreement"],
                signed_on=today - timedelta(days=spec["signed"]),
                target_placements=spec["target"],
                active=True,
            )
        regions[spec["name"]] = region
    return regions


def seed_fairs(regions, employers: dict[str, Employer], fair_postings: list[JobPosting]) -> None:
    today = timezone.localdate()
    for spec in FAIRS:
        if DockingFair.objects.filter(title=spec["title"]).exists():
            continue
        fair_employers = [employers[name] for name in spec["employers"]]
        ids = {e.pk for e in fair_employers}
        postings = [posting for posting in fair_postings if posting.employer_id in ids]
        services.docking_fair_save(
            actor=User.objects.get(username=spec["by"]),
            employers=fair_employers,
            postings=postings,
            title=spec["title"],
            held_on=today - timedelta(days=spec["days"]),
            place=spec["place"],
            partner=regions[spec["partner"]],
            attendance=spec["attendance"],
        )


def fair_days() -> dict[str, datetime.date]:
    """The employers of this year's fair and its date: their first postings were published for it."""
    held_on = timezone.localdate() - timedelta(days=RECENT_FAIR_DAYS)
    return {name: held_on for name in FAIRS[0]["employers"]}
