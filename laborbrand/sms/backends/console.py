"""Writes every message to the log instead of sending it: the embedded default and the demo."""

from __future__ import annotations

import logging
import uuid

from laborbrand.sms import Sms
from laborbrand.sms.backends.base import BaseSmsBackend

logger = logging.getLogger("laborbrand.sms")


class SmsBackend(BaseSmsBackend):
    def send(self, message: Sms) -> str:
        # The demo must show the code to whoever tries it; the number is masked as everywhere in logs.
        logger.warning("SMS to %s: %s", message.phone[:3] + "****" + message.phone[-4:], message.text)
        return f"console-{uuid.uuid4().hex[:12]}"
