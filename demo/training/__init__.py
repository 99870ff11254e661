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
certificate. institution_a records three national certificates it issued as an evaluation body before the
portal, and the city bureau imports four from its list: their holders, trained elsewhere and not registered,
count as brand members. Sixteen ethics sessions of the past year, organised by the two demo counties, the
institutions and the city bureau, have their attendance recorded (most brand members attended one, not all);
one more is coming up.

An institution that already has an application is left exactly as it is, a county that already has
agreements gets no more, a programme that exists already (with its enrolments) is left alone, a programme
with assessments gets no more, and an ethics session whose topic exists already is not recorded again:
rerunning changes nothing.
"""

from __future__ import annotations

from demo.training.agreements import seed_agreements
from demo.training.assessments import seed_assessments
from demo.training.ethics import seed_ethics_sessions
from demo.training.institutions import seed_institutions
from demo.training.national_certificates import seed_national_certificates
from demo.training.programmes import seed_programmes
from training.models import Certificate, EthicsSession, Institution, TrainingProgram


def seed(ctx) -> str:
    seed_agreements(seed_institutions(ctx))
    seed_programmes(ctx)
    seed_assessments()
    seed_national_certificates()
    seed_ethics_sessions()
    return (
        f"{Institution.objects.count()} institutions, {TrainingProgram.objects.count()} programmes, "
        f"{Certificate.objects.count()} certificates "
        f"({Certificate.objects.exclude(source=Certificate.Source.PORTAL).count()} national), "
        f"{EthicsSession.objects.count()} ethics sessions"
    )
