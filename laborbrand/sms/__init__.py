"""The SMS gateway: one message out through the backend the SMS_BACKEND setting names, as Django chooses its
e-mail backend (django.core.mail).

- `laborbrand.sms.backends.console.SmsBackend`: writes each message to the log (the embedded default, demo);
- `laborbrand.sms.backends.locmem.SmsBackend`: keeps them in `laborbrand.sms.outbox` (the tests);
- `laborbrand.sms.backends.aliyun.SmsBackend`: Alibaba Cloud SMS (阿里云短信服务, Dysmsapi SendSms).

A message names one of the portal's templates (templates.TEMPLATES) and its parameters; the provider sends the
text of the template registered with it under the id SMS_TEMPLATE_IDS gives, signed with SMS_SIGN_NAME. This
package knows nothing of users or the database: laborbrand/accounts/texting.py queues, holds and logs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

# Messages the locmem backend "sent", oldest first (cleared before each test, like mail.outbox).
outbox: list[Sms] = []


class SmsError(Exception):
    """The provider refused the message or could not be reached. `permanent`: retrying cannot help (a bad
    number, an unregistered template); otherwise the send may be retried."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Sms:
    phone: str  # 11 digits, normalised
    template: str  # a key of templates.TEMPLATES
    params: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The message as the recipient reads it (the registered template filled in), for the console and
        the tests; the provider renders its own copy of the same template."""
        from laborbrand.sms.templates import render

        return render(self.template, self.params)


def get_backend(path: str | None = None):
    return import_string(path or settings.SMS_BACKEND)()


def send(message: Sms) -> str:
    """Send one message; returns the provider's id for it. Raises SmsError."""
    return get_backend().send(message)
