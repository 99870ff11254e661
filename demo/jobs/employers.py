"""The demo's fourteen employers and their staff accounts: verified, waiting for verification, or refused."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from demo.accounts import ensure_user
from demo.common import credit_code, dated
from jobs import services
from jobs.models import Employer
from laborbrand.accounts.models import User
from laborbrand.reference.models import Province

HOME = "340000"  # the city's province (安徽省): its postings are local, the others are in partner provinces

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
            "credit_code": credit_code("91341525MA2P4H7R3"),
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
            "credit_code": credit_code("91341523MA2R6K1D8"),
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
            "credit_code": credit_code("91341524MA2Q3B5N7"),
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
            "credit_code": credit_code("91341522MA2U9C4G2"),
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
            "credit_code": credit_code("93341525MA2T8B6K1"),
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
            "credit_code": credit_code("91320500MA1X7J2L5"),
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
            "credit_code": credit_code("91320200MA1P3R8D6"),
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
            "credit_code": credit_code("91330200MA2H5N1K9"),
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
            "credit_code": credit_code("91330100MA2J8G4C3"),
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
            "credit_code": credit_code("91310115MA1K6T2P8"),
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
            "credit_code": credit_code("91441900MA4W3E7H5"),
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
            "credit_code": credit_code("91440300MA5G2Y8U4"),
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


def _staff_user(ctx, spec: dict) -> User:
    username = spec["username"]
    fields = {
        "role": User.Role.EMPLOYER,
        "real_name": spec["fields"]["contact_name"],
        "email": f"{username}@example.com",
    }
    return ensure_user(ctx, username=username, listed=bool(spec.get("listed")), **fields)[0]


def seed_employers(ctx, admin: User) -> dict[str, Employer]:
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
            employer = dated(verified, services.employer_verify, employer=employer, actor=admin)
            Employer.objects.filter(pk=employer.pk).update(verified_at=verified)
            employer.verified_at = verified
            employers[spec["username"]] = employer
        elif "refused" in spec:
            days, reason = spec["refused"]
            refused = now - timedelta(days=days, hours=3)
            dated(refused, services.employer_refuse, employer=employer, actor=admin, reason=reason)
    return employers
