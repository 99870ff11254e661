import pytest

pytestmark = pytest.mark.django_db


def test_home_renders_in_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "劳务品牌" in response.content.decode()
