"""The whole index on the web (issue 18 §3): the authority's data template, its sample data, the
enterprise indicators computed from approved assessments and merged with the uploaded statistics
(and where each value came from), names instead of codes, zones only where they apply, the map of
the sub-regions, publishing after a confirmation, and a run through the API."""

import io

import numpy as np
import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ronghe.apps.accounts.models import Membership
from ronghe.apps.assessments.models import Score
from ronghe.apps.organizations import services as orgs
from ronghe.apps.regions import samples, services
from ronghe.apps.regions.models import Evaluation
from ronghe.core.index.data import provinces, zone_of
from ronghe.core.index.definition import load
from tests.apps.regions.helpers import write_data

pytestmark = pytest.mark.django_db
D = load("lianghua-regional").definition


def _province(world):
    return world.province.memberships.get().organization


def _city(world):
    return world.city_authority.memberships.get().organization


@pytest.fixture
def national(world):
    authority = orgs.create_organization(kind="authority", name="工业和信息化部", national=True)
    Membership.objects.create(user=world.admin, organization=authority)
    return authority


# ------------------------------------------------------------------------------------- template
def test_the_template_lists_the_sub_regions_with_names_and_every_indicator(client, world):
    client.force_login(world.province)
    r = client.get(reverse("regions:template"))
    assert r.status_code == 200 and r["Content-Disposition"].endswith('regional-template-330000.xlsx"')
    wb = load_workbook(io.BytesIO(r.content))
    year, notes = wb.sheetnames
    assert year.isdigit() and notes == services.NOTES_SHEET
    rows = list(wb[year].values)
    assert list(rows[0]) == ["region", "name", *[i.id for i in D.indicators]]
    assert [tuple(row[:2]) for row in rows[1:]] == [("330100", "杭州市"), ("330200", "宁波市")]
    assert all(v is None for row in rows[1:] for v in row[2:])  # to be filled in
    described = {row[0]: row for row in wb[notes].values}
    assert described["NC_RATE"][1] == "关键工序数控化率" and "企业评估" in described["NC_RATE"][4]
    assert described["ENERGY_INTENSITY"][5] == "越低越好" and described["NC_RATE"][5] == "越高越好"


def test_a_filled_in_template_is_uploaded_as_it_is(client, world, tmp_path):
    client.force_login(world.province)
    wb = load_workbook(io.BytesIO(client.get(reverse("regions:template")).content))
    sheet = wb[wb.sheetnames[0]]
    for r, row in enumerate(sheet.iter_rows(min_row=2), start=0):
        for cell, ind in zip(row[2:], D.indicators, strict=True):
            cell.value = ind.reference * (1.1 - 0.2 * r)
    buf = io.BytesIO()
    wb.save(buf)
    r = client.post(reverse("regions:run"), {
        "authority": _province(world).pk, "definition": "lianghua-regional", "runs": 100, "source": "upload",
        "data": SimpleUploadedFile("t.xlsx", buf.getvalue())})
    assert r.status_code == 302, r.content.decode()[-3000:]
    ev = Evaluation.objects.get()
    assert ev.results["names"] == ["杭州市", "宁波市"] and ev.results["ranks"][-1] == [1, 2]


def test_an_authority_gets_only_its_own_template(client, world):
    client.force_login(world.province)
    other = world.other_province.memberships.get().organization
    assert client.get(reverse("regions:template"), {"authority": other.pk}).status_code == 404
    assert client.get(reverse("regions:template"), {"authority": "x"}).status_code == 404
    client.force_login(world.ent_a)
    assert client.get(reverse("regions:template")).status_code == 404


# ---------------------------------------------------------------------------------------- samples
def test_the_national_sample_follows_the_published_ccid_figures(national):
    frame = samples.national_sample(D)
    assert sorted(frame.region.unique()) == sorted(provinces()) and sorted(frame.year.unique()) == [2012, 2013,
                                                                                                     2014, 2015]
    with services.sample_path(national, "lianghua-regional") as path:
        ev = services.run_evaluation(national, "lianghua-regional", [path], runs=100)
    r = ev.results
    t = r["years"].index(2014)
    zones = {z["year"]: z for z in r["zones"]}[2014]
    for zone, published in {"east": 75.20, "central": 63.94, "west": 54.78}.items():  # standards.md §3.2
        assert zones[zone] == pytest.approx(published, abs=1.5)
    mean = {y: np.mean(r["total"][k]) for k, y in enumerate(r["years"])}
    assert mean[2012] < mean[2013] < mean[2014] < mean[2015]  # the published series rises
    top = {r["names"][i] for i in range(31) if r["ranks"][t][i] <= 5}
    assert top <= {"江苏省", "上海市", "北京市", "广东省", "浙江省", "山东省"}  # tier 1 of the CCID report
    assert {zone_of(c) for i, c in enumerate(r["regions"]) if r["ranks"][t][i] > 26} == {"west", "east"}  # 海南


