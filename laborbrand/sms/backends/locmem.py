"""Keeps every message in laborbrand.sms.outbox: the tests read what was sent."""

from __future__ import annotations

from laborbrand import sms
from laborbrand.sms.backends.base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def send(self, message: sms.Sms) -> str:
        sms.outbox.append(message)
        return f"locmem-{len(sms.outbox)}"
