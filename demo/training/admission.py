"""The demo institutions' admission applications: their evidence and each round of review, submitted and
decided through `training.services` and then spread over the past weeks."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from laborbrand.accounts.models import User
from laborbrand.reference.models import Occupation
from training.models import (
    AdmissionApplication,
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationReview,
    Institution,
)
from training.services.admission import (
    application_create,
    application_decide,
    application_start_review,
    application_submit,
    application_update,
    attachment_add,
)

Status = AdmissionApplication.Status
Decision = ApplicationReview.Decision
Verdict = ApplicationReview.Verdict
Criterion = ApplicationAttachment.Criterion

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

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


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _occupations(names: list[str]) -> list[Occupation]:
    occupations = list(Occupation.objects.filter(name__in=names))
    if len(occupations) != len(names):
        missing = set(names) - {o.name for o in occupations}
        raise LookupError(f"Demo institution occupations missing from the reference data: {sorted(missing)}")
    return occupations


def apply(institution: Institution, staff: User, admin: User, spec: dict) -> AdmissionApplication:
    today = timezone.localdate()
    application = application_create(
        institution=institution, occupations=_occupations(spec["occupations"]), **spec["fields"]
    )
    for criterion, name in spec["attachments"]:
        attachment_add(
            application=application,
            actor=staff,
            criterion=criterion,
            upload=pdf(name),
            content_type="application/pdf",
        )
    for round_spec in spec["rounds"]:
        application = application_submit(application=application, actor=staff)
        application = application_start_review(application=application, actor=admin)
        if round_spec["decision"] is None:
            break
        valid_years = round_spec.get("valid_years")
        application_decide(
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
            application = application_update(
                application=application,
                occupations=application.occupations.all(),
                **{**spec["fields"], **round_spec.get("revise", {})},
            )
            for criterion, name in round_spec.get("new_attachments", []):
                attachment_add(
                    application=application,
                    actor=staff,
                    criterion=criterion,
                    upload=pdf(name),
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
