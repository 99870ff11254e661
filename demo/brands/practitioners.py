"""The practitioner registers (从业人员台账) of the two demo counties' recognised brands: 金寨红嫂家政
(official_a) and 霍山黄芽茶艺师 (official_b), a dozen people each.

Each register holds a few demo trainees who are members already (trained under the brand or certified), and
people the portal did not know: the county's list names them, so each is a worker record without a sign-in
(laborbrand/accounts/records.py) until they register with their ID number. Most of those hold no certificate
and some attended no ethics session, so the brands' certificate-holding rate and ethics coverage fall as the
registers grow over the year; one person per register has left the trade and was removed. The entries are
registered through `brands.services`, as the county's official, and dated over the year so far (January to
today), so each month's figures count the people registered by its end.

Runs after the training part (the trainees and the ethics sessions exist) and before the targets (which count
the members). A brand whose register has entries is left as it is: rerunning changes nothing.
"""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.utils import timezone

from brands import services
from brands.models import Brand, Practitioner
from demo.common import at
from demo.training.trainees import demo_worker
from demo.year import days
from laborbrand.accounts import pii
from laborbrand.accounts.models import User
from laborbrand.reference.models import Township
from training.models import EthicsSession
from training.services.ethics import ethics_attendance_add

# Per brand: the official keeping the register, the ethics session some of the new people attended, and the
# people — a demo trainee (by number) or a new person (name, ID number's region, birth date, sex digit) — with
# their occupation, employer ("" when self-employed), township, the year they started, contact phone, and
# whether they attended the session / left the trade.
REGISTERS = {
    "金寨红嫂家政": {
        "official": "official_a",
        "session": "传承红嫂精神，做诚实守信的家政人",
        "people": [
            {
                "trainee": 17,
                "occupation": "养老护理员",
                "employer": "金寨县红嫂家政服务有限公司",
                "township": "梅山镇",
                "since": 2023,
            },
            {
                "trainee": 18,
                "occupation": "养老护理员",
                "employer": "金寨县梅山镇中心敬老院",
                "township": "梅山镇",
                "since": 2024,
            },
            {"trainee": 19, "occupation": "养老护理员", "employer": "", "township": "青山镇", "since": 2024},
            {
                "trainee": 36,
                "occupation": "家政服务员",
                "employer": "金寨县红嫂家政服务有限公司",
                "township": "梅山镇",
                "since": 2023,
            },
            {
                "name": "储秀云",
                "birth": "19780412",
                "sex": 2,
                "occupation": "家政服务员",
                "employer": "金寨县红嫂家政服务有限公司",
                "township": "梅山镇",
                "since": 2012,
                "phone": "13905641201",
                "attended": True,
            },
            {
                "name": "詹桂香",
                "birth": "19720903",
                "sex": 4,
                "occupation": "家政服务员",
                "employer": "",
                "township": "白塔畈镇",
                "since": 2009,
                "phone": "13905641202",
                "attended": True,
            },
            {
                "name": "漆玉兰",
                "birth": "19811120",
                "sex": 6,
                "occupation": "育婴员",
                "employer": "合肥市爱婴坊母婴护理有限公司",
                "township": "青山镇",
                "since": 2015,
                "phone": "",
            },
            {
                "name": "汪春梅",
                "birth": "19850117",
                "sex": 8,
                "occupation": "育婴员",
                "employer": "金寨县红嫂家政服务有限公司",
                "township": "梅山镇",
                "since": 2017,
                "phone": "13905641204",
            },
            {
                "name": "桂明芳",
                "birth": "19690628",
                "sex": 0,
                "occupation": "养老护理员",
                "employer": "金寨县天堂寨镇敬老院",
                "township": "天堂寨镇",
                "since": 2011,
                "phone": "13905641205",
                "attended": True,
            },
            {
                "name": "童小娟",
                "birth": "19900305",
                "sex": 2,
                "occupation": "家政服务员",
                "employer": "上海悦家家政服务有限公司",
                "township": "",
                "since": 2018,
                "phone": "13905641206",
            },
            {
                "name": "余德芬",
                "birth": "19750809",
                "sex": 4,
                "occupation": "养老护理员",
                "employer": "",
                "township": "青山镇",
                "since": 2014,
                "phone": "",
            },
            {
                "name": "廖文华",
                "birth": "19830214",
                "sex": 6,
                "occupation": "家政服务员",
                "employer": "金寨县红嫂家政服务有限公司",
                "township": "梅山镇",
                "since": 2016,
                "phone": "13905641208",
                "left": "外出务工，转行从事餐饮。",
            },
        ],
    },
    "霍山黄芽茶艺师": {
        "official": "official_b",
        "session": "茶人之德：诚信制茶与如实讲解",
        "people": [
            {
                "trainee": 47,
                "occupation": "茶叶加工工",
                "employer": "霍山县黄芽茶业专业合作社",
                "township": "佛子岭镇",
                "since": 2023,
            },
            {
                "trainee": 48,
                "occupation": "茶叶加工工",
                "employer": "霍山县抱儿钟秀茶业有限公司",
                "township": "下符桥镇",
                "since": 2024,
            },
            {
                "trainee": 21,
                "occupation": "茶叶加工工",
                "employer": "",
                "township": "与儿街镇",
                "since": 2024,
            },
            {
                "trainee": 23,
                "occupation": "茶艺师",
                "employer": "霍山县佛子岭镇茗香茶舍",
                "township": "佛子岭镇",
                "since": 2024,
            },
            {
                "name": "汪德茂",
                "birth": "19660521",
                "sex": 1,
                "occupation": "茶叶加工工",
                "employer": "",
                "township": "佛子岭镇",
                "since": 1990,
                "phone": "13905642301",
                "attended": True,
            },
            {
                "name": "黄永春",
                "birth": "19700314",
                "sex": 3,
                "occupation": "茶叶加工工",
                "employer": "霍山县黄芽茶业专业合作社",
                "township": "下符桥镇",
                "since": 1995,
                "phone": "13905642302",
                "attended": True,
            },
            {
                "name": "程丽萍",
                "birth": "19880926",
                "sex": 2,
                "occupation": "茶艺师",
                "employer": "霍山县徽六茶文化体验馆",
                "township": "衡山镇",
                "since": 2012,
                "phone": "13905642303",
            },
            {
                "name": "储红霞",
                "birth": "19920418",
                "sex": 4,
                "occupation": "茶艺师",
                "employer": "合肥市三孝口茶艺馆",
                "township": "",
                "since": 2016,
                "phone": "",
            },
            {
                "name": "方家宝",
                "birth": "19790102",
                "sex": 5,
                "occupation": "茶叶加工工",
                "employer": "霍山县抱儿钟秀茶业有限公司",
                "township": "下符桥镇",
                "since": 2003,
                "phone": "13905642305",
            },
            {
                "name": "刘兰英",
                "birth": "19740716",
                "sex": 6,
                "occupation": "茶叶加工工",
                "employer": "",
                "township": "与儿街镇",
                "since": 1998,
                "phone": "13905642306",
                "attended": True,
            },
            {
                "name": "邵明辉",
                "birth": "19950830",
                "sex": 7,
                "occupation": "茶艺师",
                "employer": "霍山县佛子岭镇茗香茶舍",
                "township": "衡山镇",
                "since": 2019,
                "phone": "13905642307",
            },
            {
                "name": "甘文静",
                "birth": "19861211",
                "sex": 8,
                "occupation": "茶艺师",
                "employer": "霍山县徽六茶文化体验馆",
                "township": "衡山镇",
                "since": 2013,
                "phone": "",
                "left": "回乡务农，不再从事茶艺服务。",
            },
        ],
    },
}
COUNTY_OF = {"金寨红嫂家政": "341524", "霍山黄芽茶艺师": "341525"}


