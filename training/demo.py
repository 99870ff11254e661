"""Demo training institutions, their admission applications and the counties' partner agreements.

The city starts with eight institutions across its seven counties, in every state of admission: qualified
(some after a second round), under review, with changes requested, and rejected. Everything is done through
`training.services`, acting as the institution's staff, the city admin and the county officials, so that
events, reviews and notifications are the real ones; only the times are spread over the past weeks
afterwards, as if it had happened one step at a time.

Qualified institutions then run programmes for the public brands, in every state (completed with results,
running, enrolling, planned), with sixty demo trainees (not printed) applying and being accepted through the
services; worker_a has passed a completed programme and worker_b is in a running one.

After the completed programmes their institutions assess most of the passed trainees (a few fail, a few are
not assessed yet), which issues the certificates; one certificate is revoked. worker_a holds a valid
certificate. Sixteen ethics sessions of the past year, organised by the two demo counties, the institutions
and the city bureau, have their attendance recorded (most brand members attended one, not all); one more is
coming up.

An institution that already has an application is left exactly as it is, a county that already has
agreements gets no more, a programme that exists already (with its enrolments) is left alone, a programme
with assessments gets no more, and an ethics session whose topic exists already is not recorded again:
rerunning changes nothing.
"""

from __future__ import annotations

import datetime
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum.cn import uscc

from brands.models import Brand, BrandStandard
from laborbrand.accounts import pii
from laborbrand.accounts.demo import ensure_user
from laborbrand.accounts.models import User
from laborbrand.reference.models import County, Occupation, SkillLevel
from training import services
from training.models import (
    AdmissionApplication,
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationReview,
    Assessment,
    Certificate,
    Enrollment,
    EthicsAttendance,
    EthicsSession,
    Institution,
    PartnerAgreement,
    TrainingProgram,
    filing_deadline,
)

