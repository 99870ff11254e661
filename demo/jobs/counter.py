"""The service counter: official_a opened the account of a worker who came to 金寨县's counter without a
smartphone habit (陈桂兰, a home-care worker), then applied for her to an open home-care job in the county.
Both acts go through jobs.counter as at the counter; the demo reads the codes out for her (codes.issue), so
nothing waits for a phone."""

from __future__ import annotations

from jobs import counter
from jobs.models import CounterAct, JobPosting
from laborbrand.accounts import codes
from laborbrand.accounts.models import PhoneCode, User
from laborbrand.accounts.pii import id_number_check_character

PHONE = "13800000061"
REAL_NAME = "陈桂兰"
_ID_BODY = "34152419780612008"  # 金寨县, born 1978
ID_NUMBER = _ID_BODY + id_number_check_character(_ID_BODY)


def seed_counter() -> None:
    if CounterAct.objects.exists() or User.objects.by_phone(PHONE).exists():
        return
    official = User.objects.get(username="official_a")
    postings = JobPosting.objects.public().filter(county=official.county)
    posting = postings.filter(occupation__name__contains="家政").first() or postings.first()
    if posting is None:
        return
    _, code = codes.issue(
        phone=PHONE, purpose=PhoneCode.Purpose.COUNTER, subject=counter.registration_subject(ID_NUMBER)
    )
    worker = counter.worker_register_at_counter(
        staff=official,
        code=code,
        real_name=REAL_NAME,
        id_number=ID_NUMBER,
        phone=PHONE,
        home_county=official.county,
        desired_occupations=[posting.occupation],
    )
    _, code = codes.issue(
        phone=PHONE,
        purpose=PhoneCode.Purpose.ON_BEHALF,
        subject=counter.on_behalf_subject(posting=posting, worker=worker),
    )
    counter.apply_at_counter(staff=official, worker=worker, posting=posting, code=code)
