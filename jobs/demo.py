"""Demo employers, their apprentices, and the job board: postings, applications and labour cooperation.

Fourteen employers: six in the city's counties and eight in the partner provinces (Jiangsu, Zhejiang,
Shanghai, Guangdong). The city admin verifies eleven of them through `jobs.services` (as the queue would);
employer_b's company and a local cooperative are still waiting, and a Shenzhen company was refused with a
reason. employer_a trains eight demo trainees as apprentices with two qualified institutions.

The verified employers publish some 220 postings over the occupations of the demo brands and a few others,
mostly open, some closed, filled or expired, one taken down by the city admin; the two waiting employers
hold drafts. Every worker and trainee has a job-seeking profile; they apply (with the consent the privacy
law asks for) and the employers move them through every status, all through the services, so events and
notifications are the real ones. worker_a has applications in five statuses, among them a cross-province
hire after last year's docking fair; employer_a has applicants in every status. The city has four partner
regions and two docking fairs, one this year (city) and one a year ago (金寨县), with hires into their
postings after the fair. Only the times are moved into the past afterwards, as if it had happened over the
last months.

An employer that exists already is left as it is, one that has postings gets no more (nor do they get
applications), a worker with a profile keeps it, and partner regions and fairs are matched by name:
rerunning changes nothing.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from stdnum.cn import uscc

from brands.models import Brand
from jobs import services
from jobs.matchrun import match_run
from jobs.models import (
    Application,
    ApplicationEvent,
    Apprenticeship,
    DockingFair,
    Employer,
    JobPosting,
    MatchInvitation,
    MatchRun,
    PartnerRegion,
    WorkerProfile,
)
from laborbrand.accounts.demo import ensure_user
from laborbrand.accounts.models import Notification, User
from laborbrand.reference.models import County, Occupation, Province, SkillLevel
from training.models import Enrollment, Institution

AStatus = Apprenticeship.Status
PStatus = JobPosting.Status
Status = Application.Status

HOME = "340000"


def _credit_code(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


# --- Employers ----------------------------------------------------------------------------------------------

# Each employer, by the user name of its staff account (employer_a and employer_b are printed demo accounts;
# emp_3 … emp_14 have the same password but are not printed). "registered" and "verified" are days ago;
# without "verified" the company waits for verification, with "refused" it was refused with that reason.
# "counties" are where its local jobs are; "jobs" the occupations it posts and how many postings of each;
# "drafts" postings it has not published (an unverified company cannot); "earlier_jobs" postings of last
# year's docking fair.
EMPLOYERS = [
    {
        "username": "employer_a",
        "listed": True,
        "fields": {
            "name": "六安精工机械有限公司",
            "credit_code": "91341500MA2N1X3K54",
            "province": HOME,
            "city_name": "六安市",
            "industry": "通用设备制造",
            "contact_name": "孙立",
            "contact_phone": "0564-3345678",
        },
        "registered": 203,
        "verified": 200,
        "counties": ["341502"],
        "jobs": [
            ("数控车工", 6),
            ("钳工", 4),
            ("加工中心操作工", 4),
            ("焊工", 3),
            ("数控铣工", 2),
            ("车工", 2),
            ("磨工", 1),
        ],
    },
    {
        "username": "employer_b",
        "listed": True,
        "fields": {
            "name": "苏州长三角家政服务有限公司",
            "credit_code": "91320500MA1Q2W3E4N",
            "province": "320000",
            "city_name": "苏州市",
            "industry": "居民服务",
            "contact_name": "钱敏",
            "contact_phone": "0512-65432100",
        },
        "registered": 6,
        "drafts": [("家政服务员", "住家保姆（苏州工业园区）"), ("育婴员", "育婴师（月嫂方向）")],
    },
    {
        "username": "emp_3",
        "fields": {
            "name": "霍山县大别山黄芽茶业有限公司",
            "credit_code": _credit_code("91341525MA2P4H7R3"),
            "province": HOME,
            "city_name": "六安市",
            "industry": "茶叶种植与加工",
            "contact_name": "汪春生",
            "contact_phone": "0564-5061234",
        },
        "registered": 152,
        "verified": 150,
        "counties": ["341525"],
        "jobs": [("茶艺师", 5), ("茶叶加工工", 6), ("农业技术员", 4), ("电子商务师", 3)],
    },
    {
        "username": "emp_4",
        "fields": {
            "name": "舒城县杭埠智联电子科技有限公司",
            "credit_code": _credit_code("91341523MA2R6K1D8"),
            "province": HOME,
            "city_name": "六安市",
            "industry": "电子元件制造",
            "contact_name": "陶晓峰",
            "contact_phone": "0564-8615520",
        },
        "registered": 184,
        "verified": 180,
        "counties": ["341523"],
        "jobs": [
            ("电子设备装接工", 8),
            ("电子产品装调工", 6),
            ("工业机器人系统操作员", 5),
            ("工业机器人系统运维员", 3),
            ("电工", 2),
        ],
    },
    {
        "username": "emp_5",
        "fields": {
            "name": "金寨县红嫂家政服务有限公司",
            "credit_code": _credit_code("91341524MA2Q3B5N7"),
            "province": HOME,
            "city_name": "六安市",
            "industry": "居民服务",
            "contact_name": "詹桂兰",
            "contact_phone": "0564-7036688",
        },
        "registered": 123,
        "verified": 120,
        "counties": ["341524", "341524", "341502", "341503"],
        "jobs": [("家政服务员", 7), ("养老护理员", 6), ("育婴员", 5), ("保洁员", 2), ("收纳整理师", 2)],
    },
    {
        "username": "emp_6",
        "fields": {
            "name": "霍邱县临水柳编工艺品有限公司",
            "credit_code": _credit_code("91341522MA2U9C4G2"),
            "province": HOME,
            "city_name": "六安市",
            "industry": "工艺品制造",
            "contact_name": "韩德才",
            "contact_phone": "0564-6071186",
        },
        "registered": 93,
        "verified": 90,
        "counties": ["341522"],
        "jobs": [("竹编工艺师", 7), ("电子商务师", 5)],
    },
    {
        "username": "emp_7",
        "fields": {
            "name": "霍山县太平畈石斛种植专业合作社",
            "credit_code": _credit_code("93341525MA2T8B6K1"),
            "province": HOME,
            "city_name": "六安市",
            "industry": "中药材种植",
            "contact_name": "储先锋",
            "contact_phone": "0564-5105577",
        },
        "registered": 3,
        "counties": ["341525"],
        "drafts": [("农业技术员", "石斛种植技术员（太平畈基地）")],
    },
    {
        "username": "emp_8",
        "fields": {
            "name": "苏州启航精密电子有限公司",
            "credit_code": _credit_code("91320500MA1X7J2L5"),
            "province": "320000",
            "city_name": "苏州市",
            "industry": "电子元件制造",
            "contact_name": "顾海明",
            "contact_phone": "0512-62587410",
        },
        "registered": 243,
        "verified": 240,
        "jobs": [("电子设备装接工", 9), ("电子产品装调工", 8), ("工业机器人系统操作员", 7)],
    },
    {
        "username": "emp_9",
        "fields": {
            "name": "无锡锡澄精密机械有限公司",
            "credit_code": _credit_code("91320200MA1P3R8D6"),
            "province": "320000",
            "city_name": "无锡市",
            "industry": "通用设备制造",
            "contact_name": "过建新",
            "contact_phone": "0510-86213579",
        },
        "registered": 214,
        "verified": 210,
        "jobs": [("数控车工", 6), ("加工中心操作工", 5), ("焊工", 4), ("钳工", 3), ("数控铣工", 2)],
    },
    {
        "username": "emp_10",
        "fields": {
            "name": "宁波甬安家政服务有限公司",
            "credit_code": _credit_code("91330200MA2H5N1K9"),
            "province": "330000",
            "city_name": "宁波市",
            "industry": "居民服务",
            "contact_name": "应丽娟",
            "contact_phone": "0574-87351246",
        },
        "registered": 262,
        "verified": 260,
        "jobs": [("家政服务员", 6), ("育婴员", 5), ("养老护理员", 5), ("收纳整理师", 2), ("保洁员", 2)],
    },
    {
        "username": "emp_11",
        "fields": {
            "name": "杭州龙井茶文化发展有限公司",
            "credit_code": _credit_code("91330100MA2J8G4C3"),
            "province": "330000",
            "city_name": "杭州市",
            "industry": "茶文化与餐饮服务",
            "contact_name": "俞晓雯",
            "contact_phone": "0571-87964521",
        },
        "registered": 78,
        "verified": 75,
        "jobs": [("茶艺师", 6), ("茶叶加工工", 3), ("民宿管家", 3), ("客房服务员", 2), ("中式烹调师", 2)],
    },
    {
        "username": "emp_12",
        "fields": {
            "name": "上海浦江颐养养老服务有限公司",
            "credit_code": _credit_code("91310115MA1K6T2P8"),
            "province": "310000",
            "city_name": "上海市",
            "industry": "养老服务",
            "contact_name": "陆佩华",
            "contact_phone": "021-58326417",
        },
        "registered": 163,
        "verified": 160,
        "jobs": [("养老护理员", 8), ("家政服务员", 4), ("育婴员", 3), ("保洁员", 3)],
    },
    {
        "username": "emp_13",
        "fields": {
            "name": "东莞长安智造电子有限公司",
            "credit_code": _credit_code("91441900MA4W3E7H5"),
            "province": "440000",
            "city_name": "东莞市",
            "industry": "电子产品制造",
            "contact_name": "黎志雄",
            "contact_phone": "0769-85321764",
        },
        "registered": 404,
        "verified": 400,
        "jobs": [
            ("电子设备装接工", 7),
            ("电子产品装调工", 5),
            ("工业机器人系统操作员", 4),
            ("物流服务师", 2),
            ("快递员", 2),
        ],
        "earlier_jobs": [("电子设备装接工", 3), ("电子产品装调工", 2), ("工业机器人系统操作员", 1)],
    },
    {
        "username": "emp_14",
        "fields": {
            "name": "深圳前海智能装备有限公司",
            "credit_code": _credit_code("91440300MA5G2Y8U4"),
            "province": "440000",
            "city_name": "深圳市",
            "industry": "专用设备制造",
            "contact_name": "邓嘉明",
            "contact_phone": "0755-86357902",
        },
        "registered": 9,
        "refused": (
            7,
            "统一社会信用代码对应的登记名称为“深圳前海智能装备科技有限公司”，与填写的企业名称不一致。"
            "请按营业执照核对企业名称后重新提交。",
        ),
    },
]


def _last_notification() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _read_at(when: datetime.datetime) -> datetime.datetime | None:
    """Notifications older than three days have been read, as their recipients would have."""
    return when + timedelta(hours=2) if when < timezone.now() - timedelta(days=3) else None


def _dated(when: datetime.datetime, service, **kwargs):
    """Run a service step and date the notifications it sent at `when`."""
    last = _last_notification()
    result = service(**kwargs)
    Notification.objects.filter(pk__gt=last).update(created=when, read_at=_read_at(when))
    return result


def _staff_user(ctx, spec: dict) -> User:
    username = spec["username"]
    fields = {
        "role": User.Role.EMPLOYER,
        "real_name": spec["fields"]["contact_name"],
        "email": f"{username}@example.com",
    }
    return ensure_user(ctx, username=username, listed=bool(spec.get("listed")), **fields)[0]


def _employers(ctx, admin: User) -> dict[str, Employer]:
    now = timezone.now().replace(second=0, microsecond=0)
    provinces = {p.code: p for p in Province.objects.all()}
    employers = {}
    for spec in EMPLOYERS:
        user = _staff_user(ctx, spec)
        fields = {
            **spec["fields"],
            "province": provinces[spec["fields"]["province"]],
            "created": now - timedelta(days=spec["registered"], hours=2),
        }
        employer, created = Employer.objects.get_or_create(credit_code=fields["credit_code"], defaults=fields)
        employer.staff.add(user)
        employers[spec["username"]] = employer
        if not created:
            continue
        if "verified" in spec:
            verified = now - timedelta(days=spec["verified"], hours=5)
            employer = _dated(verified, services.employer_verify, employer=employer, actor=admin)
            Employer.objects.filter(pk=employer.pk).update(verified_at=verified)
            employer.verified_at = verified
            employers[spec["username"]] = employer
        elif "refused" in spec:
            days, reason = spec["refused"]
            refused = now - timedelta(days=days, hours=3)
            _dated(refused, services.employer_refuse, employer=employer, actor=admin, reason=reason)
    return employers


# --- Apprenticeships ----------------------------------------------------------------------------------------

# employer_a's apprentices, by trainee number (training.demo.TRAINEE_NAMES): the institution (by its staff
# user name), occupation and target level rank, start and end in days from today, who records it (the
# employer's or the institution's staff), and who closes it ("status", "closed_by") if it is not in progress.
APPRENTICESHIPS = [
    {
        "trainee": 51,
        "institution": "inst_3",
        "occupation": "加工中心操作工",
        "rank": 3,
        "start": -150,
        "end": 580,
        "by": "employer_a",
    },
    {
        "trainee": 52,
        "institution": "inst_3",
        "occupation": "钳工",
        "rank": 2,
        "start": -120,
        "end": 245,
        "by": "inst_3",
    },
    {
        "trainee": 53,
        "institution": "inst_3",
        "occupation": "焊工",
        "rank": 2,
        "start": -95,
        "end": 270,
        "by": "employer_a",
    },
    {
        "trainee": 54,
        "institution": "institution_a",
        "occupation": "数控铣工",
        "rank": 2,
        "start": -70,
        "end": 295,
        "by": "institution_a",
    },
    {
        "trainee": 55,
        "institution": "inst_3",
        "occupation": "加工中心操作工",
        "rank": 2,
        "start": -40,
        "end": 690,
        "by": "employer_a",
    },
    {
        "trainee": 45,
        "institution": "inst_3",
        "occupation": "数控车工",
        "rank": 2,
        "start": -14,
        "end": 351,
        "by": "inst_3",
    },
    {
        "trainee": 12,
        "institution": "inst_3",
        "occupation": "钳工",
        "rank": 1,
        "start": -410,
        "end": -45,
        "by": "employer_a",
        "status": AStatus.COMPLETED,
        "closed_by": "inst_3",
    },
    {
        "trainee": 37,
        "institution": "institution_a",
        "occupation": "数控车工",
        "rank": 2,
        "start": -280,
        "end": 85,
        "by": "institution_a",
        "status": AStatus.ENDED,
        "closed_by": "employer_a",
    },
]


def _apprenticeships(employer: Employer, employer_staff: User) -> None:
    if not employer.is_verified:
        return
    today = timezone.localdate()
    for spec in APPRENTICESHIPS:
        worker = User.objects.filter(username=f"trainee_{spec['trainee']:02d}").first()
        staff = User.objects.get(username=spec["institution"])
        institution = Institution.objects.filter(staff=staff).first()
        occupation = Occupation.objects.get(name=spec["occupation"])
        if (
            worker is None
            or institution is None
            or not institution.is_qualified
            or not institution.occupations.filter(pk=occupation.pk).exists()
            or worker.apprenticeships.filter(employer=employer).exists()
            or worker.apprenticeships.filter(status=AStatus.ACTIVE).exists()
        ):
            continue
        parties = {"employer_a": employer_staff, spec["institution"]: staff}
        start = today + timedelta(days=spec["start"])
        apprenticeship = services.apprenticeship_record(
            actor=parties[spec["by"]],
            employer=employer,
            institution=institution,
            worker=worker,
            occupation=occupation,
            target_level=SkillLevel.objects.get(rank=spec["rank"]),
            start_date=start,
            end_date=today + timedelta(days=spec["end"]),
        )
        recorded = datetime.datetime.combine(start - timedelta(days=5), datetime.time(10))
        Apprenticeship.objects.filter(pk=apprenticeship.pk).update(created=timezone.make_aware(recorded))
        if "status" in spec:
            services.apprenticeship_set_status(
                apprenticeship=apprenticeship, actor=parties[spec["closed_by"]], to=spec["status"]
            )


# --- Occupations: what the postings say ------------------------------------------------------------------

# Per occupation: titles, duty and requirement sentences for the descriptions, and the local monthly pay
# range (CNY) a posting in the city offers; partner provinces pay more (PAY_FACTOR).
JOBS = {
    "数控车工": {
        "titles": [
            "数控车工",
            "数控车床操作工（两班倒）",
            "CNC数控车工（汽车零部件）",
            "数控车工（可带学徒）",
        ],
        "duties": [
            "负责数控车床的上下料、程序调用和首件自检，按图纸加工轴类、盘类零件。",
            "操作FANUC系统数控车床加工汽车零部件，做好刀具磨损检查和产品尺寸记录。",
            "按工艺文件完成零件车削加工，配合质检做好过程检验，保持设备和现场整洁。",
        ],
        "needs": [
            "能看懂机械图纸，会使用游标卡尺、千分尺等量具。",
            "有数控车床操作经验者优先，新手可安排师傅带教。",
        ],
        "pay": (5000, 7500),
    },
    "加工中心操作工": {
        "titles": ["加工中心操作工", "CNC加工中心操机员", "立式加工中心操作工（夜班有补贴）"],
        "duties": [
            "操作立式加工中心加工箱体、支架类零件，负责装夹、对刀和程序调用。",
            "按作业指导书完成产品加工与自检，及时填写生产记录和设备点检表。",
        ],
        "needs": ["熟悉三菱或FANUC系统，会简单修改程序者优先。", "能适应两班倒，责任心强。"],
        "pay": (5500, 8500),
    },
    "数控铣工": {
        "titles": ["数控铣工", "数控铣床操作工", "模具数控铣工"],
        "duties": [
            "操作数控铣床加工平面、沟槽和型腔，按图纸保证尺寸精度。",
            "负责模具零件的粗、精铣加工，做好刀具管理和设备日常保养。",
        ],
        "needs": ["能识读零件图，熟练使用常用量具。", "有一年以上铣床操作经验者优先。"],
        "pay": (5000, 7500),
    },
    "钳工": {
        "titles": ["装配钳工", "机修钳工", "钳工（设备装配）"],
        "duties": [
            "负责通用设备部件的划线、钻孔、攻丝和装配调试。",
            "承担生产设备的日常点检、故障排除和零部件更换，配合做好预防性维护。",
        ],
        "needs": ["会看装配图，能熟练使用钳工工具和量具。", "吃苦耐劳，服从安排，有钳工证书者优先。"],
        "pay": (4500, 6500),
    },
    "焊工": {
        "titles": ["二氧化碳保护焊工", "氩弧焊工", "电焊工（钢结构）"],
        "duties": [
            "负责钢结构件、设备机架的二保焊焊接，保证焊缝成形美观、无气孔夹渣。",
            "按焊接工艺卡完成不锈钢件氩弧焊，焊后自检并做好标识。",
        ],
        "needs": [
            "须持有特种作业操作证（熔化焊接与热切割）。",
            "有两年以上焊接经验，能看懂简单焊接图纸。",
        ],
        "pay": (5500, 8000),
    },
    "车工": {
        "titles": ["普通车工", "车工（机修车间）"],
        "duties": ["操作普通车床加工轴、套类零件，承担设备维修配件的单件加工。"],
        "needs": ["能独立刃磨刀具，熟悉常用材料的切削参数。"],
        "pay": (4500, 6500),
    },
    "磨工": {
        "titles": ["外圆磨工", "平面磨工"],
        "duties": ["操作外圆磨床、平面磨床完成零件精加工，控制尺寸和表面粗糙度。"],
        "needs": ["有磨床操作经验，会使用千分尺、百分表。"],
        "pay": (4500, 6500),
    },
    "电子设备装接工": {
        "titles": ["电子装接工", "SMT贴片操作员", "插件焊接工（电子厂）", "电子设备装接工（长白班）"],
        "duties": [
            "负责电路板元器件插件、手工焊接和外观检查，按工艺要求完成产品装接。",
            "操作SMT贴片线上料、换线和首件确认，协助工程师处理抛料等异常。",
            "完成线束、连接器的压接与装配，做好静电防护和产品自检记录。",
        ],
        "needs": [
            "视力良好，手脚麻利，能适应流水线作业。",
            "会使用电烙铁、万用表，有电子厂工作经验者优先。",
        ],
        "pay": (4200, 6000),
    },
    "电子产品装调工": {
        "titles": ["电子产品装调工", "整机调试员", "产品测试员（电子）"],
        "duties": [
            "负责电子整机的装配、通电调试和功能测试，记录测试数据。",
            "按测试规程使用示波器、程控电源等仪器完成产品调试，判定并隔离不良品。",
        ],
        "needs": ["懂基本电路知识，会使用常用电子测量仪器。", "中专及以上学历，电子类专业优先。"],
        "pay": (4500, 6500),
    },
    "工业机器人系统操作员": {
        "titles": ["工业机器人操作员", "焊接机器人操作工", "自动化产线操作员"],
        "duties": [
            "负责工业机器人工作站的开机、示教点位微调和生产过程监控。",
            "操作焊接机器人完成工件焊接，处理报警停机并做好交接班记录。",
        ],
        "needs": ["了解工业机器人安全操作规程，有示教器操作经验者优先。", "能适应倒班，学习能力强。"],
        "pay": (5500, 8000),
    },
    "工业机器人系统运维员": {
        "titles": ["工业机器人运维员", "自动化设备维护技术员"],
        "duties": ["负责产线机器人、PLC和传感器的日常维护、故障诊断和备件更换。"],
        "needs": ["机电一体化等相关专业，能看懂电气图纸。"],
        "pay": (6000, 9000),
    },
    "电工": {
        "titles": ["电工（厂区维修）", "设备维修电工"],
        "duties": ["负责厂区配电、照明和生产设备电气线路的巡检与维修。"],
        "needs": ["须持有低压电工特种作业操作证。"],
        "pay": (5000, 7000),
    },
    "家政服务员": {
        "titles": ["住家保姆", "家政服务员（不住家）", "钟点工（家庭保洁）", "家政服务员（照顾老人）"],
        "duties": [
            "负责雇主家日常保洁、衣物洗涤整理和一日三餐制作。",
            "为居家老人提供生活照料、陪同就医和简单的康复协助。",
            "按服务单上门提供家庭保洁、厨房清洁和收纳服务，服务后请雇主确认。",
        ],
        "needs": [
            "身体健康，持健康证上岗，为人诚实守信。",
            "有家政服务经验或持家政服务员证书者优先，会做家常菜。",
        ],
        "pay": (4000, 6000),
    },
    "育婴员": {
        "titles": ["育婴员", "月嫂（母婴护理）", "育婴师（住家）"],
        "duties": [
            "负责0—3岁婴幼儿的日常喂养、洗护、睡眠照料和早期启蒙游戏。",
            "为产妇和新生儿提供月子期护理，包括新生儿洗澡、抚触和产妇营养餐制作。",
        ],
        "needs": ["持育婴员证书和健康证，有带孩子经验者优先。", "性格温和，有耐心，能住家。"],
        "pay": (5000, 8000),
    },
    "养老护理员": {
        "titles": ["养老护理员", "护理员（养老院）", "居家养老护理员"],
        "duties": [
            "在养老机构为失能、半失能老人提供助餐、助浴、翻身拍背等生活照料。",
            "按护理计划为老人测量血压、协助服药，做好护理记录和交接班。",
            "上门为社区居家老人提供生活照料和康复训练协助。",
        ],
        "needs": ["持养老护理员证书者优先，无证可参加岗前培训。", "有爱心、耐心，能适应轮班。"],
        "pay": (4200, 6000),
    },
    "保洁员": {
        "titles": ["保洁员（写字楼）", "商场保洁员", "酒店公共区域保洁员"],
        "duties": ["负责办公区域、卫生间和公共通道的日常清洁和垃圾清运。"],
        "needs": ["身体健康，吃苦耐劳，年龄55岁以下。"],
        "pay": (3200, 4200),
    },
    "收纳整理师": {
        "titles": ["收纳整理师", "整理收纳师（上门服务）"],
        "duties": ["上门为家庭客户制定衣橱、厨房和儿童房的整理收纳方案并完成整理。"],
        "needs": ["有审美和沟通能力，持收纳整理师证书者优先。"],
        "pay": (4500, 7000),
    },
    "茶艺师": {
        "titles": ["茶艺师", "茶馆茶艺师", "茶艺讲解员（茶文化体验馆）"],
        "duties": [
            "负责茶室接待、茶艺表演和茶品讲解，为客人推荐合适的茶叶。",
            "在茶文化体验馆开展黄芽、龙井等名茶的冲泡演示和讲解。",
        ],
        "needs": ["持茶艺师证书，普通话标准。", "熟悉六大茶类知识，有茶艺表演经验者优先。"],
        "pay": (3800, 5500),
    },
    "茶叶加工工": {
        "titles": ["茶叶加工工", "制茶师傅（黄芽）", "茶叶加工工（茶季用工）"],
        "duties": [
            "春茶季负责鲜叶摊放、杀青、理条和烘焙等加工工序。",
            "操作名优茶加工生产线，控制杀青温度和烘焙时间，保证茶叶品质。",
        ],
        "needs": ["有制茶经验者优先，能适应茶季加班。", "吃苦耐劳，服从车间安排。"],
        "pay": (4000, 6000),
    },
    "竹编工艺师": {
        "titles": ["柳编工艺师", "柳编编织工（可计件）", "柳编样品师"],
        "duties": [
            "按样品完成柳编篮筐、收纳筐等产品的编织，保证尺寸和花型一致。",
            "负责新款柳编样品的打样和工艺改进，带教新员工。",
        ],
        "needs": ["有柳编、竹编手艺者优先，也可在家计件加工。", "心灵手巧，做事细心。"],
        "pay": (3500, 5500),
    },
    "电子商务师": {
        "titles": ["电商运营专员", "直播带货主播", "网店客服（电商）"],
        "duties": [
            "负责网店商品上架、详情页优化和日常活动报名，分析店铺运营数据。",
            "通过直播介绍柳编、茶叶等本地特色产品，维护粉丝群。",
            "负责网店售前售后咨询，处理订单和物流跟踪。",
        ],
        "needs": ["熟悉淘宝、抖音等平台规则，有电商工作经验者优先。", "普通话流利，表达能力强。"],
        "pay": (4500, 7000),
    },
    "农业技术员": {
        "titles": ["石斛种植技术员", "茶园管理技术员", "农业技术员（种植基地）"],
        "duties": [
            "负责石斛大棚的温湿度管理、病虫害绿色防控和采收指导。",
            "负责茶园施肥、修剪和病虫害防治，指导农户规范使用农业投入品。",
        ],
        "needs": ["农学、园艺相关专业或有种植经验者优先。", "能长期驻守基地，吃苦耐劳。"],
        "pay": (4000, 6000),
    },
    "民宿管家": {
        "titles": ["民宿管家", "精品民宿店长助理"],
        "duties": ["负责民宿前台接待、客房安排和客人入住期间的服务与游玩推荐。"],
        "needs": ["热情开朗，会使用电脑和订房系统。"],
        "pay": (4500, 6500),
    },
    "客房服务员": {
        "titles": ["客房服务员", "酒店客房服务员"],
        "duties": ["负责客房清扫、布草更换和客用品补充，按标准完成查房。"],
        "needs": ["身体健康，做事认真细致。"],
        "pay": (3800, 5000),
    },
    "中式烹调师": {
        "titles": ["中餐厨师", "农家菜厨师"],
        "duties": ["负责热菜制作和菜品出品，做好食材验收和厨房卫生。"],
        "needs": ["持健康证，会做徽菜、杭帮菜者优先。"],
        "pay": (5000, 8000),
    },
    "物流服务师": {
        "titles": ["仓储物流专员", "物流调度员"],
        "duties": ["负责仓库收发货、库存盘点和运输车辆调度。"],
        "needs": ["会使用电脑和仓储管理系统。"],
        "pay": (5000, 7000),
    },
    "快递员": {
        "titles": ["快递员", "快递派送员（片区）"],
        "duties": ["负责片区快件派送和揽收，使用巴枪完成扫描录入。"],
        "needs": ["有电动车，熟悉当地道路者优先。"],
        "pay": (5500, 9000),
    },
}

PAY_FACTOR = {HOME: 1.0, "320000": 1.35, "330000": 1.35, "310000": 1.6, "440000": 1.4}
PAY_VARIATION = [1.0, 1.05, 0.95, 1.1]
HEADCOUNTS = [10, 3, 5, 2, 8, 1, 15, 4, 20, 6, 30, 2, 12, 5, 3, 1]
MIN_LEVEL_RANKS = [None, 1, None, 2, None, 1, 3, None, 2, None]
PARTNER_NOTES = ["六安籍员工每年报销一次返乡往返路费。", "入职可安排从六安集中乘车到岗。"]

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


def _at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


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


def _employer_postings(spec, employer_index, employer, staff, maker, fairs) -> list[Planned]:
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
            published = _at(fair_day - timedelta(days=4 + j), hour=9 + j)
        elif status == PStatus.EXPIRED:
            published = now - timedelta(days=46 + k % 14, hours=k % 9)
        else:
            published = now - timedelta(days=1 + (k * 7) % 59, hours=(k * 5) % 10, minutes=(k * 13) % 60)
        key = f"{spec['username']}:{occupation_name}:{nth}"
        if key in SCENARIO_AGES:  # published before its story's first application
            published = min(published, now - timedelta(days=SCENARIO_AGES[key] + 2 + k % 5, hours=k % 7))
        if status == PStatus.EXPIRED:
            open_until = today - timedelta(days=1 + k % 9)
            until = min(_at(open_until, hour=18), now - timedelta(hours=1))
        else:
            open_until = max(
                published.date() + timedelta(days=30 + (k * 11) % 90), today + timedelta(days=3 + k % 5)
            )
            until = now - timedelta(hours=1)
        fields = maker.fields(spec, occupation_name, nth, j)
        posting = _create(employer, staff, fields, max(open_until, today), publish=True)
        start = _at(fair_day, hour=9, minute=30) if at_fair else published + timedelta(hours=2)
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
        published = _at(fair_day - timedelta(days=10 + j), hour=10)
        open_until = fair_day + timedelta(days=45)
        planned.append(
            Planned(
                posting,
                f"{spec['username']}:{occupation_name}:earlier{nth}",
                EARLIER_STATUSES[j % len(EARLIER_STATUSES)],
                published,
                open_until,
                _at(fair_day, hour=9, minute=30),
                _at(open_until, hour=18),
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
    _dated(when, services.posting_take_down, posting=posting, actor=admin, reason=TAKEN_DOWN["reason"])
    JobPosting.objects.filter(pk=posting.pk).update(
        published_at=published, created=published - timedelta(hours=20)
    )


# --- Worker profiles ----------------------------------------------------------------------------------------

# The two demo workers' profiles; the trainees' come from their training (see _trainee_profile).
WORKER_PROFILES = {
    "worker_a": {
        "desired": ["电子设备装接工", "电子产品装调工", "工业机器人系统操作员"],
        "provinces": ["320000", "440000"],
        "experience_years": 3,
        "experience": (
            "曾在东莞电子厂从事SMT插件和手工焊接工作，后返乡参加舒城电子装配工培训，"
            "取得电子设备装接工（四级/中级工）职业技能等级证书。"
        ),
        "accepts_other_province": True,
        "expected_salary": 7000,
        "seeking": True,
    },
    "worker_b": {
        "desired": ["茶艺师", "茶叶加工工"],
        "provinces": [],
        "experience_years": 1,
        "experience": "在霍山县茶叶合作社做过一季采茶和茶叶分拣，正在参加霍山黄芽茶艺师培训。",
        "accepts_other_province": False,
        "expected_salary": 4500,
        "seeking": True,
    },
}
PREFERRED_PROVINCES = [[], ["320000", "330000"], ["310000"], ["320000"], ["440000"], []]


def _desired_occupations(user: User) -> list[Occupation]:
    """The occupations a trainee trained or is training in, apprenticeships included (at most three)."""
    names = [
        *Enrollment.objects.filter(worker=user).order_by("pk").values_list("program__occupation", flat=True),
        *user.apprenticeships.order_by("pk").values_list("occupation", flat=True),
    ]
    ids = list(dict.fromkeys(names))[:3]
    occupations = Occupation.objects.in_bulk(ids)
    return [occupations[pk] for pk in ids]


def _trainee_profile(user: User, n: int, provinces: dict, counties: dict) -> dict | None:
    desired = _desired_occupations(user)
    if not desired:
        return None
    accepts = n % 3 != 0
    pay = JOBS.get(desired[0].name, {"pay": (4000, 6000)})["pay"][1]
    expected = min(12000, max(4000, pay + (n % 4) * 500 + (1500 if accepts else 0)))
    years = n % 7
    apprentice = user.apprenticeships.filter(status=AStatus.ACTIVE).exists()
    return {
        "desired_occupations": desired,
        "preferred_provinces": [provinces[c] for c in PREFERRED_PROVINCES[n % 6]] if accepts else [],
        "home_county": counties.get(user.id_number[:6]),
        "experience_years": years,
        "experience": (
            f"有{years}年{desired[0].name}相关工作经验，已参加劳务品牌技能培训。"
            if years
            else "首次外出求职，已参加劳务品牌技能培训。"
        ),
        "accepts_other_province": accepts,
        "expected_salary": expected,
        "seeking": not apprentice and n % 10 != 0,
    }


def _profiles() -> None:
    provinces = {p.code: p for p in Province.objects.all()}
    counties = {c.code: c for c in County.objects.all()}
    with_profile = set(WorkerProfile.objects.values_list("user_id", flat=True))
    workers = User.objects.filter(role=User.Role.WORKER, username__in=WORKER_PROFILES)
    for user in workers:
        if user.pk in with_profile:
            continue
        spec = WORKER_PROFILES[user.username]
        services.profile_save(
            user=user,
            desired_occupations=Occupation.objects.filter(name__in=spec["desired"]),
            preferred_provinces=[provinces[c] for c in spec["provinces"]],
            home_county=counties.get(user.id_number[:6]),
            experience_years=spec["experience_years"],
            experience=spec["experience"],
            accepts_other_province=spec["accepts_other_province"],
            expected_salary=spec["expected_salary"],
            seeking=spec["seeking"],
        )
    trainees = User.objects.filter(role=User.Role.WORKER, username__startswith="trainee_").order_by(
        "username"
    )
    for user in trainees:
        if user.pk in with_profile:
            continue
        fields = _trainee_profile(user, int(user.username.removeprefix("trainee_")), provinces, counties)
        if fields is not None:
            services.profile_save(user=user, **fields)


# --- Applications -------------------------------------------------------------------------------------------

PATHS = {
    Status.SUBMITTED: [Status.SUBMITTED],
    Status.VIEWED: [Status.SUBMITTED, Status.VIEWED],
    Status.INTERVIEW: [Status.SUBMITTED, Status.VIEWED, Status.INTERVIEW],
    Status.OFFERED: [Status.SUBMITTED, Status.VIEWED, Status.INTERVIEW, Status.OFFERED],
    Status.HIRED: [Status.SUBMITTED, Status.VIEWED, Status.INTERVIEW, Status.OFFERED, Status.HIRED],
    Status.REJECTED: [Status.SUBMITTED, Status.VIEWED, Status.REJECTED],
    Status.WITHDRAWN: [Status.SUBMITTED, Status.WITHDRAWN],
}
LONG_PATHS = {
    Status.REJECTED: [Status.SUBMITTED, Status.VIEWED, Status.INTERVIEW, Status.REJECTED],
    Status.WITHDRAWN: [Status.SUBMITTED, Status.VIEWED, Status.WITHDRAWN],
}
NOTES = {
    Status.INTERVIEW: [
        "请于本周四上午9:00携带身份证和职业技能等级证书到公司人事部面试。",
        "电话面试安排在明天下午3点，请保持手机畅通。",
        "请到厂区门卫处登记后，到办公楼二楼会议室参加面试和实操考核。",
    ],
    Status.OFFERED: [
        "面试通过，试用期一个月，转正后按岗位标准定薪，请三日内答复。",
        "欢迎加入！请确认到岗时间，入职前需完成体检。",
    ],
    Status.HIRED: ["已办理入职手续，欢迎加入！", "已签订劳动合同，祝工作顺利。"],
    Status.REJECTED: [
        "感谢您的申请，本次岗位已招满，欢迎关注我们后续发布的岗位。",
        "岗位要求有相关工作经验，与您目前的情况暂不匹配，感谢关注。",
    ],
}
# How many workers apply to each posting, and the status each generated application ends in, in turn; a
# fair's postings draw more applicants and more of them are hired. No worker applies more than MOST_APPLIED
# times.
APPLICANT_COUNTS = [1, 0, 2, 1, 0, 3, 1, 0, 2, 1]
FAIR_APPLICANTS = 4
FAIR_TURNS = [Status.HIRED, Status.REJECTED, Status.HIRED, Status.OFFERED, Status.WITHDRAWN, Status.HIRED]
MOST_APPLIED = 6
STATUS_TURNS = [
    Status.SUBMITTED,
    Status.HIRED,
    Status.VIEWED,
    Status.INTERVIEW,
    Status.REJECTED,
    Status.HIRED,
    Status.SUBMITTED,
    Status.OFFERED,
    Status.WITHDRAWN,
    Status.REJECTED,
    Status.VIEWED,
    Status.HIRED,
    Status.INTERVIEW,
    Status.SUBMITTED,
    Status.REJECTED,
]

# Applications told as stories: worker_a's (a cross-province hire after last year's fair, then looking
# nearer home with a new certificate), worker_b's, and employer_a's applicants. "posting" is the planned
# posting's key (employer:occupation:nth); "applied" days ago (at the fair for a fair posting) and "span"
# the days from applying to the last step.
SCENARIOS = [
    {
        "worker": "worker_a",
        "posting": "emp_13:电子设备装接工:earlier0",
        "status": Status.HIRED,
        "span": 12,
    },
    {
        "worker": "worker_a",
        "posting": "emp_4:电子产品装调工:0",
        "status": Status.INTERVIEW,
        "applied": 6,
        "span": 4,
        "notes": {
            Status.INTERVIEW: "请于下周二上午9:00到杭埠经济开发区厂区人事部面试，携带身份证和技能证书。"
        },
    },
    {
        "worker": "worker_a",
        "posting": "emp_8:电子设备装接工:1",
        "status": Status.VIEWED,
        "applied": 9,
        "span": 2,
    },
    {
        "worker": "worker_a",
        "posting": "emp_4:工业机器人系统操作员:0",
        "status": Status.REJECTED,
        "applied": 14,
        "span": 5,
        "notes": {Status.REJECTED: "该岗位需要有工业机器人示教经验，欢迎完成工业机器人培训后再次申请。"},
    },
    {"worker": "worker_a", "posting": "emp_8:电子产品装调工:1", "status": Status.SUBMITTED, "applied": 1},
    {"worker": "worker_b", "posting": "emp_3:茶艺师:0", "status": Status.VIEWED, "applied": 5, "span": 1},
    {
        "worker": "worker_b",
        "posting": "emp_3:茶叶加工工:0",
        "status": Status.WITHDRAWN,
        "applied": 12,
        "span": 3,
    },
    {
        "worker": "trainee_12",
        "posting": "employer_a:钳工:0",
        "status": Status.HIRED,
        "applied": 34,
        "span": 14,
        "notes": {Status.HIRED: "学徒期满考核合格，已签订劳动合同，欢迎正式入职。"},
    },
    {
        "worker": "trainee_56",
        "posting": "employer_a:数控车工:0",
        "status": Status.INTERVIEW,
        "applied": 5,
        "span": 2,
        "notes": {Status.INTERVIEW: "请于周五上午8:30到金安区三十铺镇厂区参加数控车床实操考核。"},
    },
    {"worker": "trainee_57", "posting": "employer_a:数控车工:0", "status": Status.SUBMITTED, "applied": 2},
    {
        "worker": "trainee_58",
        "posting": "employer_a:数控车工:0",
        "status": Status.VIEWED,
        "applied": 4,
        "span": 1,
    },
    {
        "worker": "trainee_35",
        "posting": "employer_a:钳工:0",
        "status": Status.OFFERED,
        "applied": 16,
        "span": 9,
        "notes": {Status.OFFERED: "月薪6,500元，试用期两个月，请于三日内答复。"},
    },
    {
        "worker": "trainee_36",
        "posting": "employer_a:钳工:0",
        "status": Status.REJECTED,
        "applied": 20,
        "span": 6,
    },
    {"worker": "trainee_46", "posting": "employer_a:焊工:0", "status": Status.SUBMITTED, "applied": 3},
    {
        "worker": "trainee_38",
        "posting": "employer_a:加工中心操作工:0",
        "status": Status.WITHDRAWN,
        "applied": 11,
        "span": 2,
    },
]

# How many days ago each scenario posting's first story application was made.
SCENARIO_AGES = {
    key: max(spec.get("applied", 0) for spec in SCENARIOS if spec["posting"] == key)
    for key in {spec["posting"] for spec in SCENARIOS}
}


def _step_times(start, end, steps: int, seed: int) -> list[datetime.datetime]:
    """`steps` times from `start`, one to four days apart, squeezed to end before `end`."""
    gaps = [timedelta(days=1 + (seed + i) % 4, hours=(seed * 5 + i * 3) % 9) for i in range(steps - 1)]
    total = sum(gaps, timedelta())
    room = (end - start) * 0.95
    if total > room:
        gaps = [gap * (room / total) for gap in gaps]
    times = [start]
    for gap in gaps:
        times.append(times[-1] + gap)
    return [t.replace(second=0, microsecond=0) for t in times]


class Applying:
    """Applies and moves applications through the services; `finish` dates what they recorded."""

    def __init__(self, staff: dict[int, User]):
        self.staff = staff  # employer pk → the staff user acting for it
        self.hired: set[int] = set(Application.objects.hired().values_list("worker_id", flat=True))
        self.seed = 0
        self.pending: list[tuple] = []
        self.times: dict[int, list[datetime.datetime]] = {}  # application pk → the time of each step
        self.marks: list[tuple[int, datetime.datetime]] = []  # (last notification before a step, its time)

    def step(self, when: datetime.datetime, service, **kwargs):
        self.marks.append((_last_notification(), when))
        return service(**kwargs)

    def path(self, status: str, worker: User) -> list[str]:
        self.seed += 1
        if status == Status.HIRED and worker.pk in self.hired:
            status = Status.REJECTED
        paths = LONG_PATHS if self.seed % 2 and status in LONG_PATHS else PATHS
        return paths[status]

    def apply(self, plan: Planned, worker: User, path: list[str], times: list, notes: dict | None = None):
        """Apply now; the employer's moves wait for `finish`, so that no hire fills a posting before
        everyone meant to apply to it has."""
        # Every third application answers the employer's invitation to apply, sent the day before from the
        # recommended candidates of an earlier nightly match; so it counts as from a recommendation.
        if len(self.times) % 3 == 2:
            MatchInvitation.objects.get_or_create(
                posting=plan.posting,
                worker=worker,
                defaults={
                    "invited_by": self.staff[plan.posting.employer_id],
                    "created": times[0] - timedelta(days=1),
                },
            )
        application = self.step(
            times[0], services.application_submit, posting=plan.posting, worker=worker, consent=True
        )
        self.pending.append((plan, application, worker, path, times, notes or {}))
        self.times[application.pk] = times
        if path[-1] == Status.HIRED:
            self.hired.add(worker.pk)
        plan.applicants.append(worker.pk)

    def finish(self) -> None:
        for plan, application, worker, path, times, notes in self.pending:
            staff = self.staff[plan.posting.employer_id]
            for status, when in zip(path[1:], times[1:], strict=True):
                if status == Status.VIEWED:
                    self.step(when, services.application_mark_viewed, application=application, actor=staff)
                elif status == Status.WITHDRAWN:
                    self.step(when, services.application_withdraw, application=application, worker=worker)
                else:
                    choices = NOTES.get(status, [""])
                    note = notes.get(status) or choices[(worker.pk + plan.posting.pk) % len(choices)]
                    self.step(
                        when,
                        services.application_move,
                        application=application,
                        actor=staff,
                        to=status,
                        note=note,
                    )
        self.pending = []
        self._backdate()

    def _backdate(self) -> None:
        """Give the applications, their steps (one per service call, in order) and the notifications each
        step sent the step's time, in a few bulk updates."""
        applications = list(Application.objects.filter(pk__in=self.times))
        for application in applications:
            times = self.times[application.pk]
            application.created = application.consent_at = times[0]
            application.status_changed = times[-1]
        Application.objects.bulk_update(applications, ["created", "consent_at", "status_changed"], 200)
        events = list(ApplicationEvent.objects.filter(application__in=self.times).order_by("pk"))
        step = defaultdict(int)
        for event in events:
            times = self.times[event.application_id]
            event.created = times[min(step[event.application_id], len(times) - 1)]
            step[event.application_id] += 1
        ApplicationEvent.objects.bulk_update(events, ["created"], 200)
        if not self.marks:
            return
        watermarks = [mark for mark, _when in self.marks]
        notifications = list(Notification.objects.filter(pk__gt=watermarks[0]).only("pk"))
        for notification in notifications:
            when = self.marks[bisect_left(watermarks, notification.pk) - 1][1]
            notification.created, notification.read_at = when, _read_at(when)
        Notification.objects.bulk_update(notifications, ["created", "read_at"], 200)

    def scenario(self, plan: Planned, worker: User, spec: dict) -> None:
        now = timezone.now().replace(second=0, microsecond=0)
        if plan.at_fair and "applied" not in spec:
            start = plan.applied_from + timedelta(minutes=25)
        else:
            start = max(now - timedelta(days=spec["applied"], hours=2), plan.applied_from)
        path = PATHS[spec["status"]]
        end = min(start + timedelta(days=spec.get("span", 0), hours=1), now - timedelta(minutes=30))
        times = (
            [start]
            if len(path) == 1
            else _step_times(start, max(end, start + timedelta(hours=2)), len(path), 1)
        )
        self.apply(plan, worker, path, times, spec.get("notes"))

    def generated(self, plan: Planned, worker: User, status: str) -> None:
        if plan.applied_until < timezone.now() - timedelta(days=60):
            # Long over: the offers were declined or taken up, the others turned down.
            status = {Status.HIRED: Status.HIRED, Status.OFFERED: Status.WITHDRAWN}.get(
                status, Status.REJECTED
            )
        path = self.path(status, worker)
        window = plan.applied_until - plan.applied_from
        # A posting only days old has not got far: its applications stop at an earlier step.
        path = path[: max(1, min(len(path), window.days))]
        seed = self.seed
        share = (0.02, 0.05, 0.1, 0.2, 0.3, 0.45)[seed % 6] * (0.5 if len(path) >= 4 else 1)
        start = plan.applied_from + window * share + timedelta(minutes=(seed * 17) % 240)
        times = _step_times(start, plan.applied_until, len(path), seed)
        self.apply(plan, worker, path, times)