def test_a_province_sample_has_its_cities_in_the_years_of_its_assessments(client, world):
    from tests.apps.benchmarking.helpers import YEARS, populate

    populate(world)
    client.force_login(world.province)
    text = client.get(reverse("regions:sample")).content.decode()
    frame = pd.read_csv(io.StringIO(text), dtype={"region": str})
    assert sorted(frame.region.unique()) == ["330100", "330200"] and sorted(frame.year.unique()) == list(YEARS)
    assert set(frame.indicator) == {i.id for i in D.indicators}
    again = client.get(reverse("regions:sample")).content.decode()
    assert again == text  # deterministic


def test_use_sample_data_runs_out_of_the_box(client, world):
    client.force_login(world.province)
    r = client.post(reverse("regions:run"), {"authority": _province(world).pk, "definition": "lianghua-regional",
                                             "runs": 100, "source": "sample", "use_assessments": "on"})
    assert r.status_code == 302
    ev = Evaluation.objects.get()
    assert ev.results["names"] == ["杭州市", "宁波市"] and ev.results["zones"] == []


def test_uploading_nothing_without_the_sample_is_refused_with_the_reason(client, world):
    client.force_login(world.province)
    r = client.post(reverse("regions:run"), {"authority": _province(world).pk, "definition": "lianghua-regional",
                                             "runs": 100, "source": "upload"})
    assert r.status_code == 200 and "或使用样例数据" in r.content.decode()
    assert not Evaluation.objects.exists()


# ------------------------------------------------------------------------------ enterprise indicators
def test_the_enterprise_indicators_come_from_the_approved_assessments(world, tmp_path):
    from tests.apps.benchmarking.helpers import populate

    populate(world)  # 19 enterprises in 西湖区 330106 scored in 2024 and 2025
    data = write_data(tmp_path / "d.csv", ["330106", "330102", "330108"], years=(2024, 2025))
    ev = services.run_evaluation(_city(world), "lianghua-regional", [data], runs=100)
    got = {(row["region"], row["year"], row["indicator"]): row["value"] for row in ev.data}
    for year in (2024, 2025):  # the independent side: the mean NC rate of complete assessments, by the ORM
        rates = [s.rates["nc_rate"] for s in Score.objects.filter(
            assessment__year=year, assessment__enterprise__region_id="330106", complete=True)
            if s.rates.get("nc_rate") is not None]
        assert len(rates) >= 5
        assert got[("330106", year, "NC_RATE")] == pytest.approx(np.mean(rates))
    sources = {s["id"]: s for s in ev.results["sources"]}
    assert sources["NC_RATE"] == {"id": "NC_RATE", "name": "关键工序数控化率", "kind": "enterprise", "file": 4,
                                  "assessments": 2, "replaced": 2, "missing": 0}
    assert sources["BB_HOUSEHOLD"]["file"] == 6 and sources["BB_HOUSEHOLD"]["assessments"] == 0
    assert sources["RD_TOOLS"]["assessments"] == 0  # the mini framework has no such rate: the file's stays
    off = services.run_evaluation(_city(world), "lianghua-regional", [data], runs=100, use_assessments=False)
    assert {s["id"]: s for s in off.results["sources"]}["NC_RATE"]["assessments"] == 0
    assert off.results["total"] != ev.results["total"]


def test_the_detail_page_says_where_the_values_came_from(client, world, tmp_path):
    from tests.apps.benchmarking.helpers import populate

    populate(world)
    data = write_data(tmp_path / "d.csv", ["330106", "330102"], years=(2024, 2025))
    ev = services.run_evaluation(_city(world), "lianghua-regional", [data], runs=100)
    client.force_login(world.city_authority)
    page = client.get(reverse("regions:detail", args=[ev.pk])).content.decode()
    assert 'id="sources"' in page and "关键工序数控化率" in page
    assert "西湖区" in page and "None" not in page