def new_person_id_number(region: str, birth: str, sex: int, order: int) -> str:
    """A valid ID number: the region and birth date given, then the order of registration (two digits) and
    the sex digit (odd for men)."""
    body = f"{region}{birth}{order % 100:02d}{sex}"
    return pii.validate_id_number(body + pii.id_number_check_character(body))


def _townships(brand: Brand) -> dict[str, Township]:
    return {township.name: township for township in Township.objects.filter(county_id=brand.county_id)}


def seed_register(brand: Brand, spec: dict, today: datetime.date) -> int:
    """Put the brand's people on its register, dated over the year so far; returns how many."""
    official = User.objects.get(username=spec["official"])
    occupations = {occupation.name: occupation for occupation in brand.occupations.all()}
    townships = _townships(brand)
    dates = days(datetime.date(today.year, 1, 1), today, len(spec["people"]))
    attended = []
    for order, (person, day) in enumerate(zip(spec["people"], dates, strict=True), start=1):
        if "trainee" in person:
            trainee = demo_worker(person["trainee"])
            if trainee is None:
                continue
            real_name, id_number = trainee.real_name, trainee.id_number
        else:
            real_name = person["name"]
            id_number = new_person_id_number(COUNTY_OF[brand.name], person["birth"], person["sex"], order)
        practitioner, _opened = services.practitioner_add(
            brand=brand,
            actor=official,
            real_name=real_name,
            id_number=id_number,
            occupation=occupations[person["occupation"]],
            since=datetime.date(person["since"], 3 + order % 6, 1),
            employer=person["employer"],
            self_employed=not person["employer"],
            township=townships.get(person["township"]),
            contact_phone=person.get("phone", ""),
        )
        registered = min(at(day, hour=10, minute=order), timezone.now())
        Practitioner.objects.filter(pk=practitioner.pk).update(created=registered)
        if person.get("left"):
            services.practitioner_remove(practitioner=practitioner, actor=official, reason=person["left"])
            left = min(registered + timedelta(days=20), timezone.now())
            Practitioner.objects.filter(pk=practitioner.pk).update(removed_at=max(left, registered))
        if person.get("attended"):
            attended.append(practitioner.worker)
    session = EthicsSession.objects.filter(topic=spec["session"], held_on__lte=today).first()
    if session is not None and attended:
        ethics_attendance_add(session=session, workers=attended)
    return len(spec["people"])


def seed_practitioners() -> str:
    today = timezone.localdate()
    for name, spec in REGISTERS.items():
        brand = Brand.objects.filter(name=name, county__code=COUNTY_OF[name]).first()
        if brand is None or brand.practitioners.exists():
            continue
        seed_register(brand, spec, today)
    active = Practitioner.objects.active().count()
    records = User.objects.filter(registered=False).count()
    return f"{active} registered practitioners ({records} not yet registered on the portal)"


def seed(ctx) -> str:
    return seed_practitioners()
