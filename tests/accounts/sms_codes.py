"""What the tests of SMS codes share: a clock that stands still (and moves when told), the code in the last
text message, texts sent at once (not after a commit the test never makes) and the image challenge."""

from __future__ import annotations

import datetime
import re

from laborbrand import sms

# Inside the day (10:00 city time), so nothing waits for the end of the quiet hours.
START = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


class Clock:
    def __init__(self, now: datetime.datetime):
        self.now = now

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += datetime.timedelta(seconds=seconds)


PASSED = {"captcha_0": "test", "captcha_1": "PASSED"}


def last_code(phone: str | None = None) -> str:
    """The code in the newest text message (to `phone`, when given)."""
    message = next(m for m in reversed(sms.outbox) if phone is None or m.phone == phone)
    return re.search(r"\d{6}", message.text).group()


def other_than(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def real_captcha_answer(html: str) -> dict[str, str]:
    """The answer a person would type, read from the challenge the page holds (CaptchaStore)."""
    from captcha.models import CaptchaStore

    key = re.search(r'name="captcha_0" value="([^"]+)"', html).group(1)
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}
