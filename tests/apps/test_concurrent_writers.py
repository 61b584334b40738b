"""Concurrent writers on the running server: ten clients sign in and autosave their drafts at the
same time. Every request succeeds and every write is stored — on the embedded SQLite default (WAL,
immediate transactions, a busy timeout) as on PostgreSQL."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.contrib.auth.models import User

from ronghe.apps.accounts.models import Membership
from ronghe.apps.assessments import services
from ronghe.apps.assessments.models import Assessment
from ronghe.apps.frameworks.services import register_files
from ronghe.apps.organizations.services import create_organization
from tests.base import PASSWORD, credit_code
from tests.conftest import FILES

pytestmark = pytest.mark.django_db(transaction=True)
CLIENTS, SAVES = 10, 15


def _writer(base: str, username: str, assessment: int) -> list[int]:
    """Sign in, then autosave the draft SAVES times with a new value each time; the statuses seen."""
    s = requests.Session()
    token = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', s.get(f"{base}/accounts/login/").text).group(1)
    statuses = [s.post(f"{base}/accounts/login/", data={"username": username, "password": PASSWORD,
                                                          "csrfmiddlewaretoken": token},
                       headers={"Referer": base}, allow_redirects=False).status_code]
    url = f"{base}/assessments/{assessment}/"
    token = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', s.get(url).text).group(1)
    for k in range(SAVES):
        r = s.post(url, data={"csrfmiddlewaretoken": token, "action": "autosave", "q_b2": str(k), "q_a1": "C"},
                   headers={"Referer": url, "X-Requested-With": "fetch"})
        statuses.append(r.status_code)
    return statuses


def test_it_stores_every_write_of_ten_concurrent_clients(live_server, world):
    (version, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    drafts = {}
    for k in range(CLIENTS):
        org = create_organization(kind="enterprise", name=f"并发企业{k}", credit_code=credit_code("330106", 100 + k),
                                  region_id="330106", industry_id="34", size="300人以下")
        user = User.objects.create_user(f"writer{k}", password=PASSWORD)
        Membership.objects.create(user=user, organization=org, role="manager")
        drafts[user.username] = services.start(org, version, 2025, by=user).pk
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(lambda item: _writer(live_server.url, *item), drafts.items()))
    statuses = [s for r in results for s in r]
    assert statuses.count(302) == CLIENTS  # every sign-in
    assert statuses.count(200) == CLIENTS * SAVES, sorted(set(statuses))  # every autosave, no "database is locked"
    for pk in drafts.values():
        assert Assessment.objects.get(pk=pk).answers == {"a1": "C", "b2": str(SAVES - 1)}  # the last write stored
