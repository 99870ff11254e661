"""The search benchmark's postings (bench_load_postings; bench_matching loads its postings the same way).

The postings belong to a few hundred verified employers created for them, each marked in its name
("BENCH …") and in its credit code (the letters BENCH after the eight-digit prefix, which a real code issued
by a registration authority would not carry there), so clearing removes exactly what was loaded and never
a real employer or posting. Rows go in with bulk_create: no history records and no notifications, as for
data that was never edited by anyone.

The spread imitates a live board: most postings open and public, some closed, filled, expired or not yet
marked expired; a few popular occupations and many rare ones; most jobs in the city's counties, the rest
with employers in partner provinces; salaries around ¥5,000/月 with a long upper tail; published over the
last 90 days. Titles use the everyday names of jobs half the time (厨师, 月嫂, CNC操机员), and descriptions
are written from sentences of duties, requirements, hours, benefits (五险一金, 包吃住) and the place, as
employers write them, for the keyword search to find.
"""

from __future__ import annotations

import datetime
import random

from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from stdnum.cn import uscc

from brands.models import Brand
from jobs.models import Application, Apprenticeship, DockingFair, Employer, JobPosting
from laborbrand.reference.models import City, County, Occupation, Province, SkillLevel

MARKER = "BENCH"
NAME_PREFIX = f"{MARKER} "
# 91 (enterprise) + six-digit division code + BENCH + four-digit serial + check character = 18.
CREDIT_CODE_REGEX = rf"^[0-9]{{8}}{MARKER}[0-9]{{4}}[0-9A-Z]$"
MAX_EMPLOYERS = 9999
BATCH_SIZE = 2000
PUBLISHED_DAYS = 90

# Partner provinces the city's workers go to, with their main cities and a weight (share of employers).
PARTNER_PROVINCES = {
    "320000": (("苏州市", "南京市", "无锡市", "常州市"), 8),
    "330000": (("杭州市", "宁波市", "温州市", "嘉兴市"), 7),
    "310000": (("上海市",), 6),
    "440000": (("深圳市", "东莞市", "广州市", "佛山市"), 5),
    "350000": (("厦门市", "泉州市"), 2),
    "110000": (("北京市",), 2),
    "370000": (("青岛市", "济南市"), 1),
    "420000": (("武汉市",), 1),
}
LOCAL_EMPLOYER_SHARE = 0.55
# Where a local employer's postings are: a county of the city, the city without a county, a partner province.
LOCAL_POSTING_SPREAD = (0.85, 0.05, 0.10)
COUNTY_WEIGHTS = {"341502": 6, "341503": 6, "341504": 2, "341522": 4, "341523": 4, "341524": 3, "341525": 3}

STATUS_WEIGHTS = {
    JobPosting.Status.OPEN: 82,
    JobPosting.Status.CLOSED: 7,
    JobPosting.Status.EXPIRED: 5,
    JobPosting.Status.FILLED: 3,
    JobPosting.Status.DRAFT: 2,
    JobPosting.Status.TAKEN_DOWN: 1,
}
# Open postings whose open-until day has passed before the nightly task marked them expired.
OPEN_BUT_LAPSED = 0.04
BRANDED_SHARE = 0.08

INDUSTRIES = (
    "机械制造",
    "电子信息",
    "汽车零部件",
    "建筑工程",
    "家政服务",
    "餐饮酒店",
    "物流快递",
    "现代农业",
)
NAME_WORDS = ("恒达", "华泰", "金鼎", "瑞丰", "宏远", "安信", "天成", "永盛", "嘉和", "鑫源", "博远", "汇通")
TITLE_SUFFIXES = ("", "", "（长白班）", "（两班倒）", "学徒", "（熟练）", "组长", "（包吃住）", "（急招）")
CONTACTS = ("王经理", "李主管", "张女士", "刘先生", "陈经理", "杨主任")

