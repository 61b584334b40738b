"""The enterprise's peer panel against plain pandas on the stored scores, small-group suppression,
and what it never shows."""

import json

import pytest

from ronghe.apps.assessments import services as assessments
from ronghe.apps.benchmarking import services
from ronghe.apps.organizations.models import Organization
from tests.apps.benchmarking.helpers import populate, rank, scores_frame

pytestmark = pytest.mark.django_db
MEMBERS = {"division": lambda f, me: f["industry"] == me["industry"],
           "section": lambda f, me: f["industry"].isin(["34", "39", "17"]),  # all manufacturing (C)
           "province": lambda f, me: f["region"].str[:2] == me["region"][:2],
           "city": lambda f, me: f["region"].str[:4] == me["region"][:4],
           "size": lambda f, me: f["size"] == me["size"], "all": lambda f, me: f["region"].notna()}


def test_the_panel_matches_plain_pandas_on_the_stored_scores(world):
    peers = populate(world)
    a = peers.a[2025]
    panel = services.peer_panel(a)
    assert panel["available"] and panel["year"] == 2025 and panel["min_size"] == 10
    scores = scores_frame(peers.version)
    year = scores[(scores["year"] == 2025) & scores["complete"]]
    me = scores[scores["assessment"] == a.pk].iloc[0]
    assert panel["stage"] == me["stage"]
    for g in panel["groups"]:
        members = year[MEMBERS[g["kind"]](year, me)]
        assert g["shown"] and not g["replaced"] and g["n"] == len(members), g["kind"]
        counts = members["stage"].value_counts()
        assert [s["count"] for s in g["stages"]] == [int(counts.get(s, 0)) for s in range(4)]
        for m in g["metrics"]:
            col = members[m["id"]].dropna()
            assert m["value"] == pytest.approx(round(me[m["id"]], 2))
            assert m["percentile"] == pytest.approx(rank(members[m["id"]], me[m["id"]]), abs=0.051)
            assert m["n"] == len(col) and m["p50"] == pytest.approx(col.median(), abs=0.0051)
            assert m["p25"] == pytest.approx(col.quantile(0.25), abs=0.0051)
            assert m["p90"] == pytest.approx(col.quantile(0.9), abs=0.0051)
            assert m["gap_top10"] == pytest.approx(max(0.0, col.quantile(0.9) - me[m["id"]]), abs=0.0051)
            r = rank(members[m["id"]], me[m["id"]])
            assert m["quartile"] == (1 if r >= 75 else 2 if r >= 50 else 3 if r >= 25 else 4)
    rows = {r["id"]: r for r in panel["rows"]}
    assert rows["L"]["summary"] and not rows["B1"]["summary"] and panel["primary"] == "34 通用设备制造业"


def test_it_replaces_a_small_group_and_says_which_wider_group_answers(world, settings):
    peers = populate(world)
    settings.RONGHE_BENCHMARK_MIN_GROUP = 20  # 杭州市 has 19 assessed enterprises a year
    city = next(g for g in services.peer_panel(peers.a[2025])["groups"] if g["kind"] == "city")
    assert (city["requested"], city["used"], city["n"], city["replaced"]) == ("杭州市", "浙江省", 31, True)
    settings.RONGHE_BENCHMARK_MIN_GROUP = 10
    small = Organization.objects.get(name="同行127")  # division 17: four enterprises
    a = small.assessments.get(year=2025)
    division = next(g for g in services.peer_panel(a)["groups"] if g["kind"] == "division")
    assert division["requested"].startswith("17 ") and division["used"] == "C 制造业" and division["replaced"]
    settings.RONGHE_BENCHMARK_MIN_GROUP = 100  # nobody has 100 peers: nothing is shown
    groups = services.peer_panel(a)["groups"]
    assert not any(g["shown"] for g in groups) and all(g["metrics"] == [] and g["stages"] == [] for g in groups)


def test_the_panel_never_carries_another_enterprises_answers_scores_or_names(world):
    peers = populate(world)
    a = peers.a[2025]
    text = json.dumps(services.peer_panel(a), ensure_ascii=False)
    others = [e for e in peers.enterprises if e != world.a]
    assert not any(e.name in text or e.credit_code in text for e in others)
    assert "answers" not in text and world.a.name not in text  # aggregates only, not even its own identity
    panel = services.peer_panel(a)
    for g in panel["groups"]:
        assert len(g["metrics"]) == len(panel["metrics"]) and len(g["stages"]) == 4  # no per-enterprise lists


def test_it_says_the_panel_is_not_available_before_approval(world):
    peers = populate(world, years=(2025,))
    draft = assessments.start(world.a, peers.version, 2024)
    panel = services.peer_panel(draft)
    assert not panel["available"] and panel["reason"] == "not_scored" and panel["groups"] == []
