"""The training app's records, one module per sub-domain: institutions, admission (applications, their files,
events and reviews), partner agreements, programmes and their enrolments, ethics sessions, assessments and
certificates; `scores` holds the pass rule class results and assessments share.

This package's interface: every model, and the helpers that go with them, is imported from `training.models`
(as Django, the migrations and the other apps do), not from the module that defines it."""

from training.models.admission import (
    AdmissionApplication,
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationReview,
    attachment_upload_to,
)
from training.models.agreements import (
    PartnerAgreement,
    agreement_upload_to,
    filing_deadline,
)
from training.models.certificates import (
    CERTIFICATE_NUMBER_RE,
    NATIONAL_NUMBER_MAX,
    NATIONAL_NUMBER_MIN,
    Assessment,
    Certificate,
    CertificateSerial,
    certificate_number,
    has_portal_shape,
    is_well_formed_certificate_number,
    is_well_formed_national_number,
    normalize_certificate_number,
    validate_national_certificate_number,
)
from training.models.ethics import EthicsAttendance, EthicsSession
from training.models.institutions import Institution
from training.models.programs import (
    Enrollment,
    ProgramEvent,
    TrainingProgram,
)
from training.models.scores import PASS_MARK, passes

__all__ = [
    "CERTIFICATE_NUMBER_RE",
    "NATIONAL_NUMBER_MAX",
    "NATIONAL_NUMBER_MIN",
    "PASS_MARK",
    "AdmissionApplication",
    "ApplicationAttachment",
    "ApplicationEvent",
    "ApplicationReview",
    "Assessment",
    "Certificate",
    "CertificateSerial",
    "Enrollment",
    "EthicsAttendance",
    "EthicsSession",
    "Institution",
    "PartnerAgreement",
    "ProgramEvent",
    "TrainingProgram",
    "agreement_upload_to",
    "attachment_upload_to",
    "certificate_number",
    "filing_deadline",
    "has_portal_shape",
    "is_well_formed_certificate_number",
    "is_well_formed_national_number",
    "normalize_certificate_number",
    "passes",
    "validate_national_certificate_number",
]
