"""An authority's dashboard against plain pandas on the stored records; jurisdiction, drill-down,
map names and targets."""

import pytest
from django.contrib.auth.models import User
from django.http import Http404

from ronghe.apps.accounts.models import Membership
from ronghe.apps.assessments import services as assessments
from ronghe.apps.benchmarking import services
from ronghe.apps.organizations import services as orgs
from tests.apps.benchmarking.helpers import populate, scores_frame
from tests.base import credit_code

pytestmark = pytest.mark.django_db
FULL = {"a1": "C", "a2": "是", "b1": "CAD,PDM", "b2": 60, "b3": 35}


def province_user(code="330000", name="浙江省经信厅") -> User:
    gov = orgs.create_organization(kind="authority", name=name, region_id=code)
    user = User.objects.create_user(f"gov{code}")
    Membership.objects.create(user=user, organization=gov)
    return user


def test_the_province_figures_match_plain_pandas_on_the_stored_records(world):
    peers = populate(world)
    # one more enterprise that has only a submitted assessment, and one that has none
    waiting = orgs.create_organization(kind="enterprise", name="待审企业", credit_code=credit_code("330106", 801),
                                       region_id="330106", industry_id="34", size="300人以下")
    orgs.create_organization(kind="enterprise", name="未填企业", credit_code=credit_code("330203", 802),
                             region_id="330203", industry_id="39", size="300人以下")
    a = assessments.start(waiting, peers.version, 2025)
    assessments.save_draft(a, FULL)
    assessments.submit(a)
    d = services.dashboard_for(province_user(), None)
    assert (d["scope"]["code"], d["year"], d["years"], d["framework"]) == ("330000", 2025, [2024, 2025], "mini")
    scores = scores_frame(peers.version)
    zj = scores[(scores["year"] == 2025) & scores["region"].str.startswith("33")]
    t = d["totals"]
    assert (t["registered"], t["assessed"], t["approved"], d["waiting"]) == (33, 32, 31, 1)
    assert t["submission_rate"] == pytest.approx(round(100 * 32 / 33, 2))
    assert [q["enterprise"] for q in d["queue"]] == ["待审企业"]
    assert t["n"] == len(zj) and t["L"] == pytest.approx(round(zj["L"].mean(), 2))
    assert t["nc_rate"] == pytest.approx(round(zj["nc_rate"].mean(), 2))
    assert [t[f"stage_{s}"] for s in range(4)] == [int((zj["stage"] == s).sum()) for s in range(4)]
    assert t["advanced_pct"] == pytest.approx(round(100 * (zj["stage"] >= 3).mean(), 2))
    cities = {r["name"]: r for r in d["by_region"]}
    assert set(cities) == {"杭州市", "宁波市"} and cities["杭州市"]["registered"] == 20
    hz = zj[zj["region"].str.startswith("3301")]
    assert cities["杭州市"]["n"] == len(hz) and cities["杭州市"]["A"] == pytest.approx(round(hz["A"].mean(), 2))
    assert cities["宁波市"]["assessed"] == 12 and cities["宁波市"]["registered"] == 13
    industries = {r["key"]: r for r in d["by_industry"]}
    assert industries["17"]["n"] == 4 and industries["17"]["name"] == "17 纺织业"
    assert sum(r["registered"] for r in d["by_size"]) == 33
    trend = {r["year"]: r for r in d["trend"]}
    z24 = scores[(scores["year"] == 2024) & scores["region"].str.startswith("33")]
    assert trend[2024]["L"] == pytest.approx(round(z24["L"].mean(), 2)) and trend[2025]["n"] == 31
    assert d["map"]["url"].endswith("vendor/geojson/zhe_jiang_geo.json")
    assert d["map"]["names"] == {"3301": "杭州市", "3302": "宁波市"}  # joined by name, never by code


def test_an_authority_sees_its_jurisdiction_and_drills_down_but_no_further_up(world):
    populate(world, years=(2025,))
    city = services.dashboard_for(world.city_authority, None)
    assert city["scope"]["name"] == "杭州市" and [r["name"] for r in city["by_region"]] == ["西湖区"]
    assert city["map"] is None  # the map package draws no counties of a city
    county = services.dashboard_for(world.city_authority, "330106")
    assert county["scope"]["name"] == "西湖区" and county["by_region"] == [] and county["totals"]["n"] == 19
    assert [c["in_view"] for c in county["scope"]["breadcrumbs"]] == [False, True, True]
    for outside in ("330000", "330203", "110105", "000000", "999999"):
        with pytest.raises(Http404):
            services.dashboard_for(world.city_authority, outside)
    for nobody in (world.ent_a, world.consultant, world.assessor):
        with pytest.raises(Http404):
            services.dashboard_for(nobody, None)
    national = services.dashboard_for(world.admin, None)
    assert national["scope"]["code"] == "000000" and national["totals"]["n"] == 44
    assert national["map"]["url"].endswith("china.json") and national["map"]["names"] == {"11": "北京", "33": "浙江"}
    beijing = services.dashboard_for(world.other_province, None)  # a municipality: its districts directly
    assert [r["name"] for r in beijing["by_region"]] == ["朝阳区"] and beijing["map"]["names"] == {"110105": "朝阳区"}


def test_it_measures_the_targets_that_apply_over_the_jurisdiction(world):
    from ronghe.apps.regions.services import publish, run_evaluation
    from tests.conftest import FILES

    peers = populate(world)
    user = province_user()
    targets = {t["id"]: t for t in services.dashboard_for(user, None)["targets"]}
    scores = scores_frame(peers.version)
    zj = scores[(scores["year"] == 2025) & scores["region"].str.startswith("33")]
    nc = targets["nc-rate-2025"]
    assert nc["value"] == pytest.approx(round(zj["nc_rate"].mean(), 2)) and nc["n"] == len(zj)
    assert nc["state"] in {"achieved", "missed"} and nc["verified"] and nc["baseline"] == 54.6
    assert targets["advanced-large-2018"]["state"] == "no_data"  # counts GB/T 23020 assessments only
    assert targets["iip-2025"]["state"] == "no_data" and "iip_rate" in targets["iip-2025"]["reason"]
    assert targets["zhejiang-index-2017"]["state"] == "no_data"  # no published index yet
    national = orgs.create_organization(kind="authority", name="工业和信息化部", national=True)
    ev = publish(run_evaluation(national, "lianghua-regional", [FILES / "index" / "provinces-long.csv"], runs=20))
    zhejiang = ev.results["regions"].index("330000")
    targets = {t["id"]: t for t in services.dashboard_for(user, None)["targets"]}
    idx = targets["zhejiang-index-2017"]
    assert idx["value"] == pytest.approx(ev.results["total"][-1][zhejiang]) and idx["year"] == ev.results["years"][-1]
    assert idx["state"] in {"achieved", "missed"}
    assert "zhejiang-index-2017" not in {t["id"] for t in services.dashboard_for(world.city_authority, None)["targets"]}
