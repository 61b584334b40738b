import pytest

from ronghe.apps.accounts.services import create_token
from ronghe.apps.assessments import services

pytestmark = pytest.mark.django_db
FULL = {"a1": "C", "a2": "是", "b1": "CAD,PDM", "b2": 60, "b3": 35}


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'test')[1]}"}


def test_it_saves_and_submits_answers_as_json_with_a_token(client, world, mini_version):
    auth = bearer(world.consultant)  # the consultancy A granted access to
    body = {"enterprise": world.a.pk, "framework": "mini", "year": 2025, "answers": {"a1": "X"}, "submit": True}
    r = client.post("/api/assessments/", body, content_type="application/json", **auth)
    assert r.status_code == 422
    reason = "a1 没有这个选项；请从 A, B, C, D 中选择"
    assert r.json()["code"] == "invalid_answers"
    assert r.json()["details"] == [{"row": 1, "field": "a1", "value": "X", "reason": reason}]
    saved = client.post("/api/assessments/", {**body, "submit": False}, content_type="application/json", **auth)
    assert saved.status_code == 200 and saved.json()["warnings"] == [{"item": "a1", "value": "X", "reason": reason}]
    assert saved.json()["answers"] == {} and saved.json()["status"] == "draft"
    r = client.post("/api/assessments/", {**body, "answers": FULL}, content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    a_id = r.json()["id"]
    services.approve(services.history(world.a).get(pk=a_id), by=world.city_authority)
    detail = client.get(f"/api/assessments/{a_id}", **bearer(world.ent_a)).json()
    assert detail["score"]["total"] == pytest.approx(84.9) and detail["score"]["stage_label"] == "集成提升"
    assert detail["score"]["framework_sha256"] == mini_version.sha256
    again = client.post("/api/assessments/", {**body, "answers": FULL}, content_type="application/json", **auth)
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert "已有 2025 年度的评估" in again.json()["message"]


def test_it_lists_only_what_each_persona_may_see(client, world, mini_version):
    services.start(world.a, mini_version, 2025)
    services.start(world.b, mini_version, 2025)
    a, b = "杭州甲机械有限公司", "北京乙电子有限公司"

    def seen():
        out = {}
        for name in ("ent_a", "ent_b", "consultant", "city_authority", "other_province", "assessor", "admin"):
            data = client.get("/api/assessments/", **bearer(getattr(world, name))).json()
            assert data["count"] == len(data["items"])
            out[name] = sorted(d["enterprise_name"] for d in data["items"])
        return out

    # drafts belong to the enterprise: authorities see nothing until submission
    assert seen() == {"ent_a": [a], "ent_b": [b], "consultant": [a], "city_authority": [], "other_province": [],
                      "assessor": [], "admin": [b, a]}
    for enterprise in (world.a, world.b):
        draft = services.history(enterprise).get()
        services.save_draft(draft, FULL)
        services.submit(draft)
    assert seen() == {"ent_a": [a], "ent_b": [b], "consultant": [a], "city_authority": [a], "other_province": [b],
                      "assessor": [], "admin": [b, a]}


def test_it_pages_lists_and_bounds_every_number(client, world, mini_version):
    for year in range(2020, 2026):
        services.start(world.a, mini_version, year)
    auth = bearer(world.ent_a)
    page = client.get("/api/assessments/", {"page_size": 4, "page": 2}, **auth).json()
    assert page["count"] == 6 and [d["year"] for d in page["items"]] == [2021, 2020]
    for query in ({"page": 0}, {"page_size": 501}, {"page": 2**70}, {"year": 2**70}, {"enterprise": 2**70},
                  {"year": -1}):
        r = client.get("/api/assessments/", query, **auth)
        assert r.status_code == 422 and r.json()["code"] == "invalid", query
    assert client.get(f"/api/assessments/{2**70}", **auth).status_code == 422
    for bad in (b'{"enterprise": 1, "framework": "mini", "year": 2025, "answers": {"b2": NaN}}',
                b'{"enterprise": 1, "framework": "mini", "year": 2025, "answers": {"b2": 1e999}}',
                b'{"enterprise": 1, "framework": "mini", "year": 2025, "answers": {"b2": Infinity}}',
                b"[" * 100_000, b"not json"):
        r = client.post("/api/assessments/", bad, content_type="application/json", **auth)
        assert r.status_code == 400 and r.json()["code"] == "bad_request", bad[:40]
    body = {"enterprise": world.a.pk, "framework": "mini", "year": 2099, "answers": {}}
    r = client.post("/api/assessments/", body, content_type="application/json", **auth)
    assert r.status_code == 422 and "年度应在 2000 至" in r.json()["message"]


def test_a_list_counts_only_when_its_page_does_not_tell_the_total_and_reads_only_what_it_shows(
        client, world, mini_version):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for year in range(2020, 2026):
        services.start(world.a, mini_version, year)
    auth = bearer(world.ent_a)

    def page(**query):
        with CaptureQueriesContext(connection) as queries:
            data = client.get("/api/assessments/", query, **auth).json()
        counted = sum("COUNT(" in q["sql"] and "ronghe_cache" not in q["sql"] for q in queries.captured_queries)
        listed = [q["sql"] for q in queries.captured_queries if 'FROM "assessments_assessment"' in q["sql"]
                  and "COUNT(" not in q["sql"]]
        return data["count"], [d["year"] for d in data["items"]], counted, listed

    assert page(page_size=4)[:3] == (6, [2025, 2024, 2023, 2022], 1)  # a full page: counted
    assert page(page_size=4)[:3] == (6, [2025, 2024, 2023, 2022], 0)  # once: the count is cached ...
    services.start(world.a, mini_version, 2019)
    assert page(page_size=4)[:3] == (7, [2025, 2024, 2023, 2022], 1)  # ... until what it counts changes
    assert page(page_size=4, page=2)[:3] == (7, [2021, 2020, 2019], 0)  # the last page tells the total
    assert page(page_size=10)[:3] == (7, [2025, 2024, 2023, 2022, 2021, 2020, 2019], 0)
    assert page(page_size=4, page=3)[:3] == (7, [], 0)  # past the end: the count, cached
    listed = page()[3]
    assert len(listed) == 1 and '"answers"' not in listed[0] and '"diagnosis"' not in listed[0]


def test_a_scored_assessment_is_read_with_its_score_in_one_query(client, world, mini_version):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    draft = services.start(world.a, mini_version, 2024)
    scored = services.start(world.a, mini_version, 2025)
    services.save_draft(scored, FULL)
    services.submit(scored)
    services.approve(scored, by=world.city_authority)
    auth = bearer(world.ent_a)
    for _ in range(2):  # the token's first use is written, which retires its cached copy once
        client.get(f"/api/assessments/{draft.pk}", **auth)
    counts = {}
    for a in (draft, scored):
        with CaptureQueriesContext(connection) as queries:
            r = client.get(f"/api/assessments/{a.pk}", **auth)
        counts[a.pk] = sum("ronghe_cache" not in q["sql"] for q in queries.captured_queries)
        assert r.status_code == 200
    assert r.json()["score"]["total"] == pytest.approx(84.9) and r.json()["total"] == pytest.approx(84.9)
    assert counts[scored.pk] == counts[draft.pk]


def test_it_refuses_missing_wrong_or_revoked_tokens_and_read_only_writers(client, world, mini_version):
    a = services.start(world.a, mini_version, 2025)
    assert client.get("/api/assessments/").status_code == 401
    assert client.get("/api/assessments/", HTTP_AUTHORIZATION="Bearer rh_nope").status_code == 401
    assert client.get(f"/api/assessments/{a.pk}", **bearer(world.ent_b)).status_code == 404
    body = {"enterprise": world.a.pk, "framework": "mini", "year": 2025, "answers": FULL}
    r = client.post("/api/assessments/", body, content_type="application/json", **bearer(world.city_authority))
    assert r.status_code == 404  # authorities read, never write
    token, key = create_token(world.ent_a, "revoked")
    token.revoked_at = token.created_at
    token.save()
    assert client.get("/api/assessments/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
