"""The gateway's own parts: choosing the backend, the console and locmem backends, the templates."""

import logging

import pytest

from laborbrand import sms
from laborbrand.sms import templates
from laborbrand.sms.backends import console, locmem

PHONE = "13800138000"


def test_the_backend_is_the_one_the_setting_names(settings):
    assert isinstance(sms.get_backend(), locmem.SmsBackend)  # tests/settings.py
    settings.SMS_BACKEND = "laborbrand.sms.backends.console.SmsBackend"
    assert isinstance(sms.get_backend(), console.SmsBackend)
    assert isinstance(sms.get_backend("laborbrand.sms.backends.locmem.SmsBackend"), locmem.SmsBackend)


def test_locmem_keeps_what_it_sent_in_order():
    first = sms.send(sms.Sms(PHONE, "notice", {"title": "一"}))
    second = sms.send(sms.Sms(PHONE, "notice", {"title": "二"}))
    assert (first, second) == ("locmem-1", "locmem-2")
    assert [m.params["title"] for m in sms.outbox] == ["一", "二"]


def test_console_logs_the_text_with_the_number_masked(settings, caplog):
    settings.SMS_BACKEND = "laborbrand.sms.backends.console.SmsBackend"
    with caplog.at_level(logging.WARNING, logger="laborbrand.sms"):
        provider_id = sms.send(sms.Sms(PHONE, "code", {"code": "482916", "minutes": "5"}))
    assert provider_id.startswith("console-")
    assert "138****8000" in caplog.text
    assert PHONE not in caplog.text
    assert "您的验证码为482916，5分钟内有效" in caplog.text  # the demo shows the code to whoever tries it
    assert sms.outbox == []


def test_render_fills_the_registered_text_under_the_signature(settings):
    settings.SMS_SIGN_NAME = "某市就业"
    text = templates.render("alert", {"name": "焊工", "count": 3})
    assert text == "【某市就业】您订阅的“焊工”有3个新岗位，请登录劳务品牌就业服务网查看。"
    assert sms.Sms(PHONE, "alert", {"name": "焊工", "count": "3"}).text == text


def test_render_leaves_a_missing_variable_visible():
    assert "${minutes}" in templates.render("code", {"code": "482916"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("短", "短"),
        ("x" * 35, "x" * 35),
        ("x" * 36, "x" * 34 + "…"),
        (12, "12"),
    ],
)
def test_clip_keeps_a_variable_within_the_providers_limit(value, expected):
    assert templates.clip(value) == expected
    assert len(templates.clip(value)) <= templates.VARIABLE_MAX_LENGTH


def test_render_clips_each_variable():
    text = templates.render("notice", {"title": "长" * 50})
    assert "长" * 34 + "…。" in text


def test_no_template_carries_a_link():
    """Providers refuse links in most templates: the welcome passes the site as a variable."""
    for text in templates.TEMPLATES.values():
        assert "http" not in text


def test_template_id(settings):
    settings.SMS_TEMPLATE_IDS = {"code": "SMS_1"}
    assert templates.template_id("code") == "SMS_1"
    assert templates.template_id("notice") == "notice"  # the console and locmem need no registration
    with pytest.raises(KeyError):
        templates.template_id("advert")


def test_sms_error_is_transient_unless_said_otherwise():
    assert sms.SmsError("x").permanent is False
    assert sms.SmsError("x", permanent=True).permanent is True
