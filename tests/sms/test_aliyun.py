"""The Alibaba Cloud SMS backend against the local fake of its API (tests/sms/fake_aliyun.py)."""

import json
import logging
import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from laborbrand import sms
from laborbrand.sms.backends import aliyun
from tests.sms.conftest import KEY_ID, SECRET
from tests.sms.fake_aliyun import alibaba_signature, closed_port_url

PHONE = "13800138000"
CODE = sms.Sms(PHONE, "code", {"code": "482916", "minutes": "5"})

# Alibaba's documented example of a signed SendSms request (短信服务 "HTTP协议及签名"):
# GET, key testId / testSecret.
DOC_PARAMS = {
    "AccessKeyId": "testId",
    "Action": "SendSms",
    "Format": "XML",
    "OutId": "123",
    "PhoneNumbers": "15300000001",
    "RegionId": "cn-hangzhou",
    "SignName": "阿里云短信测试专用",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
    "SignatureVersion": "1.0",
    "TemplateCode": "SMS_71390007",
    "TemplateParam": '{"customer":"test"}',
    "Timestamp": "2017-07-12T02:42:19Z",
    "Version": "2017-05-25",
}
# The RPC signature document's example (DescribeRegions), key testid/testsecret.
RPC_DOC_PARAMS = {
    "AccessKeyId": "testid",
    "Action": "DescribeRegions",
    "Format": "XML",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    "SignatureVersion": "1.0",
    "Timestamp": "2016-02-23T12:46:24Z",
    "Version": "2014-05-26",
}


@pytest.mark.parametrize("sign", [aliyun.signature, alibaba_signature], ids=["backend", "fake"])
@pytest.mark.parametrize(
    ("params", "secret", "expected"),
    [
        (DOC_PARAMS, "testSecret", "zJDF+Lrzhj/ThnlvIToysFRq6t4="),
        (RPC_DOC_PARAMS, "testsecret", "OLeaidS1JvxuMvnyHOwuJ+uX5qY="),
    ],
    ids=["sms-doc", "rpc-doc"],
)
def test_signature_matches_alibabas_documented_examples(sign, params, secret, expected):
    """Both sides sign as Alibaba documents: the fake's check is not the backend checking itself."""
    assert sign("GET", params, secret) == expected
    assert sign("GET", {**params, "Signature": "ignored"}, secret) == expected


def test_string_to_sign_of_the_documented_example():
    assert aliyun.string_to_sign("GET", DOC_PARAMS).startswith(
        "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001"
        "%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C"
    )


@pytest.mark.parametrize(
    ("text", "encoded"),
    [
        ("a b", "a%20b"),
        ("*", "%2A"),
        ("~-_.", "~-_."),
        ("/=&+", "%2F%3D%26%2B"),
        ("派", "%E6%B4%BE"),
        ("Az09", "Az09"),
    ],
)
def test_percent_encoding_follows_alibabas_rules(text, encoded):
    assert aliyun.percent_encode(text) == encoded


def test_a_good_send_is_signed_and_carries_the_registered_template(fake_aliyun):
    biz_id = sms.send(CODE)

    assert len(fake_aliyun.accepted) == 1
    assert biz_id.startswith("000001^")
    request = fake_aliyun.requests[0]
    assert request["method"] == "POST"
    assert request["content_type"].startswith("application/x-www-form-urlencoded")
    assert request["query"] == ""  # the number travels in the body, never in a URL a proxy logs
    params = request["params"]
    assert params["Signature"] == alibaba_signature("POST", params, SECRET)
    assert params["AccessKeyId"] == KEY_ID
    assert params["Action"] == "SendSms"
    assert params["Version"] == "2017-05-25"
    assert params["Format"] == "JSON"
    assert params["RegionId"] == "cn-hangzhou"
    assert params["PhoneNumbers"] == PHONE
    assert params["SignName"] == "劳务品牌就业服务网"
    assert params["TemplateCode"] == "SMS_100001"
    assert json.loads(params["TemplateParam"]) == {"code": "482916", "minutes": "5"}


def test_each_send_has_its_own_nonce(fake_aliyun):
    sms.send(CODE)
    sms.send(CODE)
    nonces = {r["params"]["SignatureNonce"] for r in fake_aliyun.requests}
    assert len(nonces) == 2
    assert len(fake_aliyun.accepted) == 2


def test_template_params_are_clipped_to_the_providers_limit(fake_aliyun):
    title = "面试邀请：" + "长" * 60
    sms.send(sms.Sms(PHONE, "notice", {"title": title}))
    sent = json.loads(fake_aliyun.accepted[0]["TemplateParam"])
    assert len(sent["title"]) == 35
    assert sent["title"].endswith("…")
    assert fake_aliyun.accepted[0]["TemplateCode"] == "SMS_100002"