def _applications(planned: list[Planned], staff: dict[int, User]) -> None:
    applying = Applying(staff)
    by_key = {plan.key: plan for plan in planned}
    workers = {
        u.username: u
        for u in User.objects.filter(username__in={s["worker"] for s in SCENARIOS}, profile__isnull=False)
    }
    for spec in SCENARIOS:
        plan, worker = by_key.get(spec["posting"]), workers.get(spec["worker"])
        if plan is not None and worker is not None:
            applying.scenario(plan, worker, spec)
    applying.hired.update(worker.pk for worker in workers.values())  # their stories have their ending

    profiles = (
        WorkerProfile.objects.filter(seeking=True, user__username__startswith="trainee_")
        .select_related("user")
        .prefetch_related("desired_occupations")
        .order_by("user__username")
    )
    by_occupation = defaultdict(list)
    for profile in profiles:
        for occupation in profile.desired_occupations.all():
            by_occupation[occupation.pk].append(profile)
    turn = defaultdict(int)
    applied = defaultdict(int)
    status_turn = fair_turn = 0
    # The fairs' postings first: workers met their employers there.
    for i, plan in enumerate(sorted(planned, key=lambda plan: not plan.at_fair)):
        if plan.applicants:  # a scenario's posting keeps its story
            continue
        local = plan.posting.province.code == HOME
        candidates = [
            p
            for p in by_occupation.get(plan.posting.occupation_id, [])
            if (local or p.accepts_other_province) and applied[p.user_id] < MOST_APPLIED
        ]
        wanted = FAIR_APPLICANTS if plan.at_fair else APPLICANT_COUNTS[i % len(APPLICANT_COUNTS)]
        for _ in range(min(wanted, len(candidates))):
            if plan.at_fair:
                status = FAIR_TURNS[fair_turn % len(FAIR_TURNS)]
                fair_turn += 1
            else:
                status = STATUS_TURNS[status_turn % len(STATUS_TURNS)]
                status_turn += 1
            index = turn[plan.posting.occupation_id] % len(candidates)
            if status == Status.HIRED:  # someone not hired yet, if there is one
                free = [n for n, p in enumerate(candidates) if p.user_id not in applying.hired]
                index = free[0] if free else index
            profile = candidates.pop(index)
            turn[plan.posting.occupation_id] += 1
            applied[profile.user_id] += 1
            applying.generated(plan, profile.user, status)
    applying.finish()


