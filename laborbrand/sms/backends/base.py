from __future__ import annotations

from laborbrand.sms import Sms


class BaseSmsBackend:
    def send(self, message: Sms) -> str:
        """Send one message and return the provider's id for it, or raise laborbrand.sms.SmsError."""
        raise NotImplementedError
