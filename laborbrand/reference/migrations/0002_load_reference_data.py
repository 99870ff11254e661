"""Reference data: 34 provincial-level divisions, the demo city 六安市 with its counties/districts (GB/T 2260)
and some townships, the five skill levels, and common occupations grouped in categories.

Occupation codes (national occupational classification, 2022 edition) are left blank: none is filled in
until checked against the published classification, rather than invented. Township codes are not stored.
"""

from django.db import migrations

PROVINCES = [
    ("110000", "北京市"), ("120000", "天津市"), ("130000", "河北省"), ("140000", "山西省"),
    ("150000", "内蒙古自治区"), ("210000", "辽宁省"), ("220000", "吉林省"), ("230000", "黑龙江省"),
    ("310000", "上海市"), ("320000", "江苏省"), ("330000", "浙江省"), ("340000", "安徽省"),
    ("350000", "福建省"), ("360000", "江西省"), ("370000", "山东省"), ("410000", "河南省"),
    ("420000", "湖北省"), ("430000", "湖南省"), ("440000", "广东省"), ("450000", "广西壮族自治区"),
    ("460000", "海南省"), ("500000", "重庆市"), ("510000", "四川省"), ("520000", "贵州省"),
    ("530000", "云南省"), ("540000", "西藏自治区"), ("610000", "陕西省"), ("620000", "甘肃省"),
    ("630000", "青海省"), ("640000", "宁夏回族自治区"), ("650000", "新疆维吾尔自治区"),
    ("710000", "台湾省"), ("810000", "香港特别行政区"), ("820000", "澳门特别行政区"),
]

CITY = ("341500", "六安市", "340000")

COUNTIES = {
    ("341502", "金安区"): ["三十铺镇", "木厂镇", "东桥镇", "椿树镇"],
    ("341503", "裕安区"): ["苏埠镇", "独山镇", "石婆店镇", "韩摆渡镇"],
    ("341504", "叶集区"): ["三元镇", "孙岗镇", "姚李镇"],
    ("341522", "霍邱县"): ["城关镇", "冯井镇", "周集镇", "临水镇"],
    ("341523", "舒城县"): ["城关镇", "杭埠镇", "千人桥镇", "干汊河镇"],
    ("341524", "金寨县"): ["梅山镇", "青山镇", "白塔畈镇", "天堂寨镇"],
    ("341525", "霍山县"): ["衡山镇", "佛子岭镇", "下符桥镇", "与儿街镇"],
}

SKILL_LEVELS = [
    (1, "五级", "初级工"),
    (2, "四级", "中级工"),
    (3, "三级", "高级工"),
    (4, "二级", "技师"),
    (5, "一级", "高级技师"),
]

# (slug, name): [(occupation, code or "")]
OCCUPATIONS = {
    ("machining", "机械加工"): [
        ("车工", ""), ("铣工", ""), ("磨工", ""), ("钳工", ""),
        ("数控车工", ""), ("数控铣工", ""), ("加工中心操作工", ""), ("模具工", ""), ("焊工", ""),
        ("冷作钣金工", ""),
    ],
    ("electrical", "电工电子"): [
        ("电工", ""), ("维修电工", ""), ("电子设备装接工", ""), ("电子产品装调工", ""),
        ("工业机器人系统操作员", ""), ("工业机器人系统运维员", ""), ("智能制造工程技术人员", ""),
        ("光伏组件制造工", ""),
    ],
    ("automotive", "汽车及零部件"): [
        ("汽车维修工", ""), ("汽车装调工", ""), ("汽车零部件再制造工", ""), ("新能源汽车维修工", ""),
        ("汽车车身涂装修复工", ""),
    ],
    ("construction", "建筑施工"): [
        ("砌筑工", ""), ("钢筋工", ""), ("混凝土工", ""), ("架子工", ""), ("建筑电工", ""),
        ("装饰装修工", ""), ("管道工", ""),
    ],
    ("domestic", "家政服务"): [
        ("家政服务员", ""), ("育婴员", ""), ("保育师", ""), ("养老护理员", ""), ("保洁员", ""),
        ("收纳整理师", ""),
    ],
    ("hospitality", "餐饮与住宿"): [
        ("中式烹调师", ""), ("中式面点师", ""), ("西式面点师", ""), ("餐厅服务员", ""),
        ("客房服务员", ""), ("民宿管家", ""), ("茶艺师", ""),
    ],
    ("handicrafts", "传统工艺"): [
        ("竹编工艺师", ""), ("茶叶加工工", ""), ("工艺品雕刻工", ""), ("手工木工", ""), ("刺绣工", ""),
    ],
    ("services", "生活与商贸服务"): [
        ("美容师", ""), ("美发师", ""), ("保健按摩师", ""), ("电子商务师", ""), ("快递员", ""),
        ("物流服务师", ""),
    ],
    ("agriculture", "现代农业"): [
        ("农业技术员", ""), ("农机修理工", ""), ("家禽饲养员", ""), ("果树园艺工", ""),
    ],
}


def load(apps, schema_editor):
    Province = apps.get_model("reference", "Province")
    City = apps.get_model("reference", "City")
    County = apps.get_model("reference", "County")
    Township = apps.get_model("reference", "Township")
    SkillLevel = apps.get_model("reference", "SkillLevel")
    OccupationCategory = apps.get_model("reference", "OccupationCategory")
    Occupation = apps.get_model("reference", "Occupation")

    provinces = {code: Province.objects.create(code=code, name=name) for code, name in PROVINCES}
    city = City.objects.create(code=CITY[0], name=CITY[1], province=provinces[CITY[2]])
    for (code, name), townships in COUNTIES.items():
        county = County.objects.create(code=code, name=name, city=city)
        Township.objects.bulk_create([Township(county=county, name=t) for t in townships])
    SkillLevel.objects.bulk_create(
        [SkillLevel(rank=rank, grade=grade, name=name) for rank, grade, name in SKILL_LEVELS]
    )
    for order, ((slug, name), occupations) in enumerate(OCCUPATIONS.items(), start=1):
        category = OccupationCategory.objects.create(slug=slug, name=name, order=order)
        Occupation.objects.bulk_create(
            [Occupation(category=category, name=o, code=code) for o, code in occupations]
        )


def unload(apps, schema_editor):
    for model in ("Occupation", "OccupationCategory", "SkillLevel", "Township", "County", "City", "Province"):
        apps.get_model("reference", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
