"""Alibaba Cloud SMS (阿里云短信服务): the Dysmsapi 2017-05-25 action SendSms through its documented HTTP
API, RPC style, signature version 1.0 — no SDK, the standard library only (docs/decisions.md, "Issue 15: SMS
gateway").

The request is a form POST to SMS_ENDPOINT carrying the common parameters (AccessKeyId, Action, Format,
RegionId, SignatureMethod, SignatureNonce, SignatureVersion, Timestamp, Version), the action's own
(PhoneNumbers, SignName, TemplateCode, TemplateParam) and Signature = Base64(HMAC-SHA1(secret + "&",
StringToSign)), where StringToSign = "POST&%2F&" + the percent-encoded canonical query (the parameters sorted
by name, names and values percent-encoded as RFC 3986 and Alibaba require: unreserved characters kept, space
as %20, `*` as %2A).

The answer: Code "OK" gives the BizId (the provider's id of the message). A code retrying cannot cure (a bad
number, template or signature, a blacklisted number, the account stopped) raises SmsError(permanent=True); a
throttle, a server error (5xx, isp.SYSTEM_ERROR), a timeout or a refused connection raises
SmsError(permanent=False) and the task tries again. Errors name Alibaba's code and message, never the number
or the parameters (a code's digits)."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import http.client
import json
import logging
import urllib.error
import urllib.request
import uuid
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from laborbrand.sms import Sms, SmsError
from laborbrand.sms.backends.base import BaseSmsBackend
from laborbrand.sms.templates import clip, template_id

logger = logging.getLogger("laborbrand.sms")

ACTION = "SendSms"
VERSION = "2017-05-25"
REGION_ID = "cn-hangzhou"  # Dysmsapi serves the mainland from this region whatever the caller's
METHOD = "POST"

# Codes that a later try may cure: throttles and the platform's own failures (HTTP 5xx is transient whatever
# the code). isv.BUSINESS_LIMIT_CONTROL is the per-number rate (one code a minute): the retry a minute later
# passes it. Every other code (isv.MOBILE_NUMBER_ILLEGAL, isv.SMS_TEMPLATE_ILLEGAL, isv.SMS_SIGNATURE_ILLEGAL,
# isv.INVALID_PARAMETERS, isv.BLACK_KEY_CONTROL_LIMIT, isv.OUT_OF_SERVICE, isv.DAY_LIMIT_CONTROL,
# SignatureDoesNotMatch, InvalidAccessKeyId.NotFound, ...) is permanent: the same request fails the same way.
TRANSIENT_CODES = frozenset(
    {
        "isv.BUSINESS_LIMIT_CONTROL",
        "isp.SYSTEM_ERROR",
        "isp.GATEWAY_ERROR",
        "SignatureNonceUsed",
        "ServiceUnavailable",
        "InternalError",
        "Throttling",
        "Throttling.User",
        "Throttling.Api",
        "Throttling.AllocationQuota",
    }
)


def percent_encode(value: str) -> str:
    """RFC 3986 percent-encoding of UTF-8, as Alibaba's signature requires: A-Z a-z 0-9 - _ . ~ kept,
    everything else (space, `*`, `/`, non-ASCII) as %XX."""
    return quote(value, safe="-_.~")


def canonical_query(params: dict[str, str]) -> str:
    """The parameters (Signature excluded) sorted by name, each `name=value` percent-encoded, joined by &."""
    return "&".join(
        f"{percent_encode(name)}={percent_encode(value)}"
        for name, value in sorted(params.items())
        if name != "Signature"
    )


def string_to_sign(method: str, params: dict[str, str]) -> str:
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical_query(params))}"


def signature(method: str, params: dict[str, str], secret: str) -> str:
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(method, params).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def is_transient(code: str) -> bool:
    return code in TRANSIENT_CODES or code.startswith(("Throttling", "isp.SYSTEM"))


class SmsBackend(BaseSmsBackend):
    def __init__(self):
        self.key_id = settings.SMS_ACCESS_KEY_ID
        self.secret = settings.SMS_ACCESS_KEY_SECRET
        if not self.key_id or not self.secret:
            raise ImproperlyConfigured(
                "The Alibaba Cloud SMS backend needs SMS_ACCESS_KEY_ID and SMS_ACCESS_KEY_SECRET in the "
                "environment."
            )
        if not settings.SMS_SIGN_NAME:
            raise ImproperlyConfigured("The Alibaba Cloud SMS backend needs SMS_SIGN_NAME.")
        self.endpoint = settings.SMS_ENDPOINT
        self.timeout = settings.SMS_TIMEOUT_SECONDS

    def params(self, message: Sms) -> dict[str, str]:
        """The request's parameters, signed."""
        if message.template not in settings.SMS_TEMPLATE_IDS:
            raise ImproperlyConfigured(
                f"SMS_TEMPLATE_IDS has no Alibaba Cloud template code for the template {message.template!r}."
            )
        params = {
            "AccessKeyId": self.key_id,
            "Action": ACTION,
            "Format": "JSON",
            "PhoneNumbers": message.phone,
            "RegionId": REGION_ID,
            "SignName": settings.SMS_SIGN_NAME,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": template_id(message.template),
            "Timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": VERSION,
        }
        if message.params:
            params["TemplateParam"] = json.dumps(
                {name: clip(value) for name, value in message.params.items()},
                ensure_ascii=False,
                separators=(",", ":"),
            )
        params["Signature"] = signature(METHOD, params, self.secret)
        return params

    def send(self, message: Sms) -> str:
        body = "&".join(
            f"{percent_encode(name)}={percent_encode(value)}" for name, value in self.params(message).items()
        ).encode()
        request = urllib.request.Request(  # noqa: S310 (the endpoint is a setting, never user input)
            self.endpoint,
            data=body,
            method=METHOD,
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:  # OSError: timeouts too
            reason = getattr(exc, "reason", exc)
            raise SmsError(f"Alibaba Cloud SMS unreachable: {reason!r}") from exc
        return self.answer(message, status, raw)

    def answer(self, message: Sms, status: int, raw: bytes) -> str:
        try:
            data = json.loads(raw.decode("utf-8"))
            code = str(data.get("Code", ""))
        except (ValueError, AttributeError):
            raise SmsError(f"Alibaba Cloud SMS answered HTTP {status} without JSON") from None
        if status == 200 and code == "OK":
            biz_id = str(data.get("BizId", ""))
            logger.info("SMS %s sent by Alibaba Cloud: BizId %s", message.template, biz_id)
            return biz_id
        text = self.scrub(message, f"Alibaba Cloud SMS HTTP {status} {code}: {data.get('Message', '')}")
        raise SmsError(text[:300], permanent=status < 500 and not is_transient(code))

    @staticmethod
    def scrub(message: Sms, text: str) -> str:
        """The provider's message without the number or the parameters (a code's digits), should it echo
        them."""
        values = [str(value) for value in message.params.values()]
        for secret in [message.phone, *values, *(clip(value) for value in values)]:
            if len(secret) >= 4:
                text = text.replace(secret, "***")
        return text
