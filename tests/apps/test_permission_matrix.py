"""Every page of the organisation layer, requested as every persona: allowed or denied.

The matrix is checked against the URLconf, so a new named URL of these apps without a row fails.
"""

import pytest
from django.urls import get_resolver, reverse

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "ent_a", "ent_a_member", "ent_b", "consultant", "assessor", "city_authority",
            "other_province", "admin"]
LOGIN = 302  # anonymous users are sent to the login page

# (url name, kwargs maker, method, expected status per persona in PERSONAS order)
MATRIX = [
    ("organizations:enterprises", lambda w: {}, "get", [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("organizations:enterprise", lambda w: {"pk": w.a.pk}, "get", [LOGIN, 200, 200, 404, 200, 404, 200, 404, 200]),
    ("organizations:enterprise", lambda w: {"pk": w.b.pk}, "get", [LOGIN, 404, 404, 200, 404, 404, 404, 200, 200]),
    ("organizations:access", lambda w: {"pk": w.a.pk}, "post", [LOGIN, 302, 404, 404, 404, 404, 404, 404, 302]),
    ("accounts:login", lambda w: {}, "get", [200] * 9),
    ("regions:list", lambda w: {}, "get", [200] * 9),
    ("regions:run", lambda w: {}, "get", [LOGIN, 404, 404, 404, 404, 404, 200, 200, 404]),
    ("regions:detail", lambda w: {"pk": w.evaluation.pk}, "get", [404, 404, 404, 404, 404, 404, 200, 404, 200]),
    ("regions:publish", lambda w: {"pk": w.evaluation.pk}, "post", [LOGIN, 404, 404, 404, 404, 404, 302, 404, 404]),
    ("frameworks:catalogue", lambda w: {}, "get", [200] * 9),  # published content: public
    ("frameworks:detail", lambda w: {"slug": "mini"}, "get", [200] * 9),
    ("frameworks:version", lambda w: {"slug": "mini", "version": 1}, "get", [200] * 9),
    ("accounts:invite", lambda w: {}, "get", [LOGIN, 404, 404, 404, 404, 404, 200, 200, 200]),
    ("accounts:accept", lambda w: {"token": "1:forged:sig"}, "get", [404] * 9),
    ("accounts:tokens", lambda w: {}, "get", [LOGIN] + [200] * 8),  # each user's own tokens
    ("accounts:revoke_token", lambda w: {"pk": w.token.pk}, "post", [LOGIN, 302, 404, 404, 404, 404, 404, 404, 404]),
    # bulk import needs an import scope: the assessor has none, so nothing of its request is read
    ("assessments:import", lambda w: {}, "get", [LOGIN, 200, 200, 200, 200, 404, 200, 200, 200]),
    ("assessments:list", lambda w: {"pk": w.a.pk}, "get", [LOGIN, 200, 200, 404, 200, 404, 200, 404, 200]),
    # a draft belongs to the enterprise (and the consultancy it granted): authorities see it from submission on
    ("assessments:edit", lambda w: {"pk": w.draft.pk}, "get", [LOGIN, 200, 200, 404, 200, 404, 404, 404, 200]),
    ("assessments:edit", lambda w: {"pk": w.submitted.pk}, "get", [LOGIN, 200, 200, 404, 200, 404, 200, 404, 200]),
    ("assessments:review", lambda w: {"pk": w.draft.pk}, "post", [LOGIN, 404, 404, 404, 404, 404, 404, 404, 302]),
    # reviewers are independent: members of the enterprise and its consultancy never review it
    ("assessments:review", lambda w: {"pk": w.submitted.pk}, "post",
     [LOGIN, 404, 404, 404, 404, 404, 302, 404, 302]),
    ("assessments:revise", lambda w: {"pk": w.draft.pk}, "post", [LOGIN, 302, 302, 404, 302, 404, 404, 404, 302]),
    ("assessments:result", lambda w: {"pk": w.draft.pk}, "get", [LOGIN, 302, 302, 404, 302, 404, 404, 404, 302]),
    ("assessments:result", lambda w: {"pk": w.submitted.pk}, "get",
     [LOGIN, 302, 302, 404, 302, 404, 302, 404, 302]),
    # dashboards: authorities (their jurisdiction, by default) and staff; enterprises have none
    ("benchmarking:dashboard", lambda w: {}, "get", [LOGIN, 404, 404, 404, 404, 404, 200, 200, 200]),
    ("benchmarking:export", lambda w: {}, "get", [LOGIN, 404, 404, 404, 404, 404, 200, 200, 200]),
]
COVERED = {name for name, *_ in MATRIX} | {"accounts:logout"}


@pytest.fixture
def world(world):
    """The personas plus a draft assessment of enterprise A."""
    from ronghe.apps.assessments import services
    from ronghe.apps.frameworks.services import register_files
    from tests.conftest import FILES

    (version, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    world.draft = services.start(world.a, version, 2025)
    from ronghe.apps.accounts.services import create_token

    world.token, _ = create_token(world.ent_a, "matrix")
    world.submitted = services.start(world.a, version, 2024, by=world.ent_a)
    services.save_draft(world.submitted, {"a1": "C", "a2": "是", "b1": "CAD,PDM", "b2": 60, "b3": 35})
    services.submit(world.submitted, by=world.ent_a)
    import tempfile
    from pathlib import Path

    from ronghe.apps.regions.services import run_evaluation
    from tests.apps.regions.helpers import write_data

    with tempfile.TemporaryDirectory() as tmp:
        data = write_data(Path(tmp) / "d.csv", ["330106", "330102"])
        world.evaluation = run_evaluation(world.city_authority.memberships.get().organization,
                                          "lianghua-regional", [data], runs=10)  # a draft: its authority only
    return world


def test_it_has_a_row_for_every_named_url_of_the_organisation_layer():
    names = set()
    for ns in ("organizations", "accounts", "assessments", "frameworks", "regions", "benchmarking"):
        resolver = get_resolver().namespace_dict[ns][1]
        names |= {f"{ns}:{n}" for n in resolver.reverse_dict if isinstance(n, str)}
    assert names <= COVERED, f"pages without a permission row: {sorted(names - COVERED)}"


@pytest.mark.parametrize(("name", "kwargs", "method", "expected"), MATRIX,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(MATRIX)])
def test_it_allows_and_denies_each_persona(client, world, name, kwargs, method, expected):
    url = reverse(name, kwargs=kwargs(world))
    users = world.personas()
    for persona, status in zip(PERSONAS, expected, strict=True):
        client.logout()
        if users[persona] is not None:
            client.force_login(users[persona])
        data = {"consultancy": world.consultancy.pk, "action": "grant"} if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code == status, f"{persona} {method.upper()} {url}: {response.status_code}"


def test_it_lists_only_the_enterprises_in_each_personas_view(client, world):
    seen = {}
    for persona, user in world.personas().items():
        if user is None:
            continue
        client.force_login(user)
        body = client.get(reverse("organizations:enterprises")).content.decode()
        seen[persona] = {n for n in ("杭州甲机械有限公司", "北京乙电子有限公司") if n in body}
    assert seen == {
        "ent_a": {"杭州甲机械有限公司"}, "ent_a_member": {"杭州甲机械有限公司"}, "ent_b": {"北京乙电子有限公司"},
        "consultant": {"杭州甲机械有限公司"}, "assessor": set(), "city_authority": {"杭州甲机械有限公司"},
        "other_province": {"北京乙电子有限公司"}, "admin": {"杭州甲机械有限公司", "北京乙电子有限公司"},
    }


def test_it_logs_in_with_a_password_and_keeps_authorities_read_only(client, world):
    from ronghe.apps.accounts import access
    from tests.base import PASSWORD

    r = client.post(reverse("accounts:login"), {"username": "city_authority", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == reverse("organizations:enterprises")
    assert list(access.enterprises_for_user(world.city_authority, write=True)) == []
    assert list(access.enterprises_for_user(world.consultant, write=True)) == [world.a]
    bad = client.post(reverse("accounts:login"), {"username": "ent_a", "password": "wrong"})
    assert (bad.status_code == 200 and "Wrong user name or password" in bad.content.decode()) or "密码" in \
        bad.content.decode()


# API endpoints: (method, path maker, body maker, expected status per persona), session-authenticated
API_MATRIX = [
    ("get", lambda w: "/api/frameworks/", None, [200] * 9),
    ("get", lambda w: "/api/frameworks/mini", None, [200] * 9),
    ("get", lambda w: "/api/assessments/", None, [401, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("get", lambda w: f"/api/assessments/{w.draft.pk}", None, [401, 200, 200, 404, 200, 404, 404, 404, 200]),
    ("get", lambda w: f"/api/assessments/{w.submitted.pk}", None, [401, 200, 200, 404, 200, 404, 200, 404, 200]),
    ("post", lambda w: "/api/assessments/", lambda w: {"enterprise": w.a.pk, "framework": "mini", "year": 2025,
                                                      "answers": {"a1": "B"}},
     [401, 200, 200, 404, 200, 404, 404, 404, 200]),
    # an assessment's peer panel: whoever may see the assessment (aggregates only); dashboards: authorities
    ("get", lambda w: f"/api/benchmarking/assessments/{w.submitted.pk}/panel", None,
     [401, 200, 200, 404, 200, 404, 200, 404, 200]),
    ("get", lambda w: f"/api/benchmarking/assessments/{w.draft.pk}/panel", None,
     [401, 200, 200, 404, 200, 404, 404, 404, 200]),
    ("get", lambda w: "/api/benchmarking/dashboard", None, [401, 404, 404, 404, 404, 404, 200, 200, 200]),
    ("get", lambda w: "/api/benchmarking/dashboard?region=330000", None, [401, 404, 404, 404, 404, 404, 404, 404, 200]),
    ("get", lambda w: "/api/benchmarking/breakdown?by=size", None, [401, 404, 404, 404, 404, 404, 200, 200, 200]),
    ("get", lambda w: "/api/benchmarking/targets", None, [401, 404, 404, 404, 404, 404, 200, 200, 200]),
]
API_TEMPLATES = {("get", "/api/frameworks/"), ("get", "/api/frameworks/{slug}"), ("get", "/api/assessments/"),
                 ("get", "/api/assessments/{assessment_id}"), ("post", "/api/assessments/"),
                 ("get", "/api/benchmarking/assessments/{assessment_id}/panel"), ("get", "/api/benchmarking/dashboard"),
                 ("get", "/api/benchmarking/breakdown"), ("get", "/api/benchmarking/targets")}


def test_it_has_a_row_for_every_api_endpoint():
    from ronghe.api import api

    routes = {(m, p) for p, ops in api.get_openapi_schema()["paths"].items() for m in ops}
    assert routes <= API_TEMPLATES, f"API endpoints without a permission row: {sorted(routes - API_TEMPLATES)}"


@pytest.mark.parametrize(("method", "path", "body", "expected"), API_MATRIX, ids=[f"{m[0]}-{i}" for i, m in
                                                                                   enumerate(API_MATRIX)])
def test_it_allows_and_denies_each_persona_on_the_api(client, world, method, path, body, expected):
    users = world.personas()
    for persona, status in zip(PERSONAS, expected, strict=True):
        client.logout()
        if users[persona] is not None:
            client.force_login(users[persona])
        if method == "post":
            response = client.post(path(world), body(world), content_type="application/json")
        else:
            response = client.get(path(world))
        assert response.status_code == status, f"{persona} {method.upper()} {path(world)}: {response.status_code}"
