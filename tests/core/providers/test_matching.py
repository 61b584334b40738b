"""Matching offerings to the weakest indicators and the coverage of a region, by hand."""

from ronghe.core.providers.matching import ASPECT_FIT, Offer, Weak, ancestors, coverage, match

PARENTS = {"LEVEL": None, "JC": "LEVEL", "JC1": "JC", "JC2": "JC", "DX": "LEVEL", "DX2": "DX", "DX7": "DX"}
WEAK = [Weak("DX2", "生产管控", 20.0), Weak("JC1", "设备设施", 40.0), Weak("DX7", "质量管理", 50.0)]


def test_it_ranks_offers_by_need_and_fit_and_skips_what_addresses_nothing():
    offers = [Offer(1, frozenset({"DX2"})),                  # 0.8
              Offer(2, frozenset({"DX"}), rating=4.5),       # aspect: (0.8 + 0.5) × 0.5 = 0.65
              Offer(3, frozenset({"JC1", "DX7"})),           # 0.6 + 0.5 = 1.1
              Offer(4, frozenset({"JC2"})),                  # nothing weak
              Offer(5, frozenset({"DX2"}), rating=3.0)]      # 0.8, rated: before the unrated 1
    ranked = match(WEAK, PARENTS, offers)
    assert [(m.offer, m.relevance) for m in ranked] == [(3, 1.1), (5, 0.8), (1, 0.8), (2, 0.65)]
    assert ranked[0].addresses == ("JC1", "DX7") and ranked[3].addresses == ("DX2", "DX7")
    assert ASPECT_FIT == 0.5 and ancestors("DX2", PARENTS) == ["DX", "LEVEL"]


def test_it_counts_weak_indicators_and_the_providers_that_address_them():
    rows = coverage([("DX2", "生产管控"), ("JC1", "设备设施"), ("JC2", "网络设施")],
                    [["DX2", "JC1"], ["DX2"], ["DX2", "DX7"], []],
                    [(10, ["DX2"]), (10, ["DX"]), (11, ["DX"]), (12, ["JC2"])], PARENTS, few=2)
    table = [(r.node, r.weak, r.share, r.providers, r.few) for r in rows]
    assert table == [("DX2", 3, 0.75, 2, False), ("JC1", 1, 0.25, 0, True), ("JC2", 0, 0.0, 1, False)]
