import pytest

from tests.sms.fake_aliyun import FakeAliyun

KEY_ID = "LTAI5tTestKeyId"
SECRET = "test-secret-never-real"
TEMPLATE_IDS = {"code": "SMS_100001", "notice": "SMS_100002", "alert": "SMS_100003", "welcome": "SMS_100004"}


@pytest.fixture
def fake_aliyun(settings):
    """The fake Alibaba Cloud SMS API, running, and the settings that point the aliyun backend at it."""
    fake = FakeAliyun(key_id=KEY_ID, secret=SECRET).start()
    settings.SMS_BACKEND = "laborbrand.sms.backends.aliyun.SmsBackend"
    settings.SMS_ENDPOINT = fake.url
    settings.SMS_ACCESS_KEY_ID = KEY_ID
    settings.SMS_ACCESS_KEY_SECRET = SECRET
    settings.SMS_SIGN_NAME = "劳务品牌就业服务网"
    settings.SMS_TEMPLATE_IDS = TEMPLATE_IDS
    settings.SMS_TIMEOUT_SECONDS = 0.5
    yield fake
    fake.stop()
