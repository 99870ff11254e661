"""SMS backends for the tests of the sending rules: a provider that fails (SMS_BACKEND names one of these)."""

from laborbrand import sms
from laborbrand.sms.backends.base import BaseSmsBackend


class Unreachable(BaseSmsBackend):
    """A provider that never answers (a transient failure)."""

    def send(self, message):
        raise sms.SmsError("Alibaba Cloud SMS unreachable: TimeoutError('timed out')")


class Refusing(BaseSmsBackend):
    """A provider that refuses the number for good."""

    def send(self, message):
        raise sms.SmsError("Alibaba Cloud SMS HTTP 200 isv.MOBILE_NUMBER_ILLEGAL: 非法手机号", permanent=True)


class Broken(BaseSmsBackend):
    """A backend with a bug, or a configuration error, that echoes what it was given."""

    def send(self, message):
        raise RuntimeError(f"unexpected: {message.phone} {message.params}")
