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


def test_an_expert_and_a_provider_find_their_work_at_home(client, world):
    from ronghe.apps.providers import services as providers
    from tests.apps.certification.helpers import scored
    from tests.apps.providers.helpers import catalogue

    _hz, _bj, offers = catalogue(world)
    scored(world.a, 1)
    r = providers.send_request(world.a, offers["hz_rd"], message="研发上云", by=world.ent_a)
    client.force_login(world.provider)
    body = client.get("/").content.decode()
    assert 'id="provider-inbox"' in body and reverse("providers:request", args=[r.pk]) in body
    client.force_login(world.expert)
    assert 'id="my-sheets"' in client.get("/").content.decode()


def test_an_assessment_body_and_the_committee_find_their_cases_at_home(client, world):
    client.force_login(world.assessor)
    body = client.get("/").content.decode()
    assert 'id="body-cases"' in body and "尚无分配给本机构的评定" in body and 'id="committee-cases"' not in body
    client.force_login(world.committee)
    body = client.get("/").content.decode()
    assert 'id="committee-cases"' in body and "暂无待评定工作委员会处理的事项" in body and 'id="body-cases"' not in body
    client.force_login(world.city_authority)
    body = client.get("/").content.decode()
    assert 'id="body-cases"' not in body and 'id="committee-cases"' not in body


def test_a_new_enterprise_is_offered_to_start_its_self_assessment(client, world):
    client.force_login(world.ent_b)
    body = client.get("/").content.decode()
    assert 'id="start-assessment"' in body and reverse("assessments:list", args=[world.b.pk]) in body