# What employers write, as on the city's job boards: the everyday names of jobs beside the classification's
# (厨师 for 中式烹调师, 月嫂 for 育婴员), the machines, the certificates and the benefits, in free sentences —
# so that a keyword search has words to find in titles and descriptions, not one template.
TITLE_ALIASES = {
    "焊工": ("电焊工", "氩弧焊工", "二保焊工", "焊工"),
    "数控车工": ("CNC车床操作工", "数控车床师傅", "数控车工"),
    "数控铣工": ("CNC加工中心操机员", "数控铣床操作工"),
    "加工中心操作工": ("CNC操机员", "加工中心编程员"),
    "车工": ("普车师傅", "车床工"),
    "钳工": ("装配钳工", "模具钳工", "机修钳工"),
    "电工": ("低压电工", "设备电工", "厂区电工"),
    "维修电工": ("设备维修电工", "机电维修工"),
    "中式烹调师": ("厨师", "炒锅厨师", "后厨主厨"),
    "中式面点师": ("面点师", "白案师傅"),
    "育婴员": ("月嫂", "育儿嫂", "母婴护理员"),
    "家政服务员": ("保姆", "住家保姆", "钟点工"),
    "养老护理员": ("护工", "养老院护理员"),
    "保洁员": ("保洁阿姨", "物业保洁"),
    "快递员": ("快递派送员", "外卖骑手"),
    "汽车维修工": ("汽修工", "汽车机修师傅"),
    "新能源汽车维修工": ("新能源汽修技师", "电动车维修工"),
    "客房服务员": ("酒店客房服务员", "民宿保洁"),
    "电子商务师": ("电商运营", "直播带货主播"),
}
TITLE_ALIAS_SHARE = 0.5
DUTIES = {
    "machining": (
        "能看懂机械图纸，独立操作{machine}完成零件加工",
        "按图纸和工艺卡加工零件，自检首件",
        "负责{machine}的日常点检和保养",
        "会使用卡尺、千分尺等量具",
    ),
    "electrical": (
        "负责厂区供配电设备和电气线路的检修",
        "会PLC编程调试者优先",
        "负责自动化产线设备的电气维护",
        "能看懂电气原理图",
    ),
    "automotive": (
        "负责汽车保养、故障诊断和维修",
        "新能源汽车三电系统检修",
        "汽车零部件装配和检测",
    ),
    "construction": (
        "按图施工，服从项目部安排",
        "高空作业须系安全带，持证上岗",
        "负责工地钢筋绑扎、模板支护等工作",
    ),
    "domestic": (
        "照顾老人起居，做饭、打扫卫生",
        "照顾产妇和新生儿，月子餐制作",
        "住家或白班均可，雇主家庭和睦",
        "负责小区公共区域保洁",
    ),
    "hospitality": (
        "负责后厨炒锅，会做徽菜、川菜",
        "负责早点和面点制作",
        "负责客房清洁和布草更换",
        "热情接待客人，做好餐前准备",
    ),
}
DUTIES_GENERAL = (
    "完成班组长安排的生产任务",
    "遵守公司规章制度和安全操作规程",
    "做好交接班记录和现场6S管理",
)
MACHINES = ("数控车床", "CNC加工中心", "普通车床", "铣床", "磨床", "冲床", "焊接机器人", "激光切割机")
REQUIREMENTS = (
    "年龄18-50周岁，身体健康",
    "初中及以上学历",
    "有两年以上相关工作经验",
    "能适应倒班和加班",
    "吃苦耐劳，服从管理",
    "持{occupation}职业技能等级证书者优先",
    "无经验可带薪学徒，师傅带教",
    "会用智能手机，能看懂简单报表",
)
# The special-operations permits (特种作业操作证) the jobs that need them ask for.
PERMITS = {
    "焊工": "持焊工证（特种作业操作证）",
    "电工": "持低压电工作业证",
    "维修电工": "持低压电工作业证",
    "建筑电工": "持建筑电工特种作业操作资格证",
    "架子工": "持建筑架子工操作资格证",
}
HOURS = ("长白班，早8点至晚5点", "两班倒，做六休一", "每天8小时，月休4天", "做五休二，双休", "做一休一")
INSURANCE = ("缴纳五险一金", "入职即缴五险", "五险一金", "购买社会保险", "缴纳社保和商业意外险")
HOUSING = ("提供员工宿舍（空调、热水、WiFi）", "包住", "免费住宿", "提供夫妻房")
MEALS = ("包吃", "提供免费工作餐", "餐补每月500元", "食堂三餐")
EXTRAS = ("年终奖", "满勤奖", "节日福利", "带薪年假", "免费技能培训", "工资月结，按时足额发放", "定期体检")


def bench_employers():
    """The employers bench_load_postings (or bench_matching) created: both marks must be present."""
    return Employer.objects.filter(Q(name__startswith=NAME_PREFIX) & Q(credit_code__regex=CREDIT_CODE_REGEX))