# ----------------------------------------------------------------------------------- names, zones, map
def test_cities_have_names_and_no_zone_table(client, world, tmp_path):
    data = write_data(tmp_path / "d.csv", ["330100", "330200"])
    ev = services.run_evaluation(_province(world), "lianghua-regional", [data], runs=100)
    assert ev.results["names"] == ["杭州市", "宁波市"] and ev.results["zones"] == []
    client.force_login(world.province)
    page = client.get(reverse("regions:detail", args=[ev.pk])).content.decode()
    assert 'id="zones"' not in page and "杭州市" in page and "None" not in page
    export = client.get(reverse("regions:export", args=[ev.pk])).content
    book = pd.read_excel(io.BytesIO(export), sheet_name=None, engine="calamine")
    ranking = book["排名"]
    assert list(ranking["地区"]) == ["杭州市", "宁波市"] and "东中西部" not in book
    assert set(book["数据"]["地区"]) == {"杭州市", "宁波市"}


def test_the_map_draws_a_provinces_cities_and_the_country(world, tmp_path, national):
    data = write_data(tmp_path / "d.csv", ["330100", "330200"])
    ev = services.run_evaluation(_province(world), "lianghua-regional", [data], runs=100)
    m = services.map_of(ev, ev.results["names"])
    assert m["url"].endswith("vendor/geojson/zhe_jiang_geo.json") and m["features"] == {"330100": "杭州市",
                                                                                       "330200": "宁波市"}
    data = write_data(tmp_path / "p.csv", ["110000", "330000", "650000"])
    ev = services.run_evaluation(national, "lianghua-regional", [data], runs=100)
    m = services.map_of(ev, ev.results["names"])
    assert m["url"].endswith("vendor/geojson/china.json")
    assert m["features"] == {"110000": "北京", "330000": "浙江", "650000": "新疆"}
    data = write_data(tmp_path / "c.csv", ["330106", "330102"])
    assert services.map_of(services.run_evaluation(_city(world), "lianghua-regional", [data], runs=100),
                           ["西湖区", "330102"]) is None  # the package draws no counties of a city


# ------------------------------------------------------------------------------------------- publish
def test_publishing_asks_for_confirmation_first(client, world, tmp_path):
    data = write_data(tmp_path / "d.csv", ["330106", "330102"])
    ev = services.run_evaluation(_city(world), "lianghua-regional", [data], runs=100)
    client.force_login(world.city_authority)
    url = reverse("regions:publish", args=[ev.pk])
    assert f'href="{url}"' in client.get(reverse("regions:detail", args=[ev.pk])).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and 'id="confirm-publish"' in page.content.decode()
    ev.refresh_from_db()
    assert ev.status == "draft"  # looking at the question publishes nothing
    assert client.post(url).status_code == 302
    ev.refresh_from_db()
    assert (ev.status, ev.version) == ("published", 1)
    assert client.get(url)["Location"] == reverse("regions:detail", args=[ev.pk])


# ----------------------------------------------------------------------------------------------- API
def test_the_api_runs_an_evaluation_as_a_job(client, world, django_capture_on_commit_callbacks):
    from tests.apps.jobs.test_jobs import work

    client.force_login(world.province)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/api/regions/evaluations", {"sample": "true", "runs": "200", "title": "接口",
                                                         "normalise": ["ratio", "minmax"]})
    assert r.status_code == 202, r.content
    job = r.json()["job"]
    work()
    body = client.get(f"/api/jobs/{job}").json()
    assert body["status"] == "succeeded", body
    ev = Evaluation.objects.get(pk=body["result"]["evaluation"])
    assert ev.title == "接口" and ev.results["names"] == ["杭州市", "宁波市"]
    assert {a["step"]: a for a in ev.results["analysis"]}["normalise"]["alternatives"] == "ratio, minmax"


def test_the_api_refuses_a_run_without_data_and_one_for_another_authority(client, world, tmp_path):
    client.force_login(world.province)
    r = client.post("/api/regions/evaluations", {"runs": "200"})
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "files"
    other = world.other_province.memberships.get().organization
    assert client.post("/api/regions/evaluations", {"authority": other.pk, "sample": "true"}).status_code == 404
    r = client.post("/api/regions/evaluations", {"sample": "true", "weights": "1"})
    assert r.status_code == 422 and "小于 1" in r.json()["message"]
    data = write_data(tmp_path / "d.csv", ["330100", "330200"])
    with data.open("rb") as fh:
        r = client.post("/api/regions/evaluations", {"files": [fh], "runs": "100"})
    assert r.status_code == 202
    assert client.get("/api/regions/template").status_code == 200
    client.force_login(world.ent_a)
    assert client.get("/api/regions/template").status_code == 404


