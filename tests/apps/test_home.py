"""Each role's home page is its work, and no link in any role's navigation leads to an error."""

import re

import pytest
from django.urls import reverse

from ronghe.apps.assessments import services
from ronghe.apps.frameworks.services import register_files
from tests.conftest import FILES

pytestmark = pytest.mark.django_db
FULL = {"a1": "C", "a2": "是", "b1": "CAD,PDM", "b2": 60, "b3": 35}


@pytest.fixture
def submitted(world):
    (version, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    a = services.start(world.a, version, 2025, by=world.ent_a)
    services.save_draft(a, FULL)
    services.submit(a, by=world.ent_a)
    return a


def test_it_shows_each_role_its_work(client, world, submitted):
    body = client.get("/").content.decode()
    assert 'href="/accounts/login/"' in body and 'href="/frameworks/"' in body  # a visitor: what there is
    client.force_login(world.ent_a)
    body = client.get("/").content.decode()
    assert 'id="my-enterprise"' in body and "杭州甲机械有限公司" in body and "待审核" in body
    client.force_login(world.city_authority)
    body = client.get("/").content.decode()
    assert 'id="review-queue"' in body and reverse("assessments:edit", args=[submitted.pk]) in body
    assert re.search(r'id="nav-pending"[^>]*>[^<]*<span class="count">1</span>', body)
    client.force_login(world.other_province)  # Beijing: not its jurisdiction
    assert reverse("assessments:edit", args=[submitted.pk]) not in client.get("/").content.decode()
    client.force_login(world.consultant)
    body = client.get("/").content.decode()
    assert 'id="clients"' in body and "杭州甲机械有限公司" in body


def test_it_never_links_a_role_to_a_page_it_may_not_open(client, world, submitted):
    for persona, user in world.personas().items():
        client.logout()
        if user is not None:
            client.force_login(user)
        nav = re.search(r"<nav[^>]*>(.*?)</nav>", client.get("/").content.decode(), re.S).group(1)
        for href in re.findall(r'href="([^"]+)"', nav):
            if href.startswith("/api/docs"):
                continue
            r = client.get(href.replace("&amp;", "&"))
            assert r.status_code == 200, (persona, href, r.status_code)