def clear_bench_postings() -> tuple[int, int]:
    """Delete the benchmark employers and their postings (also used by bench_matching); returns how many of
    each. Refuses when rows that are not benchmark data refer to them."""
    employers = bench_employers()
    postings = JobPosting.objects.filter(employer__in=employers)
    if Application.objects.filter(posting__in=postings).exists():
        raise CommandError(
            "Workers applied to benchmark postings; those applications are not ours to delete."
        )
    if Apprenticeship.objects.filter(employer__in=employers).exists():
        raise CommandError("Apprenticeships name benchmark employers; they are not ours to delete.")
    with transaction.atomic():
        DockingFair.postings.through.objects.filter(jobposting__in=postings).delete()
        DockingFair.employers.through.objects.filter(employer__in=employers).delete()
        Employer.staff.through.objects.filter(employer__in=employers).delete()
        # One DELETE each: the ORM's delete would load every row to write a history record for data that was
        # loaded without one.
        removed = postings._raw_delete(postings.db)
        removed_employers = employers._raw_delete(employers.db)
    return removed, removed_employers


def bench_credit_code(division: str, serial: int) -> str:
    body = f"91{division}{MARKER}{serial:04d}"
    return body + uscc.calc_check_digit(body)


class Loader:
    # What the search benchmark's board looks like; bench_matching's loader only wants open postings.
    status_weights = STATUS_WEIGHTS
    lapsed_share = OPEN_BUT_LAPSED

    def __init__(self, rng: random.Random):
        self.rng = rng
        # The words come from a generator of their own, seeded from the first one without drawing from it, so
        # the rest of the dataset (statuses, salaries, places) is the one the earlier benchmarks measured.
        self.words = random.Random(hash(rng.getstate()[1]))  # noqa: S311
        self.now = timezone.now()
        self.today = timezone.localdate()
        city = City.objects.select_related("province").first()
        if city is None:
            raise CommandError("The reference data has no city: run migrate first.")
        self.city = city
        self.provinces = {
            p.code: p for p in Province.objects.filter(code__in=[*PARTNER_PROVINCES, city.province.code])
        }
        counties = list(County.objects.filter(city=city))
        self.counties = counties
        self.county_weights = [COUNTY_WEIGHTS.get(c.code, 3) for c in counties]
        occupations = list(Occupation.objects.select_related("category").order_by("pk"))
        if not occupations:
            raise CommandError("The reference data has no occupations: run migrate first.")
        # A few occupations carry most postings, many are rare (which ones depends on the seed).
        rng.shuffle(occupations)
        self.occupations = occupations
        self.occupation_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(occupations))]
        self.levels = list(SkillLevel.objects.order_by("rank"))
        self.brands = list(Brand.objects.public().prefetch_related("occupations"))

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def create_employers(self, count: int) -> list[Employer]:
        verified_at = self.now - datetime.timedelta(days=PUBLISHED_DAYS + 30)
        partner_weights = {code: weight for code, (_cities, weight) in PARTNER_PROVINCES.items()}
        employers = []
        for serial in range(1, count + 1):
            local = self.rng.random() < LOCAL_EMPLOYER_SHARE
            code = self.city.province.code if local else self.pick(partner_weights)
            city_name = self.city.name if local else self.rng.choice(PARTNER_PROVINCES[code][0])
            industry = self.rng.choice(INDUSTRIES)
            division = self.city.code if local else code
            employers.append(
                Employer(
                    name=f"{NAME_PREFIX}{city_name.removesuffix('市')}{self.rng.choice(NAME_WORDS)}"
                    f"{industry}有限公司{serial:04d}",
                    credit_code=bench_credit_code(division, serial),
                    province=self.provinces[code],
                    city_name=city_name,
                    industry=industry,
                    contact_name=self.rng.choice(CONTACTS),
                    contact_phone=f"0564-{3300000 + serial}",
                    verified_at=verified_at,
                    created=verified_at - datetime.timedelta(days=1),
                )
            )
        return Employer.objects.bulk_create(employers, batch_size=BATCH_SIZE)

    def create_postings(self, employers: list[Employer], count: int) -> int:
        # Larger employers post more: a long tail of weights.
        weights = [1 / (rank + 1) ** 0.6 for rank in range(len(employers))]
        loaded = 0
        while loaded < count:
            size = min(BATCH_SIZE, count - loaded)
            batch = [
                self.posting(employer) for employer in self.rng.choices(employers, weights=weights, k=size)
            ]
            JobPosting.objects.bulk_create(batch, batch_size=BATCH_SIZE)
            loaded += size
        return loaded

    def posting(self, employer: Employer) -> JobPosting:
        rng = self.rng
        status = self.pick(self.status_weights)
        published_at = self.now - datetime.timedelta(seconds=rng.uniform(0, PUBLISHED_DAYS * 86400))
        if status == JobPosting.Status.OPEN:
            lapsed = rng.random() < self.lapsed_share
            open_until = self.today + datetime.timedelta(
                days=-rng.randint(1, 20) if lapsed else rng.randint(1, 90)
            )
        elif status == JobPosting.Status.EXPIRED:
            open_until = self.today - datetime.timedelta(days=rng.randint(1, 60))
        else:
            open_until = self.today + datetime.timedelta(days=rng.randint(-30, 60))
        occupation, brand = self._occupation_and_brand()
        province, city_name, county = self._location(employer)
        salary_min = self._salary()
        salary_max = min(salary_min + rng.choice((0, 500, 1000, 1000, 1500, 2000, 2000, 3000, 5000)), 200000)
        housing, meals = rng.random() < 0.45, rng.random() < 0.6
        social_insurance = rng.random() < 0.7
        posting = JobPosting(
            employer=employer,
            title=self._title(occupation),
            occupation=occupation,
            min_level=self._level(),
            brand=brand,
            headcount=rng.choice((1, 1, 2, 2, 3, 5, 5, 8, 10, 10, 20, 30, 50)),
            salary_min=salary_min,
            salary_max=salary_max,
            province=province,
            city_name=city_name,
            county=county,
            housing=housing,
            meals=meals,
            social_insurance=social_insurance,
            open_until=open_until,
            status=status,
            published_at=None if status == JobPosting.Status.DRAFT else published_at,
            taken_down_reason="岗位信息与实际不符。" if status == JobPosting.Status.TAKEN_DOWN else "",
            created=published_at - datetime.timedelta(hours=rng.randint(1, 72)),
        )
        posting.description = self._description(posting)
        posting.set_search_tokens()  # bulk_create does not call save()
        return posting

    def _title(self, occupation) -> str:
        # The suffix is drawn from the main generator, as it always was; the everyday name from the other.
        suffix = self.rng.choice(TITLE_SUFFIXES)
        aliases = TITLE_ALIASES.get(occupation.name)
        name = occupation.name
        if aliases and self.words.random() < TITLE_ALIAS_SHARE:
            name = self.words.choice(aliases)
        return f"{name}{suffix}"

    def _description(self, posting: JobPosting) -> str:
        words = self.words
        occupation = posting.occupation.name
        category = getattr(posting.occupation.category, "slug", "")
        duties = dict.fromkeys(
            [*words.sample(DUTIES.get(category, DUTIES_GENERAL), k=2), words.choice(DUTIES_GENERAL)]
        )
        requirements = words.sample(REQUIREMENTS, k=words.randint(2, 4))
        if occupation in PERMITS:
            requirements.append(PERMITS[occupation])
        benefits = [
            f"{posting.salary_min}–{posting.salary_max}元/月",
            *([words.choice(INSURANCE)] if posting.social_insurance else []),
            *([words.choice(HOUSING)] if posting.housing else []),
            *([words.choice(MEALS)] if posting.meals else []),
            *words.sample(EXTRAS, k=words.randint(1, 3)),
        ]
        county = posting.county.name if posting.county else ""
        lines = (
            f"岗位职责：{'；'.join(duties)}。",
            f"任职要求：{'；'.join(requirements)}。",
            f"工作时间：{words.choice(HOURS)}。",
            f"薪资福利：{'，'.join(benefits)}。",
            f"工作地点：{posting.province.name}{posting.city_name}{county}。",
        )
        return "\n".join(lines).format(machine=words.choice(MACHINES), occupation=occupation)

    def _occupation_and_brand(self):
        if self.brands and self.rng.random() < BRANDED_SHARE:
            brand = self.rng.choice(self.brands)
            occupations = list(brand.occupations.all())
            if occupations:
                return self.rng.choice(occupations), brand
        return self.rng.choices(self.occupations, weights=self.occupation_weights)[0], None

    def _location(self, employer: Employer):
        home = self.city.province
        if employer.province_id != home.pk:
            return employer.province, employer.city_name, None
        where = self.rng.choices(("county", "city", "partner"), weights=LOCAL_POSTING_SPREAD)[0]
        if where == "county" and self.counties:
            return home, self.city.name, self.rng.choices(self.counties, weights=self.county_weights)[0]
        if where == "partner":
            code = self.rng.choice(list(PARTNER_PROVINCES))
            return self.provinces[code], self.rng.choice(PARTNER_PROVINCES[code][0]), None
        return home, self.city.name, None

    def _salary(self) -> int:
        # Log-normal around ¥5,000, in steps of ¥500, between ¥2,000 and ¥30,000.
        value = self.rng.lognormvariate(8.5, 0.35)
        return int(min(max(round(value / 500) * 500, 2000), 30000))

    def _level(self):
        if not self.levels or self.rng.random() < 0.45:
            return None
        # Entry levels are asked for far more often than technician grades.
        return self.rng.choices(self.levels, weights=[8, 6, 3, 1, 0.5][: len(self.levels)])[0]