# ------------------------------------------------------------------------------------ uncertainty
def test_sobol_indices_and_every_run_are_on_the_page_as_in_the_cli(client, world, tmp_path):
    from ronghe.core.index.sensitivity import sobol

    data = write_data(tmp_path / "d.csv", ["330100", "330200", "330300"])
    client.force_login(world.province)
    r = client.post(reverse("regions:run"), {
        "authority": _province(world).pk, "definition": "lianghua-regional", "runs": 300, "seed": 7,
        "data": SimpleUploadedFile("d.csv", data.read_bytes()), "normalise": ["ratio", "minmax"],
        "sobol": 64, "individual_weights": "on", "bootstrap": 20, "level": 0.9})
    assert r.status_code == 302, r.content.decode()[-2000:]
    ev = Evaluation.objects.get()
    inputs = [s["input"] for s in ev.results["sobol"]]
    assert "weight:NC_RATE" in inputs and "normalisation" in inputs and "weights" not in inputs
    from ronghe.core.index.data import read_panel

    panel = read_panel(data, [i.id for i in D.indicators])
    expected = sobol(D, panel, 2024, n=64, seed=7, bootstrap=20, level=0.9, individual=True,
                     normalisations=["ratio", "minmax"])  # the CLI's computation, on the same data
    assert [s["S1"] for s in ev.results["sobol"]] == pytest.approx(expected.S1.round(4).tolist(), abs=1e-4)
    page = client.get(reverse("regions:detail", args=[ev.pk])).content.decode()
    assert 'id="sobol"' in page and "weight:NC_RATE" in page
    runs = client.get(reverse("regions:runs", args=[ev.pk]))
    assert runs.status_code == 200
    import duckdb

    (tmp_path / "runs.parquet").write_bytes(runs.content)
    frame = duckdb.sql(f"SELECT * FROM read_parquet('{tmp_path / 'runs.parquet'}')").df()
    assert len(frame) == 300 * 3 and set(frame.name) == {"杭州市", "宁波市", "330300"}
    assert set(frame.normalise) == {"ratio", "minmax"}
    mean = frame.groupby("region")["rank"].mean()  # the runs are those the page summarises
    for row in ev.uncertainty:
        assert mean[row["region"]] == pytest.approx(row["mean_rank"], abs=0.01)


def test_the_api_varies_imputation_and_treatment(client, world, django_capture_on_commit_callbacks):
    from tests.apps.jobs.test_jobs import work

    client.force_login(world.province)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/api/regions/evaluations", {"sample": "true", "runs": "200", "normalise": ["minmax"],
                                                         "impute": ["none", "regression"], "treat": ["winsorise"]})
    assert r.status_code == 202, r.content
    work()
    body = client.get(f"/api/jobs/{r.json()['job']}").json()
    assert body["status"] == "succeeded", body
    analysis = {a["step"]: a for a in Evaluation.objects.get(pk=body["result"]["evaluation"]).results["analysis"]}
    assert analysis["impute"]["alternatives"] == "none, regression" and analysis["impute"]["varied"]
    assert analysis["treat"]["alternatives"] == "winsorise" and not analysis["treat"]["varied"]
    r = client.post("/api/regions/evaluations", {"sample": "true", "treat": ["log"]})
    assert r.status_code == 422 and "log" in r.json()["message"]


def test_more_files_than_a_request_may_carry_are_refused_in_json(client, world, tmp_path):
    data = write_data(tmp_path / "d.csv", ["330100", "330200"]).read_bytes()
    client.force_login(world.province)
    files = [SimpleUploadedFile(f"d{k}.csv", data) for k in range(11)]
    r = client.post("/api/regions/evaluations", {"files": files, "runs": "100"})
    assert r.status_code == 400 and r["Content-Type"].startswith("application/json")
    assert r.json() == {"code": "bad_request", "message": "一次请求中的文件过多（最多 10 个）。", "details": []}
    assert not Evaluation.objects.exists()
