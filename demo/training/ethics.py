"""The demo's professional-ethics sessions of the past year and their attendance."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from brands.models import Brand
from demo.common import at
from demo.training.trainees import demo_worker
from laborbrand.accounts.models import User
from training.models import EthicsAttendance, EthicsSession
from training.services.ethics import ethics_attendance_add, ethics_session_create

# Professional-ethics sessions (职业道德专题培训) of the past year, recorded by their organiser: a county
# official (for the county's brands), an institution's staff, or the city admin (the city bureau). "days"
# is the date relative to today (negative: past). Attendees are numbers of TRAINEE_NAMES or the demo
# workers; a session in the future has none yet. The topic identifies the session when rerunning.
ETHICS_SESSIONS = [
    {
        "by": "city_admin",
        "brands": [
            "金安机械加工",
            "裕安家政服务",
            "霍邱柳编匠人",
            "舒城电子装配工",
            "金寨红嫂家政",
            "霍山黄芽茶艺师",
            "霍山石斛种植技工",
        ],
        "days": -300,
        "topic": "弘扬劳模精神、劳动精神、工匠精神——全市劳务品牌从业人员职业道德报告会",
        "speaker": "陈守义",
        "speaker_title": "全国劳动模范",
        "place": "六安市职业技能公共实训基地报告厅",
        "hours": "3",
        "attendees": [17, 18, 21, 35, 39, 47],
    },
    {
        "by": "official_a",
        "brands": ["金寨红嫂家政"],
        "days": -280,
        "topic": "传承红嫂精神，做诚实守信的家政人",
        "speaker": "李淑英",
        "speaker_title": "全国三八红旗手",
        "place": "金寨县梅山镇红军广场革命博物馆报告厅",
        "hours": "3",
        "attendees": [17, 18, 31, 32],
    },
    {
        "by": "official_b",
        "brands": ["霍山黄芽茶艺师"],
        "days": -240,
        "topic": "茶人之德：诚信制茶与如实讲解",
        "speaker": "汪明山",
        "speaker_title": "霍山黄芽制作技艺省级非遗传承人",
        "place": "霍山县大化坪镇黄芽茶文化馆",
        "hours": "2.5",
        "attendees": [21, 22, 47],
    },
    {
        "by": "inst_3",
        "brands": ["金安机械加工"],
        "days": -150,
        "topic": "工匠精神：从合格品到精品",
        "speaker": "王德顺",
        "speaker_title": "江淮工匠",
        "place": "金安区三十铺镇职教园金安区机电职业技术学院报告厅",
        "hours": "2",
        "attendees": [51, 52],
    },
    {
        "by": "city_admin",
        "brands": ["舒城电子装配工", "霍山黄芽茶艺师", "金寨红嫂家政", "裕安家政服务"],
        "days": -110,
        "topic": "职业道德与诚信——劳务品牌从业人员的职业底线",
        "speaker": "葛红梅",
        "speaker_title": "安徽省五一劳动奖章获得者",
        "place": "六安市人力资源和社会保障局三楼会议室",
        "hours": "3",
        "attendees": ["worker_a", 39, 40, 41, 42, 47, 48],
    },
    {
        "by": "inst_7",
        "brands": ["舒城电子装配工"],
        "days": -75,
        "topic": "安全生产与职业操守：防静电规范与质量意识",
        "speaker": "吴海波",
        "speaker_title": "江淮工匠",
        "place": "舒城县杭埠镇经济开发区电子产业实训中心多媒体教室",
        "hours": "2",
        "attendees": ["worker_a", 39, 40, 41, 42, 43, 44, 45],
    },
    {
        "by": "official_b",
        "brands": ["霍山黄芽茶艺师"],
        "days": -60,
        "topic": "食品安全与茶叶加工从业人员职业操守",
        "speaker": "储建国",
        "speaker_title": "六安市技术能手",
        "place": "霍山县人力资源和社会保障局会议室",
        "hours": "3",
        "attendees": [47, 48, 49, 50, 21, 22, 23],
    },
    {
        "by": "official_a",
        "brands": ["金寨红嫂家政"],
        "days": -50,
        "topic": "养老护理服务中的职业伦理与老人权益保护",
        "speaker": "何春兰",
        "speaker_title": "全国养老护理职业技能大赛一等奖获得者",
        "place": "金寨县梅山镇社会福利中心",
        "hours": "2.5",
        "attendees": [17, 18, 19, 20, 35, 36, 37, 33, 34],
    },
    {
        "by": "city_admin",
        "brands": ["裕安家政服务", "霍邱柳编匠人", "金安机械加工"],
        "days": -35,
        "topic": "新就业形态下的劳动者权益保护与职业操守",
        "speaker": "杨立平",
        "speaker_title": "六安市劳动人事争议仲裁院仲裁员",
        "place": "六安市职业技能公共实训基地报告厅",
        "hours": "2",
        "attendees": [1, 2, 3, 4, 5, 6, 53, 54],
    },
    {
        "by": "inst_4",
        "brands": ["裕安家政服务", "金寨红嫂家政"],
        "days": -30,
        "topic": "家政服务规范与职业伦理：守时、守信、守规矩",
        "speaker": "何丽",
        "speaker_title": "六安市技术能手（家政服务员）",
        "place": "裕安区苏埠镇社区综合服务中心",
        "hours": "3",
        "attendees": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
    },
    {
        "by": "inst_3",
        "brands": ["金安机械加工"],
        "days": -20,
        "topic": "安全生产与职业操守——机械加工岗位安全操作规程",
        "speaker": "方国庆",
        "speaker_title": "全国技术能手",
        "place": "金安区三十铺镇职教园金安区机电职业技术学院数控实训中心",
        "hours": "3",
        "attendees": [51, 52, 53, 54, 55, 56, 58],
    },
    {
        "by": "official_b",
        "brands": ["霍山石斛种植技工"],
        "days": -18,
        "topic": "规范使用农业投入品，守护霍山石斛品牌声誉",
        "speaker": "程玉华",
        "speaker_title": "安徽省农业技术推广研究员",
        "place": "霍山县太平畈乡石斛种植基地",
        "hours": "2",
        "attendees": [43, 44, 49, 50],
    },
    {
        "by": "institution_a",
        "brands": ["金寨红嫂家政"],
        "days": -15,
        "topic": "母婴护理服务中的职业伦理与家庭隐私保护",
        "speaker": "周明",
        "speaker_title": "江淮工匠",
        "place": "金寨县梅山镇金寨县职业技术学校母婴护理实训室",
        "hours": "2",
        "attendees": [31, 32, 33, 34, 21, 22],
    },
    {
        "by": "inst_8",
        "brands": ["霍山黄芽茶艺师"],
        "days": -10,
        "topic": "茶艺服务礼仪与职业道德",
        "speaker": "储德发",
        "speaker_title": "六安市技术能手（茶艺师）",
        "place": "霍山县衡山镇霍山县技工学校茶艺实训室",
        "hours": "2",
        "attendees": ["worker_b", 23, 47, 48],
    },
    {
        "by": "inst_4",
        "brands": ["霍邱柳编匠人"],
        "days": -8,
        "topic": "电商直播中的诚信经营与消费者权益保护",
        "speaker": "魏巧珍",
        "speaker_title": "安徽省乡村工匠",
        "place": "霍邱县临水镇柳编产业园电商直播基地",
        "hours": "2",
        "attendees": [25, 26, 27, 28, 29],
    },
    {
        "by": "inst_7",
        "brands": ["舒城电子装配工"],
        "days": -4,
        "topic": "诚信立身、技能立业——智能产线岗位职业道德与安全规范",
        "speaker": "刘志远",
        "speaker_title": "安徽省技术能手",
        "place": "舒城县杭埠镇经济开发区合作企业智能产线培训室",
        "hours": "2",
        "attendees": [39, 40, 41, 42, 59, 60],
    },
    {
        "by": "official_a",
        "brands": ["金寨红嫂家政"],
        "days": 12,
        "topic": "家政服务规范与职业伦理",
        "speaker": "李淑英",
        "speaker_title": "全国三八红旗手",
        "place": "金寨县梅山镇金寨县职业技术学校报告厅",
        "hours": "3",
        "attendees": [],
    },
]


def _may_organise(actor: User) -> bool:
    """Institution staff record sessions only while their institution is qualified."""
    if actor.role != User.Role.INSTITUTION_STAFF:
        return True
    institution = actor.institutions.first()
    return institution is not None and institution.is_qualified


def seed_ethics_sessions() -> None:
    today = timezone.localdate()
    now = timezone.now()
    for spec in ETHICS_SESSIONS:
        if EthicsSession.objects.filter(topic=spec["topic"]).exists():
            continue
        actor = User.objects.get(username=spec["by"])
        brands = list(Brand.objects.public().filter(name__in=spec["brands"]))
        if actor.role == User.Role.COUNTY_OFFICIAL:
            brands = [brand for brand in brands if brand.county_id == actor.county_id]
        if not brands or not _may_organise(actor):
            continue
        held_on = today + timedelta(days=spec["days"])
        session = ethics_session_create(
            actor=actor,
            brands=brands,
            held_on=held_on,
            topic=spec["topic"],
            speaker=spec["speaker"],
            speaker_title=spec["speaker_title"],
            place=spec["place"],
            hours=Decimal(spec["hours"]),
        )
        recorded = min(at(held_on - timedelta(days=14), hour=10), now - timedelta(days=2))
        EthicsSession.objects.filter(pk=session.pk).update(created=recorded)
        attendees = [w for w in map(demo_worker, spec["attendees"]) if w is not None]
        if attendees and held_on <= today:
            ethics_attendance_add(session=session, workers=attendees)
            noted = min(at(held_on + timedelta(days=1), hour=16), now)
            EthicsAttendance.objects.filter(session=session).update(recorded_at=noted)
