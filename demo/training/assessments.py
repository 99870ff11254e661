"""After the demo's completed programmes: the assessments of the trainees who passed, the certificates
they issue, and one certificate revoked."""

from __future__ import annotations

import datetime
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from demo.common import at
from demo.training.trainees import demo_worker
from laborbrand.accounts.models import User
from training.models import Assessment, Certificate, TrainingProgram
from training.services.certificates import assessment_record, certificate_revoke

PStatus = TrainingProgram.Status

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


def _assessment_scores(worker: User, program: TrainingProgram, passed: bool) -> tuple[Decimal, Decimal]:
    """Deterministic, plausible scores: both 62–96 for a pass; for a fail a practical score of 45–58."""
    seed = worker.pk * 7 + program.pk * 13
    theory = Decimal(62 + seed % 33) + Decimal("0.5") * (seed % 2)
    practical = Decimal(64 + (seed * 3) % 33) if passed else Decimal(45 + seed % 14)
    return theory, practical


def _assess_program(spec: dict, program: TrainingProgram, staff: User, today: datetime.date) -> None:
    assessed_on = min(program.end_date + timedelta(days=spec["after"]), today)
    skipped = {w.pk for w in map(demo_worker, spec.get("not_assessed", [])) if w}
    failed = {w.pk for w in map(demo_worker, spec.get("failed", [])) if w}
    passed_trainees = (
        program.enrollments.completed().filter(passed=True).select_related("worker").order_by("pk")
    )
    for enrollment in passed_trainees:
        worker = enrollment.worker
        if worker.pk in skipped:
            continue
        theory, practical = _assessment_scores(worker, program, passed=worker.pk not in failed)
        assessment = assessment_record(
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
        recorded = min(at(assessed_on, hour=17), timezone.now())
        Assessment.objects.filter(pk=assessment.pk).update(created=recorded)
    if "revoke" in spec:
        ref, reason = spec["revoke"]
        worker = demo_worker(ref)
        certificate = Certificate.objects.valid().filter(assessment__program=program, worker=worker).first()
        if certificate is not None:
            certificate_revoke(certificate=certificate, actor=staff, reason=reason)
            revoked = min(at(assessed_on + timedelta(days=2), hour=15), timezone.now())
            Certificate.objects.filter(pk=certificate.pk).update(revoked_at=revoked)


def seed_assessments() -> None:
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
