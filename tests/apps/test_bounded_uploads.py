"""Hostile files through the running server: each upload page answers with the limit the file
breaks, the server keeps answering, and no temporary file is left behind.

The files are those of ``tests/files/hostile.py``: the two-cell sparse sheet, a zip bomb, a
billion-laughs sheet and a CSV of one 50 MB line.
"""

import re
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

from ronghe.apps.frameworks.services import register_files
from tests.base import PASSWORD
from tests.conftest import FILES
from tests.files import hostile

pytestmark = pytest.mark.django_db(transaction=True)

HOSTILE = {
    "sparse.xlsx": (hostile.two_cell_sheet, "1,048,576 行，超过上限 500,000 行"),
    "bomb.xlsx": (hostile.zip_bomb, "疑似压缩炸弹"),
    "laughs.xlsx": (hostile.billion_laughs, "含有 DTD 或实体声明"),
    "line.csv": (hostile.long_line_csv, "第 1 行的长度超过单行上限 1 MB"),
}


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return {name: (make(folder / name), expected) for name, (make, expected) in HOSTILE.items()}


def _session(base: str, username: str) -> requests.Session:
    s = requests.Session()
    page = s.get(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    r = s.post(f"{base}/accounts/login/", data={"username": username, "password": PASSWORD,
                                                 "csrfmiddlewaretoken": token}, headers={"Referer": base})
    assert r.status_code == 200 and "/accounts/login/" not in r.url, r.text[:300]
    return s


def _csrf(s: requests.Session, url: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', s.get(url).text).group(1)


def _no_temporary_files_left() -> bool:
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    deadline = time.monotonic() + 5  # the server closes an upload's files just after answering
    while time.monotonic() < deadline:
        if not folder.exists() or not any(folder.iterdir()):
            return True
        time.sleep(0.05)
    return False


def _clear_temp_dir():
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    for p in folder.iterdir():
        p.unlink()


def test_it_refuses_each_hostile_answers_file_and_keeps_serving(live_server, world, hostile_files):
    register_files([FILES / "frameworks" / "mini.yaml"])
    base = live_server.url
    s = _session(base, "city_authority")
    url = f"{base}/assessments/import/"
    from ronghe.apps.frameworks.models import FrameworkVersion

    framework = FrameworkVersion.objects.get(slug="mini").pk
    _clear_temp_dir()
    for name, (path, expected) in hostile_files.items():
        with path.open("rb") as fh:
            r = s.post(url, data={"csrfmiddlewaretoken": _csrf(s, url), "framework": framework, "year": 2025},
                       files={"file": (name, fh)}, headers={"Referer": url}, timeout=120)
        assert r.status_code == 200, (name, r.status_code)
        assert expected in r.text and "未导入任何数据" in r.text, (name, r.text[:500])
        assert requests.get(f"{base}/frameworks/", timeout=10).status_code == 200  # still serving
        assert _no_temporary_files_left(), name


def test_it_refuses_each_hostile_data_file_of_an_evaluation(live_server, world, hostile_files):
    base = live_server.url
    s = _session(base, "city_authority")
    url = f"{base}/regions/run/"
    authority = world.city_authority.memberships.get().organization_id
    _clear_temp_dir()
    for name, (path, expected) in hostile_files.items():
        with path.open("rb") as fh:
            r = s.post(url, data={"csrfmiddlewaretoken": _csrf(s, url), "authority": authority,
                                  "definition": "lianghua-regional", "title": "t"},
                       files={"data": (name, fh)}, headers={"Referer": url}, timeout=120)
        assert r.status_code == 200 and expected in r.text, (name, r.status_code, r.text[:500])
        assert _no_temporary_files_left(), name
    assert requests.get(f"{base}/regions/", timeout=10).status_code == 200


def test_it_answers_413_for_an_upload_beyond_the_size_limit_without_reading_it(live_server, world, settings):
    settings.RONGHE_UPLOAD_MAX_BYTES = 1 << 20
    base = live_server.url
    s = _session(base, "city_authority")
    url = f"{base}/assessments/import/"
    r = s.post(url, data={"csrfmiddlewaretoken": _csrf(s, url), "framework": 1, "year": 2025},
               files={"file": ("big.csv", b"enterprise\n" + b"x" * (3 << 20))}, headers={"Referer": url})
    assert r.status_code == 413 and "1 MB" in r.text
    assert _no_temporary_files_left()


def test_it_refuses_a_definition_given_as_a_path(live_server, world):
    base = live_server.url
    s = _session(base, "city_authority")
    url = f"{base}/regions/run/"
    authority = world.city_authority.memberships.get().organization_id
    data_file = FILES / "index" / "provinces-long.csv"
    for definition in ("../../x.yaml", "/etc/passwd", "", "nope"):
        with data_file.open("rb") as fh:
            r = s.post(url, data={"csrfmiddlewaretoken": _csrf(s, url), "authority": authority,
                                  "definition": definition}, files={"data": ("d.csv", fh)}, headers={"Referer": url})
        assert r.status_code == 200 and 'class="errors"' in r.text, definition
        assert "root:" not in r.text
