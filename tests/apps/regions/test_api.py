"""The evaluations API and the .xlsx export: what each persona sees, the ranking with names and
rank intervals, publishing once, the workbook's tables."""

import io

import pandas as pd
import pytest
from django.urls import reverse

from ronghe.apps.regions import services
from tests.apps.regions.helpers import write_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(world, tmp_path):
    data = write_data(tmp_path / "d.csv", ["330106", "330108", "330110"])
    return services.run_evaluation(world.city_authority.memberships.get().organization, "lianghua-regional", [data],
                                   runs=40, title="杭州 2024")


def test_it_lists_drafts_to_their_authority_and_published_ones_to_everyone(client, world, evaluation):
    client.force_login(world.city_authority)
    page = client.get("/api/regions/evaluations?page_size=1").json()
    assert page["count"] == 1 and page["items"][0]["title"] == "杭州 2024"
    item = page["items"][0]
    assert (item["status"], item["regions"], item["year"], item["version"]) == ("draft", 3, 2024, None)
    assert item["export"] == reverse("regions:export", args=[evaluation.pk])
    client.force_login(world.other_province)
    assert client.get("/api/regions/evaluations").json()["count"] == 0
    client.logout()
    assert client.get("/api/regions/evaluations").json() == {"items": [], "count": 0}
    services.publish(evaluation)
    assert client.get("/api/regions/evaluations").json()["count"] == 1


def test_one_evaluation_has_its_ranking_with_names_and_rank_intervals(client, world, evaluation):
    client.force_login(world.city_authority)
    body = client.get(f"/api/regions/evaluations/{evaluation.pk}").json()
    ranking = body["ranking"]
    assert [r["region"] for r in ranking] == ["330106", "330108", "330110"]  # stronger first, as written
    assert [r["rank"] for r in ranking] == [1, 2, 3]
    assert all(r["name"] and r["name"] != "None" for r in ranking)
    assert set(ranking[0]["categories"]) == {"JCHJ", "GYYY", "YYXY"}
    u = {row["region"]: row for row in evaluation.uncertainty}
    for r in ranking:
        assert (r["rank_p05"], r["median_rank"], r["rank_p95"]) == (
            u[r["region"]]["rank_p05"], u[r["region"]]["median_rank"], u[r["region"]]["rank_p95"])
        assert r["rank_p05"] <= r["median_rank"] <= r["rank_p95"] and 1 <= r["mean_rank"] <= 3
    assert ranking[0]["total"] == evaluation.results["total"][-1][0]
    assert body["zones"] == evaluation.results["zones"]
    client.force_login(world.other_province)
    assert client.get(f"/api/regions/evaluations/{evaluation.pk}").status_code == 404


def test_it_publishes_once_and_answers_409_after(client, world, evaluation):
    client.force_login(world.city_authority)
    r = client.post(f"/api/regions/evaluations/{evaluation.pk}/publish", {}, content_type="application/json")
    assert r.status_code == 200 and (r.json()["status"], r.json()["version"]) == ("published", 1)
    again = client.post(f"/api/regions/evaluations/{evaluation.pk}/publish", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert again.json()["message"] == "该评估已经发布。"  # in the user's language (简体中文 by default)
    client.force_login(world.other_province)
    r = client.post(f"/api/regions/evaluations/{evaluation.pk}/publish", {}, content_type="application/json")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_the_export_holds_every_table_of_the_evaluation(client, world, evaluation):
    client.force_login(world.city_authority)
    r = client.get(reverse("regions:export", args=[evaluation.pk]))
    assert r.status_code == 200
    assert r["Content-Disposition"] == f'attachment; filename="evaluation-{evaluation.pk}.xlsx"'
    sheets = pd.read_excel(io.BytesIO(r.content), sheet_name=None, engine="calamine", dtype={"代码": str})
    # no zone comparison for the districts of a city: the zones apply to provinces
    assert list(sheets) == ["排名", "逐年结果", "数据来源", "排名不确定性", "数据检查", "数据"]
    ranking = sheets["排名"]
    assert ranking["代码"].tolist() == ["330106", "330108", "330110"] and ranking["排名"].tolist() == [1, 2, 3]
    assert "工业应用" in ranking.columns and ranking["地区"].tolist()[0] == "西湖区"
    assert ranking["地区"].notna().all()
    assert len(sheets["逐年结果"]) == 2 * 3 and len(sheets["数据"]) == len(evaluation.data)
    assert sheets["数据"]["地区"].tolist()[0] == "西湖区"
    assert sheets["排名不确定性"]["平均排名"].between(1, 3).all()
    assert next(e.action for e in evaluation.history()) == "evaluation.exported"
    assert client.get(reverse("regions:detail", args=[evaluation.pk])).content.decode().count(
        reverse("regions:export", args=[evaluation.pk])) == 1