@pytest.mark.parametrize(
    ("code", "status", "permanent"),
    [
        ("isv.MOBILE_NUMBER_ILLEGAL", 200, True),
        ("isv.SMS_TEMPLATE_ILLEGAL", 200, True),
        ("isv.SMS_SIGNATURE_ILLEGAL", 200, True),
        ("isv.SMS_SIGNATURE_SCENE_ILLEGAL", 200, True),
        ("isv.INVALID_PARAMETERS", 200, True),
        ("isv.TEMPLATE_MISSING_PARAMETERS", 200, True),
        ("isv.BLACK_KEY_CONTROL_LIMIT", 200, True),
        ("isv.OUT_OF_SERVICE", 200, True),
        ("isv.AMOUNT_NOT_ENOUGH", 200, True),
        ("isv.DAY_LIMIT_CONTROL", 200, True),
        ("isp.RAM_PERMISSION_DENY", 200, True),
        ("isv.BUSINESS_LIMIT_CONTROL", 200, False),
        ("isp.SYSTEM_ERROR", 200, False),
        ("Throttling.User", 400, False),
        ("Throttling", 503, False),
        ("ServiceUnavailable", 503, False),
        ("InternalError", 500, False),
        ("OK", 500, False),  # an HTML error page from a gateway
        ("OK", 502, False),
    ],
)
def test_each_error_class(fake_aliyun, code, status, permanent):
    fake_aliyun.answer(code, status=status)
    with pytest.raises(sms.SmsError) as caught:
        sms.send(CODE)
    assert caught.value.permanent is permanent
    if code != "OK":
        assert code in str(caught.value)
    assert fake_aliyun.accepted == []


@pytest.mark.parametrize(
    ("setting", "value", "code"),
    [
        ("SMS_ACCESS_KEY_SECRET", "another-secret", "SignatureDoesNotMatch"),
        ("SMS_ACCESS_KEY_ID", "LTAI5tSomeoneElse", "InvalidAccessKeyId.NotFound"),
    ],
)
def test_the_fake_refuses_a_request_alibaba_would_refuse(fake_aliyun, settings, setting, value, code):
    setattr(settings, setting, value)
    with pytest.raises(sms.SmsError, match=code) as caught:
        sms.send(CODE)
    assert caught.value.permanent
    assert fake_aliyun.accepted == []


def test_an_illegal_number_is_permanent(fake_aliyun):
    with pytest.raises(sms.SmsError, match=r"isv\.MOBILE_NUMBER_ILLEGAL") as caught:
        sms.send(sms.Sms("1380013800", "code", {"code": "482916", "minutes": "5"}))
    assert caught.value.permanent


def test_the_error_never_repeats_the_number_or_the_code(fake_aliyun, caplog):
    fake_aliyun.answer("isv.INVALID_JSON_PARAM", message=f'号码{PHONE}参数 {{"code":"482916"}} 不合法')
    with caplog.at_level(logging.DEBUG), pytest.raises(sms.SmsError) as caught:
        sms.send(CODE)
    assert PHONE not in str(caught.value)
    assert "482916" not in str(caught.value)
    assert PHONE not in caplog.text and "482916" not in caplog.text


def test_a_good_send_logs_neither_the_number_nor_the_code(fake_aliyun, caplog):
    with caplog.at_level(logging.DEBUG):
        sms.send(CODE)
    assert PHONE not in caplog.text and "482916" not in caplog.text


def test_a_provider_that_hangs_times_out_as_transient(fake_aliyun):
    fake_aliyun.answer(hang=True)
    started = time.monotonic()
    with pytest.raises(sms.SmsError, match="unreachable") as caught:
        sms.send(CODE)
    assert time.monotonic() - started < 3
    assert not caught.value.permanent


def test_a_refused_connection_is_transient(fake_aliyun, settings):
    settings.SMS_ENDPOINT = closed_port_url()
    with pytest.raises(sms.SmsError, match="unreachable") as caught:
        sms.send(CODE)
    assert not caught.value.permanent


@pytest.mark.parametrize("setting", ["SMS_ACCESS_KEY_ID", "SMS_ACCESS_KEY_SECRET", "SMS_SIGN_NAME"])
def test_missing_credentials_are_a_configuration_error(fake_aliyun, settings, setting):
    setattr(settings, setting, "")
    with pytest.raises(ImproperlyConfigured, match=setting):
        sms.send(CODE)
    assert fake_aliyun.requests == []


def test_a_template_without_its_provider_id_is_a_configuration_error(fake_aliyun, settings):
    settings.SMS_TEMPLATE_IDS = {"notice": "SMS_100002"}
    with pytest.raises(ImproperlyConfigured, match="'code'"):
        sms.send(CODE)
    assert fake_aliyun.requests == []
