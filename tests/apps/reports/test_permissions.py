"""Every report route as every persona: a report only of what the persona may see (an enterprise's
result: the enterprise, its consultancy, the authority over its region; a jurisdiction's reports:
its authorities; a draft evaluation: its authority). The shared permission matrix
(tests/apps/test_permission_matrix.py) counts these rows as covering the reports namespace and API."""

import pytest
from django.urls import reverse

from tests.base import as_each, call_api

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "ent_a", "ent_a_member", "ent_b", "consultant", "assessor", "city_authority",
            "other_province", "admin"]
L, W, R, N = 302, 200, 302, 404  # login; seen; redirected (a step taken or the page sends elsewhere); not visible
A_SIDE = [L, W, W, N, W, N, W, N, W]
AUTHORITIES = [L, N, N, N, N, N, W, W, W]

# (url name, kwargs maker, method, data maker, expected per persona)
MATRIX = [
    ("reports:enterprise", lambda w: {"pk": w.scored.pk}, "get", None, A_SIDE),
    ("reports:enterprise_pdf", lambda w: {"pk": w.scored.pk}, "get", None, A_SIDE),
    # not approved yet: whoever may see it is sent back to the assessment, the others learn nothing
    ("reports:enterprise", lambda w: {"pk": w.submitted.pk}, "get", None, [L, N, N, R, N, N, N, R, R]),
    ("reports:enterprise_pdf", lambda w: {"pk": w.submitted.pk}, "get", None, [L, N, N, R, N, N, N, R, R]),
    ("reports:monitoring", lambda w: {}, "get", None, AUTHORITIES),
    ("reports:monitoring_pdf", lambda w: {}, "get", None, AUTHORITIES),
    # another province's jurisdiction: only its own authority and staff
    ("reports:monitoring", lambda w: {}, "get", lambda w: {"region": "110000"}, [L, N, N, N, N, N, N, W, W]),
    # a draft evaluation: its authority and staff; nobody needs to sign in for a published one
    ("reports:region", lambda w: {"pk": w.evaluation.pk}, "get", None, [N, N, N, N, N, N, W, N, W]),
    ("reports:region_pdf", lambda w: {"pk": w.evaluation.pk}, "get", None, [N, N, N, N, N, N, W, N, W]),
    ("reports:batch", lambda w: {}, "get", None, AUTHORITIES),
    # a batch of 杭州西湖区's reports: 杭州市 (and staff) queue it; 北京市 may not even ask
    ("reports:batch", lambda w: {}, "post", lambda w: {"region": "330106", "year": 2025},
     [L, N, N, N, N, N, R, N, R]),
]
U, X = 401, 409
API_MATRIX = [
    ("get", lambda w: f"/api/reports/enterprise/{w.scored.pk}?format=html", None, [U, W, W, N, W, N, W, N, W]),
    ("get", lambda w: f"/api/reports/enterprise/{w.scored.pk}", None, [U, W, W, N, W, N, W, N, W]),
    ("get", lambda w: f"/api/reports/enterprise/{w.submitted.pk}", None, [U, N, N, X, N, N, N, X, X]),
    ("get", lambda w: "/api/reports/monitoring?format=html", None, [U, N, N, N, N, N, W, W, W]),
    ("get", lambda w: "/api/reports/monitoring?format=html&region=330000", None, [U, N, N, N, N, N, N, N, W]),
    ("get", lambda w: f"/api/reports/regions/{w.evaluation.pk}?format=html", None, [N, N, N, N, N, N, W, N, W]),
    ("post", lambda w: "/api/reports/batch", lambda w: {"region": "330106", "year": 2025},
     [U, N, N, N, N, N, 202, N, 202]),
]
API_TEMPLATES = {("get", "/api/reports/enterprise/{assessment_id}"), ("get", "/api/reports/monitoring"),
                 ("get", "/api/reports/regions/{evaluation_id}"), ("post", "/api/reports/batch")}
COVERED = {name for name, *_ in MATRIX}


def test_it_has_a_row_for_every_report_page_and_route():
    from django.urls import get_resolver

    from ronghe.api import api

    names = {f"reports:{n}" for n in get_resolver().namespace_dict["reports"][1].reverse_dict if isinstance(n, str)}
    assert names <= COVERED, sorted(names - COVERED)
    routes = {(m, p) for p, ops in api.get_openapi_schema()["paths"].items() for m in ops if "/reports/" in p}
    assert routes == API_TEMPLATES


@pytest.mark.parametrize(("name", "kwargs", "method", "data", "expected"), MATRIX,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(MATRIX)])
def test_it_allows_and_denies_each_persona(client, reports_world, name, kwargs, method, data, expected):
    w = reports_world
    users = w.personas()
    url = reverse(name, kwargs=kwargs(w))
    for persona, status in zip(PERSONAS, expected, strict=True):
        client.logout()
        if users[persona] is not None:
            client.force_login(users[persona])
        body = data(w) if data else {}
        response = client.post(url, body) if method == "post" else client.get(url, body)
        assert response.status_code == status, f"{persona} {method.upper()} {url}: {response.status_code}"
        if status == W and name.endswith("_pdf"):
            assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


@pytest.mark.parametrize(("method", "path", "body", "expected"), API_MATRIX,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(API_MATRIX)])
def test_it_allows_and_denies_each_persona_on_the_api(client, reports_world, method, path, body, expected):
    w = reports_world
    users = w.personas()
    url, data = path(w), body(w) if body else None
    as_each(client, users, PERSONAS, expected, lambda: call_api(client, method, url, data), f"{method.upper()} {url}")
