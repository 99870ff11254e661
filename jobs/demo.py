from jobs.models import Employer
from laborbrand.accounts.demo import ensure_user
from laborbrand.accounts.models import User
from laborbrand.reference.models import Province

EMPLOYERS = [
    (
        "employer_a",
        {
            "name": "六安精工机械有限公司",
            "credit_code": "91341500MA2N1X3K54",
            "province": "340000",
            "city_name": "六安市",
            "industry": "通用设备制造",
            "contact_name": "孙立",
            "contact_phone": "0564-3345678",
        },
    ),
    (
        "employer_b",
        {
            "name": "苏州长三角家政服务有限公司",
            "credit_code": "91320500MA1Q2W3E4N",
            "province": "320000",
            "city_name": "苏州市",
            "industry": "居民服务",
            "contact_name": "钱敏",
            "contact_phone": "0512-65432100",
        },
    ),
]


def seed(ctx):
    for username, spec in EMPLOYERS:
        spec = {**spec, "province": Province.objects.get(code=spec["province"])}
        user, _ = ensure_user(
            ctx,
            username=username,
            role=User.Role.EMPLOYER,
            real_name=spec["contact_name"],
            email=f"{username}@example.com",
        )
        employer, _created = Employer.objects.get_or_create(credit_code=spec["credit_code"], defaults=spec)
        employer.staff.add(user)
