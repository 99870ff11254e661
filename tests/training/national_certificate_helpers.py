"""What the national-certificate tests share: a number as printed, the person it names, and recording one
through the service."""

import datetime

from django.utils import timezone

from tests import factories
from training.services.certificates import national_certificate_record

TODAY = timezone.localdate()
LAST_YEAR = TODAY - datetime.timedelta(days=365)
# A national skill-level certificate's number: S (a social evaluation body) and 21 digits.
NUMBER = "S000034000001232300012"
OTHER_NUMBER = "Y000134000002242400031"
NAME = "王秀兰"
ID_NUMBER = factories.make_id_number(901, birth="19880312")
BODY = "六安市职业技能等级认定中心"


def facts(**overrides) -> dict:
    """A national certificate as the services take it: NUMBER of 王秀兰, the first machining occupation at
    level rank 3, issued a year ago by BODY."""
    fields = {
        "real_name": NAME,
        "id_number": ID_NUMBER,
        "number": NUMBER,
        "occupation": factories.make_occupations(1)[0],
        "level": factories.make_level(3),
        "issued_on": LAST_YEAR,
        "evaluation_body": BODY,
    }
    fields.update(overrides)
    return fields


def record(actor, institution, **overrides):
    return national_certificate_record(actor=actor, institution=institution, **facts(**overrides))