Status = AdmissionApplication.Status
Decision = ApplicationReview.Decision
Verdict = ApplicationReview.Verdict
Criterion = ApplicationAttachment.Criterion
Kind = Institution.Kind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _credit_code(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


# The two demo institution accounts (printed by seed_demo) and their institutions.
INSTITUTIONS = [
    (
        "institution_a",
        {
            "name": "金寨县职业技术学校",
            "kind": Kind.TECHNICAL_SCHOOL,
            "county": "341524",
            "credit_code": "12341524MB1A2B3C4A",
            "contact_name": "周明",
            "contact_phone": "0564-7012345",
            "address": "金寨县梅山镇",
        },
    ),
    (
        "institution_b",
        {
            "name": "霍山县家政服务培训中心",
            "kind": Kind.PRIVATE,
            "county": "341525",
            "credit_code": "52341525MJ00123455",
            "contact_name": "吴静",
            "contact_phone": "0564-5023456",
            "address": "霍山县衡山镇",
        },
    ),
]

# The other six institutions: staff accounts exist (so the applications are really submitted by the
# institution) but are not among the printed demo accounts.
MORE_INSTITUTIONS = [
    (
        "inst_3",
        {
            "name": "金安区机电职业技术学院",
            "kind": Kind.VOCATIONAL_COLLEGE,
            "county": "341502",
            "credit_code": _credit_code("12341502MB0K27351"),
            "contact_name": "方国庆",
            "contact_phone": "0564-3361024",
            "address": "金安区三十铺镇职教园",
        },
    ),
    (
        "inst_4",
        {
            "name": "裕安区巾帼家政职业培训学校",
            "kind": Kind.PRIVATE,
            "county": "341503",
            "credit_code": _credit_code("52341503MJ0R48612"),
            "contact_name": "何丽",
            "contact_phone": "0564-3318802",
            "address": "裕安区苏埠镇",
        },
    ),
    (
        "inst_5",
        {
            "name": "叶集区木业职业技能培训中心",
            "kind": Kind.ENTERPRISE_CENTRE,
            "county": "341504",
            "credit_code": _credit_code("91341504MA2T6N3Q8"),
            "contact_name": "邵文斌",
            "contact_phone": "0564-6625310",
            "address": "叶集区孙岗镇家居产业园",
        },
    ),
    (
        "inst_6",
        {
            "name": "霍邱县柳编电商职业培训学校",
            "kind": Kind.PRIVATE,
            "county": "341522",
            "credit_code": _credit_code("52341522MJ0W7C5H1"),
            "contact_name": "蒋红梅",
            "contact_phone": "0564-6078215",
            "address": "霍邱县临水镇",
        },
    ),
    (
        "inst_7",
        {
            "name": "舒城县杭埠电子产业实训中心",
            "kind": Kind.ENTERPRISE_CENTRE,
            "county": "341523",
            "credit_code": _credit_code("91341523MA2U8E1L3"),
            "contact_name": "汪海涛",
            "contact_phone": "0564-8702196",
            "address": "舒城县杭埠镇经济开发区",
        },
    ),
    (
        "inst_8",
        {
            "name": "霍山县技工学校",
            "kind": Kind.TECHNICAL_SCHOOL,
            "county": "341525",
            "credit_code": _credit_code("12341525MB0P5D2G6"),
            "contact_name": "储德发",
            "contact_phone": "0564-5029638",
            "address": "霍山县佛子岭镇",
        },
    ),
]

MEETS = {
    "faculty_verdict": Verdict.MEETS,
    "facilities_verdict": Verdict.MEETS,
    "employment_verdict": Verdict.MEETS,
}

# Per institution (by its staff user name): the application, its evidence, and the decisions of each round.
# A round's "decision" is None when the round is still waiting (under review); "revise" and
# "new_attachments" are what the institution changed before resubmitting.
APPLICATIONS = {
    "institution_a": {
        "days_ago": 75,
        "fields": {
            "teacher_count": 86,
            "double_qualified_share": 62,
            "senior_title_count": 21,
            "training_space_m2": 6800,
            "equipment": (
                "数控车床 24 台\n数控铣床 8 台\n加工中心 4 台\n家政实训室（含母婴护理、养老护理模拟间）3 间"
            ),
            "partner_employers": (
                "六安精工机械有限公司\n苏州长三角家政服务有限公司\n金寨县现代产业园装备制造企业 6 家"
            ),
            "placement_rate": 91,
        },
        "occupations": ["数控车工", "数控铣工", "家政服务员", "育婴员", "养老护理员"],
        "attachments": [
            (Criterion.FACULTY, "师资名册及双师型教师证明.pdf"),
            (Criterion.FACILITIES, "实训设备清单及场地照片.pdf"),
            (Criterion.EMPLOYMENT, "校企合作协议汇编.pdf"),
            (Criterion.OTHER, "办学许可证.pdf"),
        ],
        "rounds": [
            {
                "decision": Decision.APPROVE,
                **MEETS,
                "faculty_comment": "专任教师数量充足，双师型教师占比超过六成。",
                "facilities_comment": "数控实训基地设备齐全，家政实训室功能完整。",
                "employment_comment": "合作企业稳定，往届学员就业率较高。",
                "reason": "师资、实训条件和就业渠道均达到准入要求，同意准入，有效期三年。",
                "valid_years": 3,
            },
        ],
    },
    "institution_b": {
        "days_ago": 18,
        "fields": {
            "teacher_count": 9,
            "double_qualified_share": 22,
            "senior_title_count": 1,
            "training_space_m2": 260,
            "equipment": "家政实训模拟房 1 套\n保洁器具若干",
            "partner_employers": "霍山县内家政公司 2 家（意向）",
            "placement_rate": 64,
        },
        "occupations": ["家政服务员", "养老护理员", "保洁员"],
        "attachments": [
            (Criterion.FACULTY, "教师名单.pdf"),
            (Criterion.FACILITIES, "实训场地租赁合同.pdf"),
            (Criterion.EMPLOYMENT, "合作意向书.pdf"),
        ],
        "rounds": [
            {
                "decision": Decision.REQUEST_CHANGES,
                "faculty_verdict": Verdict.PARTLY,
                "faculty_comment": "双师型教师占比偏低，请补充教师职业资格证书或职业技能等级证书复印件。",
                "facilities_verdict": Verdict.PARTLY,
                "facilities_comment": "实训场地面积较小，请说明养老护理实训如何开展，并附场地照片。",
                "employment_verdict": Verdict.FAILS,
                "employment_comment": "仅有合作意向书，请补充正式签订的用工合作协议。",
                "reason": "申请材料不完整：请补充教师资质证明、实训场地照片和正式的用工合作协议后重新提交。",
            },
        ],
    },
    "inst_3": {
        "days_ago": 120,
        "fields": {
            "teacher_count": 164,
            "double_qualified_share": 71,
            "senior_title_count": 48,
            "training_space_m2": 15600,
            "equipment": "数控车床 40 台\n加工中心 12 台\n工业机器人工作站 6 套\n焊接实训工位 30 个",
            "partner_employers": "六安精工机械有限公司\n合肥、六安汽车零部件企业 14 家",
            "placement_rate": 95,
        },
        "occupations": ["数控车工", "钳工", "加工中心操作工", "焊工"],
        "attachments": [
            (Criterion.FACULTY, "教师队伍情况统计表.pdf"),
            (Criterion.FACILITIES, "实训基地设备台账.pdf"),
            (Criterion.EMPLOYMENT, "近三年毕业生就业统计.pdf"),
        ],
        "rounds": [
            {
                "decision": Decision.APPROVE,
                **MEETS,
                "faculty_comment": "",
                "facilities_comment": "实训设备数量和种类满足机械加工类工种培训需要。",
                "employment_comment": "",
                "reason": "各项条件均达到准入要求，同意准入。",
                "valid_years": 3,
            },
        ],
    },
    "inst_4": {
        "days_ago": 95,
        "fields": {
            "teacher_count": 14,
            "double_qualified_share": 35,
            "senior_title_count": 2,
            "training_space_m2": 520,
            "equipment": (
                "家政实训模拟房 2 套\n母婴护理模型 6 套\n收纳整理实训区 1 个\n竹编技艺实训工位 16 个\n"
                "电商直播实训室 1 间"
            ),
            "partner_employers": "苏州长三角家政服务有限公司\n六安市区家政企业 3 家",
            "placement_rate": 83,
        },
        # Besides domestic services, the district's own crafts and their online sales (its programmes).
        "occupations": ["家政服务员", "保洁员", "收纳整理师", "育婴员", "竹编工艺师", "电子商务师"],
        "attachments": [
            (Criterion.FACULTY, "教师名单及证书.pdf"),
            (Criterion.FACILITIES, "实训室照片.pdf"),
            (Criterion.EMPLOYMENT, "劳务输出合作协议.pdf"),
        ],
        "rounds": [
            {
                "decision": Decision.REQUEST_CHANGES,
                "faculty_verdict": Verdict.PARTLY,
                "faculty_comment": "育婴员工种的授课教师未见育婴员职业技能等级证书，请补充。",
                "facilities_verdict": Verdict.MEETS,
                "facilities_comment": "",
                "employment_verdict": Verdict.MEETS,
                "employment_comment": "",
                "reason": "请补充育婴员授课教师的资质证明后重新提交。",
                "revise": {"teacher_count": 16, "double_qualified_share": 44},
                "new_attachments": [(Criterion.FACULTY, "育婴员教师职业技能等级证书.pdf")],
            },
            {
                "decision": Decision.APPROVE,
                **MEETS,
                "faculty_comment": "已补充育婴员教师资质证明，符合要求。",
                "facilities_comment": "",
                "employment_comment": "",
                "reason": "补充材料后各项条件均达到要求，同意准入，有效期两年。",
                "valid_years": 2,
            },
        ],
    },
    "inst_5": {
        "days_ago": 30,
        "fields": {
            "teacher_count": 12,
            "double_qualified_share": 41,
            "senior_title_count": 2,
            "training_space_m2": 1800,
            "equipment": "木工机床 18 台\n雕刻实训工位 20 个\n除尘系统 1 套",
            "partner_employers": "叶集区家居产业园企业 9 家",
            "placement_rate": 88,
        },
        "occupations": ["手工木工", "工艺品雕刻工"],
        "attachments": [
            (Criterion.FACULTY, "培训师资一览表.pdf"),
            (Criterion.FACILITIES, "实训车间设备清单.pdf"),
            (Criterion.EMPLOYMENT, "园区企业用工协议.pdf"),
        ],
        "rounds": [
            {
                "decision": Decision.REQUEST_CHANGES,
                "faculty_verdict": Verdict.MEETS,
                "faculty_comment": "",
                "facilities_verdict": Verdict.PARTLY,
                "facilities_comment": "请补充木工实训车间的消防验收和粉尘防护证明材料。",
                "employment_verdict": Verdict.MEETS,
                "employment_comment": "",
                "reason": "实训场地安全材料缺失，请补充消防验收和粉尘防护证明后重新提交。",
                "new_attachments": [(Criterion.FACILITIES, "消防验收意见书及除尘系统检测报告.pdf")],
            },
            {"decision": None},
        ],
    },
    "inst_6": {
        "days_ago": 50,
        "fields": {
            "teacher_count": 4,
            "double_qualified_share": 0,
            "senior_title_count": 0,
            "training_space_m2": 90,
            "equipment": "直播设备 2 套",
            "partner_employers": "暂无",
            "placement_rate": 20,
        },
        "occupations": ["竹编工艺师", "电子商务师"],
        "attachments": [(Criterion.OTHER, "学校简介.pdf")],
        "rounds": [
            {
                "decision": Decision.REJECT,
                "faculty_verdict": Verdict.FAILS,
                "faculty_comment": "专职教师仅 4 人，无双师型教师，不能满足两个工种的教学需要。",
                "facilities_verdict": Verdict.FAILS,
                "facilities_comment": "无编织技艺实训场地，直播设备不足以开展电子商务师培训。",
                "employment_verdict": Verdict.FAILS,
                "employment_comment": "未落实合作用工单位，往届学员就业率低。",
                "reason": "师资、实训条件和就业渠道均未达到准入要求，不予准入。条件具备后可重新申请。",
            },
        ],
    },
    "inst_7": {
        "days_ago": 140,
        "fields": {
            "teacher_count": 38,
            "double_qualified_share": 68,
            "senior_title_count": 9,
            "training_space_m2": 4200,
            "equipment": "SMT 实训产线 2 条\n电子装配工位 60 个\n工业机器人实训工作站 8 套",
            "partner_employers": "杭埠经济开发区电子信息企业 20 家",
            "placement_rate": 93,
        },
        "occupations": ["电子设备装接工", "电子产品装调工", "工业机器人系统操作员"],
        "attachments": [
            (Criterion.FACULTY, "企业导师及专职教师名册.pdf"),
            (Criterion.FACILITIES, "产线实训设备照片.pdf"),
            (Criterion.EMPLOYMENT, "订单式培训协议.pdf"),
        ],
        "rounds": [
            {
                "decision": Decision.APPROVE,
                **MEETS,
                "faculty_comment": "企业导师实践经验丰富。",
                "facilities_comment": "真实产线实训，条件优越。",
                "employment_comment": "订单式培训，就业渠道稳定。",
                "reason": "条件优越，同意准入，有效期三年。",
                "valid_years": 3,
            },
        ],
    },
    "inst_8": {
        "days_ago": 110,
        "fields": {
            "teacher_count": 57,
            "double_qualified_share": 52,
            "senior_title_count": 13,
            "training_space_m2": 3900,
            "equipment": "茶叶加工生产线 2 条\n茶艺实训室 4 间\n石斛组培实验室 1 间",
            "partner_employers": "霍山县茶企 11 家\n石斛种植合作社 5 家\n长三角城市茶空间 4 家",
            "placement_rate": 86,
        },
        "occupations": ["茶艺师", "茶叶加工工", "农业技术员"],
        "attachments": [
            (Criterion.FACULTY, "师资情况说明.pdf"),
            (Criterion.FACILITIES, "茶叶加工实训基地照片.pdf"),
            (Criterion.EMPLOYMENT, "茶企用工合作协议.pdf"),
            (Criterion.OTHER, "学校年度办学报告.pdf"),
        ],
        "rounds": [
            {
                "decision": Decision.APPROVE,
                **MEETS,
                "faculty_comment": "",
                "facilities_comment": "茶叶加工和茶艺实训条件完备。",
                "employment_comment": "",
                "reason": "达到准入要求，同意准入，有效期一年，期满前请重新申请。",
                "valid_years": 1,
            },
        ],
    },
}

# Partner agreements of the two demo counties, recorded by their officials. "late" means filed after the
# year's filing deadline.
AGREEMENTS = {
    "341524": [
        {"institution": "institution_a", "brands": ["金寨红嫂家政"], "late": False},
    ],
    "341525": [
        {"institution": "inst_8", "brands": ["霍山黄芽茶艺师"], "late": False},
        {"institution": "inst_8", "brands": ["霍山石斛种植技工"], "late": True},
    ],
}
OFFICIALS = {"341524": "official_a", "341525": "official_b"}


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _occupations(names: list[str]) -> list[Occupation]:
    occupations = list(Occupation.objects.filter(name__in=names))
    if len(occupations) != len(names):
        missing = set(names) - {o.name for o in occupations}
        raise LookupError(f"Demo institution occupations missing from the reference data: {sorted(missing)}")
    return occupations


def _institution(ctx, username: str, spec: dict, *, listed: bool) -> tuple[Institution, User]:
    spec = {**spec, "county": County.objects.get(code=spec["county"])}
    fields = {
        "role": User.Role.INSTITUTION_STAFF,
        "real_name": spec["contact_name"],
        "email": f"{username}@example.com",
    }
    user, _ = ensure_user(ctx, username=username, listed=listed, **fields)
    institution, _created = Institution.objects.get_or_create(credit_code=spec["credit_code"], defaults=spec)
    institution.staff.add(user)
    return institution, user


def _apply(institution: Institution, staff: User, admin: User, spec: dict) -> AdmissionApplication:
    today = timezone.localdate()
    application = services.application_create(
        institution=institution, occupations=_occupations(spec["occupations"]), **spec["fields"]
    )
    for criterion, name in spec["attachments"]:
        services.attachment_add(
            application=application,
            actor=staff,
            criterion=criterion,
            upload=_pdf(name),
            content_type="application/pdf",
        )
    for round_spec in spec["rounds"]:
        application = services.application_submit(application=application, actor=staff)
        application = services.application_start_review(application=application, actor=admin)
        if round_spec["decision"] is None:
            break
        valid_years = round_spec.get("valid_years")
        services.application_decide(
            application=application,
            actor=admin,
            decision=round_spec["decision"],
            reason=round_spec["reason"],
            faculty_verdict=round_spec["faculty_verdict"],
            faculty_comment=round_spec["faculty_comment"],
            facilities_verdict=round_spec["facilities_verdict"],
            facilities_comment=round_spec["facilities_comment"],
            employment_verdict=round_spec["employment_verdict"],
            employment_comment=round_spec["employment_comment"],
            qualified_until=today + timedelta(days=365 * valid_years) if valid_years else None,
        )
        application.refresh_from_db()
        if "revise" in round_spec or "new_attachments" in round_spec:
            application = services.application_update(
                application=application,
                occupations=application.occupations.all(),
                **{**spec["fields"], **round_spec.get("revise", {})},
            )
            for criterion, name in round_spec.get("new_attachments", []):
                services.attachment_add(
                    application=application,
                    actor=staff,
                    criterion=criterion,
                    upload=_pdf(name),
                    content_type="application/pdf",
                )
    _spread_over_time(application, days_ago=spec["days_ago"])
    return application


def _spread_over_time(application: AdmissionApplication, *, days_ago: int) -> None:
    """Move the application's times from "all just now" to one step every few days, ending in the past."""
    now = timezone.now().replace(second=0, microsecond=0)
    start = now - timedelta(days=days_ago)
    events = list(application.events.order_by("pk"))
    gap = min(timedelta(days=4), (now - start) / (len(events) + 1))
    times = {}
    for i, event in enumerate(events, start=1):
        times[event.pk] = start + gap * i - timedelta(hours=i % 3, minutes=17 * i % 60)
        ApplicationEvent.objects.filter(pk=event.pk).update(created=times[event.pk])
    submissions = [times[e.pk] for e in events if e.new_status == Status.SUBMITTED]
    decisions = [
        times[e.pk]
        for e in events
        if e.new_status in (Status.APPROVED, Status.REJECTED, Status.CHANGES_REQUESTED)
    ]
    for review, when in zip(application.reviews.order_by("round"), decisions, strict=False):
        ApplicationReview.objects.filter(pk=review.pk).update(created=when)
    for attachment in application.attachments.all():
        submitted = submissions[min(attachment.round, len(submissions)) - 1]
        ApplicationAttachment.objects.filter(pk=attachment.pk).update(
            uploaded_at=submitted - timedelta(hours=5)
        )
    AdmissionApplication.objects.filter(pk=application.pk).update(
        created=start - timedelta(days=2),
        submitted_at=submissions[-1],
        decided_at=decisions[-1] if application.decided_at else None,
    )


def _agreement_dates(late: bool, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Signing and filing dates before today: on time in this year, or late (filed after the deadline) in
    this year when its deadline has passed, else in the last."""
    deadline = filing_deadline(today.year)
    if not late:
        signed = max(datetime.date(today.year, 1, 1), min(deadline, today) - timedelta(days=75))
        return signed, min(signed + timedelta(days=12), today)
    if today <= deadline:
        deadline = filing_deadline(today.year - 1)
    signed = deadline - timedelta(days=10)
    return signed, min(deadline + timedelta(days=21), today)


def _agreements(institutions: dict[str, Institution]) -> None:
    today = timezone.localdate()
    for county_code, specs in AGREEMENTS.items():
        official = User.objects.get(username=OFFICIALS[county_code])
        if PartnerAgreement.objects.filter(county=official.county).exists():
            continue
        for spec in specs:
            institution = institutions.get(spec["institution"])
            brands = list(Brand.objects.public().in_county(official.county).filter(name__in=spec["brands"]))
            if institution is None or not institution.is_qualified or not brands:
                continue
            signed_on, filed_on = _agreement_dates(spec["late"], today)
            services.agreement_record(
                actor=official,
                institution=institution,
                brands=brands,
                signed_on=signed_on,
                filed_on=filed_on,
                document=_pdf("agreement.pdf"),
            )


def seed(ctx) -> str:
    admin = User.objects.get(username="city_admin")
    institutions = {}
    for listed, items in ((True, INSTITUTIONS), (False, MORE_INSTITUTIONS)):
        for username, spec in items:
            institution, staff = _institution(ctx, username, spec, listed=listed)
            institutions[username] = institution
            if not institution.applications.exists():
                _apply(institution, staff, admin, APPLICATIONS[username])
    for institution in institutions.values():
        institution.refresh_from_db()
    _agreements(institutions)
    _programs(ctx)
    _assessments()
    _ethics_sessions()
    return (
        f"{Institution.objects.count()} institutions, {TrainingProgram.objects.count()} programmes, "
        f"{Certificate.objects.count()} certificates, {EthicsSession.objects.count()} ethics sessions"
    )


# --- Programmes and trainees ------------------------------------------------------------------------------

# Sixty demo trainees (user names trainee_01 … trainee_60; not printed): 1–34 women, 35–60 men, each with
# the county (of their ID number) they come from.
TRAINEE_NAMES = [
    # women
    ("王秀兰", "341503"),
    ("李桂芳", "341503"),
    ("张玉梅", "341503"),
    ("刘春燕", "341503"),
    ("陈小红", "341503"),
    ("杨丽娟", "341503"),
    ("黄翠英", "341503"),
    ("赵金凤", "341503"),
    ("周美玲", "341503"),
    ("吴晓静", "341503"),
    ("徐淑珍", "341502"),
    ("孙海燕", "341502"),
    ("胡月娥", "341503"),
    ("朱慧敏", "341503"),
    ("高红霞", "341503"),
    ("林巧云", "341503"),
    ("何素琴", "341524"),
    ("郭丽萍", "341524"),
    ("马晓燕", "341524"),
    ("罗桂香", "341524"),
    ("梁雪梅", "341525"),
    ("宋佳慧", "341525"),
    ("郑兰英", "341525"),
    ("谢雨欣", "341525"),
    ("韩凤霞", "341522"),
    ("唐秀云", "341522"),
    ("冯爱华", "341522"),
    ("于晓莉", "341522"),
    ("董春梅", "341522"),
    ("萧玉兰", "341522"),
    ("程慧芳", "341524"),
    ("曹丽华", "341524"),
    ("袁小琴", "341524"),
    ("邓桂兰", "341524"),
    # men
    ("许建华", "341524"),
    ("傅志刚", "341524"),
    ("沈国强", "341524"),
    ("曾海波", "341524"),
    ("彭家俊", "341523"),
    ("吕文军", "341523"),
    ("苏宏伟", "341523"),
    ("卢晓东", "341523"),
    ("蒋德胜", "341523"),
    ("蔡俊杰", "341523"),
    ("贾永生", "341523"),
    ("丁明亮", "341523"),
    ("魏长青", "341525"),
    ("薛立新", "341525"),
    ("叶成林", "341525"),
    ("阎振宇", "341525"),
    ("余国华", "341502"),
    ("潘志强", "341502"),
    ("杜鹏飞", "341502"),
    ("戴宇航", "341502"),
    ("夏子豪", "341502"),
    ("钟浩然", "341502"),
    ("汪世杰", "341502"),
    ("田文博", "341502"),
    ("任俊峰", "341523"),
    ("姜天佑", "341523"),
]
FIRST_MAN = 35


def _trainee_username(n: int) -> str:
    return f"trainee_{n:02d}"


def _trainee_id_number(n: int, region: str) -> str:
    """A valid 18-digit ID number: born 2000–2006, with the sex digit odd for men and even for women."""
    birth = datetime.date(2000, 1, 3) + timedelta(days=(n * 139) % 2550)
    sex_digit = (2 * (n % 5) + 1) if n >= FIRST_MAN else 2 * (n % 5)
    body = f"{region}{birth:%Y%m%d}{n:02d}{sex_digit}"
    return pii.validate_id_number(body + pii.id_number_check_character(body))


def _trainees(ctx) -> dict[int, User]:
    trainees = {}
    for n, (name, region) in enumerate(TRAINEE_NAMES, start=1):
        username = _trainee_username(n)
        trainees[n], _ = ensure_user(
            ctx,
            username=username,
            listed=False,
            role=User.Role.WORKER,
            real_name=name,
            phone=f"137000000{n:02d}",
            id_number=_trainee_id_number(n, region),
            privacy_consent=True,
        )
    return trainees


PStatus = TrainingProgram.Status

# The programmes, by the staff user name of the institution running them. Dates are relative to today:
# a completed programme gives "end" (days ago) and is exactly "months" long; the others give "start" (days
# from today, negative when it has started). Trainees are numbers of TRAINEE_NAMES or the demo workers:
# "accepted" take a place, "applied" are still waiting; "failed" (of the accepted) did not pass.
# The hours and levels meet each brand's measurable standards (months, practical share, certificate level).
PROGRAMS = [
    {
        "institution": "inst_4",
        "brand": "裕安家政服务",
        "occupation": "家政服务员",
        "rank": 1,
        "issue": 1,
        "status": PStatus.COMPLETED,
        "end": 7,
        "months": 1,
        "hours": (40, 80, 40),
        "capacity": 60,
        "place": "裕安区苏埠镇社区综合服务中心",
        "accepted": list(range(1, 17)),
        "failed": [7],
    },
    {
        "institution": "institution_a",
        "brand": "金寨红嫂家政",
        "occupation": "养老护理员",
        "rank": 2,
        "issue": 2,
        "status": PStatus.COMPLETED,
        "end": 2,
        "months": 2,
        "hours": (96, 144, 80),
        "capacity": 40,
        "place": "金寨县梅山镇金寨县职业技术学校养老护理实训室",
        "accepted": [17, 18, 19, 20, 35, 36, 37, 38],
        "failed": [37],
    },
    {
        "institution": "inst_7",
        "brand": "舒城电子装配工",
        "occupation": "电子设备装接工",
        "rank": 2,
        "issue": 2,
        "status": PStatus.COMPLETED,
        "end": 30,
        "months": 3,
        "hours": (140, 220, 120),
        "capacity": 40,
        "place": "舒城县杭埠镇经济开发区电子产业实训中心SMT实训车间",
        "accepted": ["worker_a", 39, 40, 41, 42, 43, 44, 45, 46],
        "failed": [],
    },
    {
        "institution": "inst_8",
        "brand": "霍山黄芽茶艺师",
        "occupation": "茶叶加工工",
        "rank": 3,
        "issue": 1,
        "status": PStatus.COMPLETED,
        "end": 35,
        "months": 2,
        "hours": (80, 160, 80),
        "capacity": 30,
        "place": "霍山县佛子岭镇霍山县技工学校茶叶加工实训基地",
        "accepted": [47, 48, 49, 50, 21, 22, 23, 24],
        "failed": [],
    },
    {
        "institution": "inst_3",
        "brand": "金安机械加工",
        "occupation": "数控车工",
        "rank": 2,
        "issue": 1,
        "status": PStatus.RUNNING,
        "start": -40,
        "months": 3,
        "hours": (150, 240, 90),
        "capacity": 45,
        "place": "金安区三十铺镇职教园金安区机电职业技术学院数控实训中心",
        "accepted": [51, 52, 53, 54, 55, 56, 57, 58],
    },
    {
        "institution": "inst_4",
        "brand": "霍邱柳编匠人",
        "occupation": "电子商务师",
        "rank": 2,
        "issue": 1,
        "status": PStatus.RUNNING,
        "start": -12,
        "months": 2,
        "hours": (64, 96, 32),
        "capacity": 30,
        "place": "霍邱县临水镇柳编产业园电商直播基地",
        "accepted": [25, 26, 27, 28, 29, 30],
    },
    {
        "institution": "inst_7",
        "brand": "舒城电子装配工",
        "occupation": "工业机器人系统操作员",
        "rank": 3,
        "issue": 1,
        "status": PStatus.RUNNING,
        "start": -3,
        "months": 4,
        "hours": (160, 320, 160),
        "capacity": 30,
        "place": "舒城县杭埠镇经济开发区合作企业智能产线",
        "accepted": [39, 40, 41, 42, 59, 60],
    },
    {
        "institution": "institution_a",
        "brand": "金寨红嫂家政",
        "occupation": "育婴员",
        "rank": 2,
        "issue": 3,
        "status": PStatus.RUNNING,
        "start": -25,
        "months": 2,
        "hours": (120, 120, 80),
        "capacity": 50,
        "place": "金寨县梅山镇金寨县职业技术学校母婴护理实训室",
        "accepted": [31, 32, 33, 34, 21, 22],
    },
    {
        "institution": "inst_8",
        "brand": "霍山黄芽茶艺师",
        "occupation": "茶艺师",
        "rank": 3,
        "issue": 2,
        "status": PStatus.RUNNING,
        "start": -30,
        "months": 3,
        "hours": (120, 200, 80),
        "capacity": 30,
        "place": "霍山县衡山镇霍山县技工学校茶艺实训室",
        "accepted": ["worker_b", 23, 24, 47, 48],
    },
    {
        "institution": "inst_8",
        "brand": "霍山石斛种植技工",
        "occupation": "农业技术员",
        "rank": 2,
        "issue": 1,
        "status": PStatus.RUNNING,
        "start": -20,
        "months": 3,
        "hours": (100, 160, 120),
        "capacity": 30,
        "place": "霍山县太平畈乡石斛种植基地",
        "accepted": [49, 50, 43, 44],
    },
    {
        "institution": "inst_3",
        "brand": "金安机械加工",
        "occupation": "钳工",
        "rank": 2,
        "issue": 1,
        "status": PStatus.ENROLLING,
        "start": 20,
        "months": 3,
        "hours": (150, 230, 100),
        "capacity": 40,
        "place": "金安区三十铺镇职教园金安区机电职业技术学院钳工实训车间",
        "accepted": [45, 46],
        "applied": [35, 36],
    },
    {
        "institution": "inst_4",
        "brand": "裕安家政服务",
        "occupation": "收纳整理师",
        "rank": 1,
        "issue": 1,
        "status": PStatus.ENROLLING,
        "start": 15,
        "months": 2,
        "hours": (48, 96, 48),
        "capacity": 40,
        "place": "裕安区巾帼家政职业培训学校收纳整理实训区",
        "accepted": [3, 4, 5],
        "applied": [6],
    },
    {
        "institution": "inst_4",
        "brand": "霍邱柳编匠人",
        "occupation": "竹编工艺师",
        "rank": 2,
        "issue": 2,
        "status": PStatus.ENROLLING,
        "start": 25,
        "months": 2,
        "hours": (48, 144, 48),
        "capacity": 50,
        "place": "霍邱县临水镇柳编技艺传习所",
        "accepted": [8, 9],
        "applied": [10],
    },
    {
        "institution": "inst_7",
        "brand": "舒城电子装配工",
        "occupation": "电子产品装调工",
        "rank": 2,
        "issue": 3,
        "status": PStatus.ENROLLING,
        "start": 14,
        "months": 3,
        "hours": (140, 220, 120),
        "capacity": 40,
        "place": "舒城县杭埠镇经济开发区电子产业实训中心",
        "accepted": [38],
        "applied": [37],
    },
    {
        "institution": "institution_a",
        "brand": "金寨红嫂家政",
        "occupation": "家政服务员",
        "rank": 2,
        "issue": 4,
        "status": PStatus.ENROLLING,
        "start": 12,
        "months": 2,
        "hours": (96, 144, 80),
        "capacity": 50,
        "place": "金寨县梅山镇金寨县职业技术学校家政实训室",
        "accepted": [17, 18],
        "applied": [19, 11],
    },
    {
        "institution": "inst_3",
        "brand": "金安机械加工",
        "occupation": "加工中心操作工",
        "rank": 3,
        "issue": 1,
        "status": PStatus.PLANNED,
        "start": 75,
        "months": 4,
        "hours": (180, 320, 140),
        "capacity": 30,
        "place": "金安区三十铺镇职教园金安区机电职业技术学院加工中心实训车间",
    },
]

# The order a programme moves in; a programme is moved up to its demo status.
PROGRAM_STEPS = [PStatus.PLANNED, PStatus.ENROLLING, PStatus.RUNNING, PStatus.COMPLETED]


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _program_dates(spec: dict, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Start and end, exactly spec["months"] whole months apart (end inclusive)."""
    if "end" in spec:
        end = today - timedelta(days=spec["end"])
        return _add_months(end + timedelta(days=1), -spec["months"]), end
    start = today + timedelta(days=spec["start"])
    return start, _add_months(start, spec["months"]) - timedelta(days=1)


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _program_title(spec: dict, level: SkillLevel, start: datetime.date) -> str:
    return f"{spec['brand']} {spec['occupation']}（{level.grade}）培训班 {start.year}年第{spec['issue']}期"


def _existing_program(spec: dict, institution: Institution, brand: Brand, title: str):
    """The demo programme if it exists: by title, or (should the dates have moved into another year since it
    was seeded) by its institution, brand, occupation and issue number."""
    return (
        TrainingProgram.objects.filter(title=title).first()
        or TrainingProgram.objects.filter(
            institution=institution,
            brand=brand,
            occupation__name=spec["occupation"],
            title__endswith=f"年第{spec['issue']}期",
        ).first()
    )


def _scores(program: TrainingProgram, enrollments: list[Enrollment], failed: set[int]) -> dict:
    """Deterministic, plausible theory and practical scores: both 60–98 for a pass; for a fail a practical
    score of 50–59."""
    results = {}
    for enrollment in enrollments:
        seed = (enrollment.worker_id * 37 + program.pk * 11) % 100
        theory = Decimal(60 + seed % 39) + Decimal(seed % 2 * 5) / 10
        failing = enrollment.worker_id in failed
        practical = Decimal(50 + seed % 10) if failing else Decimal(62 + (seed * 7) % 37)
        results[enrollment.pk] = (min(theory, Decimal("98.0")), practical)
    return results


def _ethics_hours(brand: Brand) -> int:
    """The brand's minimum of professional-ethics hours, else a day of them (8)."""
    standard = brand.standards.filter(measure=BrandStandard.Measure.MIN_ETHICS_HOURS).first()
    return standard.target if standard else 8


def _program(spec: dict, *, institutions, trainees, today) -> None:
    institution = institutions[spec["institution"]]
    brand = Brand.objects.public().get(name=spec["brand"])
    level = SkillLevel.objects.get(rank=spec["rank"])
    start, end = _program_dates(spec, today)
    title = _program_title(spec, level, start)
    if _existing_program(spec, institution, brand, title) is not None:
        return
    theory, practical, practice = spec["hours"]
    staff = User.objects.get(username=spec["institution"])
    program = services.program_create(
        institution=institution,
        brand=brand,
        occupation=brand.occupations.get(name=spec["occupation"]),
        target_level=level,
        title=title,
        theory_hours=theory,
        ethics_hours=_ethics_hours(brand),
        practical_hours=practical,
        practice_hours=practice,
        start_date=start,
        end_date=end,
        capacity=spec["capacity"],
        place=spec["place"],
    )
    created = _at(min(start - timedelta(days=30), today - timedelta(days=3)), hour=10)
    TrainingProgram.objects.filter(pk=program.pk).update(created=created)

    def worker(ref) -> User:
        return User.objects.get(username=ref) if isinstance(ref, str) else trainees[ref]

    steps = PROGRAM_STEPS[1 : PROGRAM_STEPS.index(spec["status"]) + 1]
    if PStatus.ENROLLING in steps:
        program = services.program_advance(program=program, to=PStatus.ENROLLING, actor=staff)
        for i, ref in enumerate([*spec.get("accepted", []), *spec.get("applied", [])]):
            person = worker(ref)
            if program.enrollments.filter(worker=person).exists():
                continue
            enrollment = services.enrollment_apply(program=program, worker=person)
            if ref in spec.get("accepted", []):
                services.enrollment_accept(enrollment=enrollment)
            applied = min(created + timedelta(days=3 + i % 9, hours=i % 7), timezone.now())
            Enrollment.objects.filter(pk=enrollment.pk).update(applied_at=applied)
    for step in steps[1:]:
        program = services.program_advance(program=program, to=step, actor=staff)
    if spec["status"] == PStatus.COMPLETED:
        failed = {worker(ref).pk for ref in spec.get("failed", [])}
        enrollments = list(program.enrollments.taking_a_place())
        services.results_record(program=program, results=_scores(program, enrollments, failed))
        completed = min(_at(end + timedelta(days=1), hour=16), timezone.now())
        program.enrollments.completed().update(completed_at=completed)


def _programs(ctx) -> None:
    today = timezone.localdate()
    institutions = {
        username: Institution.objects.get(staff__username=username)
        for username in {spec["institution"] for spec in PROGRAMS}
    }
    trainees = _trainees(ctx)
    for spec in PROGRAMS:
        if institutions[spec["institution"]].is_qualified:
            _program(spec, institutions=institutions, trainees=trainees, today=today)


# --- Assessments and certificates -------------------------------------------------------------------------

# After each completed programme its institution assesses the trainees who passed it, at the programme's
# occupation and level, "after" days after the programme ended (never later than today). Trainees are
# numbers of TRAINEE_NAMES or the demo workers: "not_assessed" are waiting for a later date, "failed" score
# below the pass mark. "revoke" names a trainee whose certificate the institution revokes, with the reason.
# The figures land near the city's 80 % target: most members of each brand hold a valid certificate, not all.
ASSESSMENTS = [
    {
        "institution": "inst_4",
        "brand": "裕安家政服务",
        "occupation": "家政服务员",
        "after": 4,
        "not_assessed": [16],
        "failed": [12],
        "revoke": (9, "证书信息与本人身份不符，经核查予以撤销。"),
    },
    {
        "institution": "institution_a",
        "brand": "金寨红嫂家政",
        "occupation": "养老护理员",
        "after": 1,
        # The first group was assessed the day after the programme ended; the others are still to come.
        "not_assessed": [20, 36, 38],
        "failed": [19],
    },
    {
        "institution": "inst_7",
        "brand": "舒城电子装配工",
        "occupation": "电子设备装接工",
        "after": 12,
        "failed": [43, 46],
    },
    {
        "institution": "inst_8",
        "brand": "霍山黄芽茶艺师",
        "occupation": "茶叶加工工",
        "after": 10,
        "not_assessed": [24],
        "failed": [49],
    },
]


def _demo_worker(ref: int | str) -> User | None:
    """A demo worker by user name, or a demo trainee by number."""
    return User.objects.filter(username=ref if isinstance(ref, str) else _trainee_username(ref)).first()


def _assessment_scores(worker: User, program: TrainingProgram, passed: bool) -> tuple[Decimal, Decimal]:
    """Deterministic, plausible scores: both 62–96 for a pass; for a fail a practical score of 45–58."""
    seed = worker.pk * 7 + program.pk * 13
    theory = Decimal(62 + seed % 33) + Decimal("0.5") * (seed % 2)
    practical = Decimal(64 + (seed * 3) % 33) if passed else Decimal(45 + seed % 14)
    return theory, practical


def _assess_program(spec: dict, program: TrainingProgram, staff: User, today: datetime.date) -> None:
    assessed_on = min(program.end_date + timedelta(days=spec["after"]), today)
    skipped = {w.pk for w in map(_demo_worker, spec.get("not_assessed", [])) if w}
    failed = {w.pk for w in map(_demo_worker, spec.get("failed", [])) if w}
    passed_trainees = (
        program.enrollments.completed().filter(passed=True).select_related("worker").order_by("pk")
    )
    for enrollment in passed_trainees:
        worker = enrollment.worker
        if worker.pk in skipped:
            continue
        theory, practical = _assessment_scores(worker, program, passed=worker.pk not in failed)
        assessment = services.assessment_record(
            institution=program.institution,
            actor=staff,
            worker=worker,
            occupation=program.occupation,
            level=program.target_level,
            assessed_on=assessed_on,
            theory_score=theory,
            practical_score=practical,
            program=program,
        )
        recorded = min(_at(assessed_on, hour=17), timezone.now())
        Assessment.objects.filter(pk=assessment.pk).update(created=recorded)
    if "revoke" in spec:
        ref, reason = spec["revoke"]
        worker = _demo_worker(ref)
        certificate = Certificate.objects.valid().filter(assessment__program=program, worker=worker).first()
        if certificate is not None:
            services.certificate_revoke(certificate=certificate, actor=staff, reason=reason)
            revoked = min(_at(assessed_on + timedelta(days=2), hour=15), timezone.now())
            Certificate.objects.filter(pk=certificate.pk).update(revoked_at=revoked)


def _assessments() -> None:
    today = timezone.localdate()
    for spec in ASSESSMENTS:
        staff = User.objects.get(username=spec["institution"])
        program = (
            TrainingProgram.objects.filter(
                institution__staff=staff,
                brand__name=spec["brand"],
                occupation__name=spec["occupation"],
                status=PStatus.COMPLETED,
            )
            .select_related("institution", "occupation", "target_level")
            .first()
        )
        if program is None or not program.institution.is_qualified or program.assessments.exists():
            continue
        _assess_program(spec, program, staff, today)


# --- Ethics sessions --------------------------------------------------------------------------------------

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


def _ethics_sessions() -> None:
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
        session = services.ethics_session_create(
            actor=actor,
            brands=brands,
            held_on=held_on,
            topic=spec["topic"],
            speaker=spec["speaker"],
            speaker_title=spec["speaker_title"],
            place=spec["place"],
            hours=Decimal(spec["hours"]),
        )
        recorded = min(_at(held_on - timedelta(days=14), hour=10), now - timedelta(days=2))
        EthicsSession.objects.filter(pk=session.pk).update(created=recorded)
        attendees = [w for w in map(_demo_worker, spec["attendees"]) if w is not None]
        if attendees and held_on <= today:
            services.ethics_attendance_add(session=session, workers=attendees)
            noted = min(_at(held_on + timedelta(days=1), hour=16), now)
            EthicsAttendance.objects.filter(session=session).update(recorded_at=noted)
