import pytest

from ronghe.apps.frameworks import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(mini_path):
    services.register_files([mini_path])


def test_it_lists_registered_frameworks(client, registered):
    r = client.get("/frameworks/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "迷你框架" in body and "/frameworks/mini/" in body
    assert "评估框架目录" in body  # the UI speaks 简体中文 by default


def test_it_shows_the_tree_stages_and_conditions_in_chinese(client, registered):
    body = client.get("/frameworks/mini/").content.decode()
    assert "单项应用" in body and "集成提升" in body
    assert "仅当 a2 = 是" in body
    assert "关键工序数控化率" in body


def test_it_stays_chinese_whatever_the_browser_prefers(client, registered):
    body = client.get("/frameworks/mini/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "单项应用" in body and "指标体系" in body


def test_it_shows_english_when_asked(client, registered):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/frameworks/mini/").content.decode()
    assert "Applications" in body and "only when a2 = yes" in body


def test_it_answers_404_for_an_unknown_framework(client, registered):
    assert client.get("/frameworks/nope/").status_code == 404
    assert client.get("/frameworks/mini/v9/").status_code == 404
