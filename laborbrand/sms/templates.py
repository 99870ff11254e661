"""The SMS templates the portal sends. Each is registered with the provider (with the signature SMS_SIGN_NAME)
under the id SMS_TEMPLATE_IDS gives; the text here is the one registered, in the provider's `${name}` syntax,
so the console and the tests show what the recipient reads.

Providers limit a variable to a few dozen characters and forbid links in most: a notice names what happened
and sends the reader to the portal, never personal data beyond what the recipient already knows.
"""

from __future__ import annotations

from string import Template

from django.conf import settings

TEMPLATES = {
    # A one-time code (sign in, reset, verify a phone, consent at the counter).
    "code": "您的验证码为${code}，${minutes}分钟内有效。如非本人操作，请忽略本短信。",
    # A notification a worker must not miss (interview, offer, hire, certificate, invitation).
    "notice": "${title}。详情请登录劳务品牌就业服务网查看。",
    # A saved search's new postings.
    "alert": "您订阅的“${name}”有${count}个新岗位，请登录劳务品牌就业服务网查看。",
    # The first sign-in after an account was opened at a service counter.
    "welcome": "您已在${place}开通劳务品牌就业服务网账号，请用本手机号和短信验证码登录：${site}",
}

# Providers cap a variable's length (Alibaba Cloud: 35 characters for most kinds).
VARIABLE_MAX_LENGTH = 35


def template_id(key: str) -> str:
    """The provider's id of a template (SMS_TEMPLATE_IDS); KeyError for one the portal does not send."""
    if key not in TEMPLATES:
        raise KeyError(key)
    return settings.SMS_TEMPLATE_IDS.get(key, key)


def clip(value: object) -> str:
    text = str(value)
    return text if len(text) <= VARIABLE_MAX_LENGTH else text[: VARIABLE_MAX_LENGTH - 1] + "…"


def render(key: str, params: dict[str, str]) -> str:
    return f"【{settings.SMS_SIGN_NAME}】" + Template(TEMPLATES[key]).safe_substitute(
        {name: clip(value) for name, value in params.items()}
    )