def _finish_postings(planned: list[Planned], staff: dict[int, User]) -> None:
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


# --- Labour cooperation -------------------------------------------------------------------------------------

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


def _partner_regions(admin: User) -> dict[str, PartnerRegion]:
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


def _fairs(regions, employers: dict[str, Employer], planned: list[Planned]) -> None:
    today = timezone.localdate()
    for spec in FAIRS:
        if DockingFair.objects.filter(title=spec["title"]).exists():
            continue
        fair_employers = [employers[name] for name in spec["employers"]]
        ids = {e.pk for e in fair_employers}
        postings = [p.posting for p in planned if p.at_fair and p.posting.employer_id in ids]
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


def _fair_days() -> dict[str, datetime.date]:
    """The employers of this year's fair and its date: their first postings were published for it."""
    held_on = timezone.localdate() - timedelta(days=RECENT_FAIR_DAYS)
    return {name: held_on for name in FAIRS[0]["employers"]}


# --- Seeding ------------------------------------------------------------------------------------------------


def _job_board(employers: dict[str, Employer]) -> None:
    maker = PostingMaker()
    fairs = _fair_days()
    planned: list[Planned] = []
    staff = {}
    for index, spec in enumerate(EMPLOYERS):
        employer = employers[spec["username"]]
        user = employer.staff.get(username=spec["username"])
        staff[employer.pk] = user
        if employer.postings.exists():
            continue
        planned += _employer_postings(spec, index, employer, user, maker, fairs)
    _applications(planned, staff)
    _finish_postings(planned, staff)
    admin = User.objects.get(username="city_admin")
    _fairs(_partner_regions(admin), employers, planned)


def seed(ctx) -> str:
    admin = User.objects.get(username="city_admin")
    employers = _employers(ctx, admin)
    _apprenticeships(employers["employer_a"], User.objects.get(username="employer_a"))
    _profiles()
    _job_board(employers)
    if not MatchRun.objects.filter(status=MatchRun.Status.COMPLETED).exists():
        # One match run, so workers see recommended jobs and employers recommended candidates at once.
        match_run(trigger=MatchRun.Trigger.COMMAND)
    return (
        f"{Employer.objects.count()} employers, {JobPosting.objects.count()} postings, "
        f"{Application.objects.count()} applications, "
        f"match runs completed: {MatchRun.objects.filter(status=MatchRun.Status.COMPLETED).count()}"
    )
