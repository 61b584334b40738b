"""The snapshot: written in the approval's transaction, rebuilt identically from the stored scores,
and caught up in memory after an approval."""

import numpy as np
import pytest
from django.db import transaction

from ronghe.apps.assessments import services as assessments
from ronghe.apps.assessments.models import Assessment, Score
from ronghe.apps.benchmarking import services, snapshot
from ronghe.apps.benchmarking.models import Entry, Snapshot
from ronghe.apps.organizations import services as orgs
from tests.apps.benchmarking.helpers import YEARS, populate
from tests.base import credit_code

pytestmark = pytest.mark.django_db
FULL = {"a1": "C", "a2": "是", "b1": "CAD,PDM", "b2": 60, "b3": 35}


def _vectors():
    return {e.assessment_id: (e.region, e.industry, e.size, e.stage, e.complete, bytes(e.vector))
            for e in Entry.objects.all()}


def _approve_new(world, version, year, serial=900):
    e = orgs.create_organization(kind="enterprise", name=f"新企业{serial}", credit_code=credit_code("330106", serial),
                                 region_id="330106", industry_id="34", size="300人以下")
    a = assessments.start(e, version, year)
    assessments.save_draft(a, FULL)
    assessments.submit(a)
    return a


def test_it_records_every_approval_in_the_snapshot_within_the_same_transaction(world):
    peers = populate(world)
    n = len(peers.enterprises)
    assert list(Snapshot.objects.order_by("year").values_list("year", "rows", "seq", "generation")) == \
        [(y, n, n, 0) for y in YEARS]
    a = peers.a[2025]
    entry = Entry.objects.get(assessment=a)
    state = entry.snapshot
    values = np.frombuffer(bytes(entry.vector), snapshot.PACK)
    expected = snapshot.vector(a.score.nodes, a.score.rates, state.columns)
    assert state.columns == ["L", "A", "B", "nc_rate", "B1", "B2"]  # total, aspects, rates, then indicators
    assert np.array_equal(values, np.array([np.nan if v is None else v for v in expected]), equal_nan=True)
    assert (entry.region, entry.industry, entry.size) == ("330106", "34", "300-1000人")
    pending = _approve_new(world, peers.version, 2025)
    with pytest.raises(RuntimeError), transaction.atomic():  # the approval's transaction fails later on
        assessments.approve(pending, by=world.admin)
        raise RuntimeError("something after the approval failed")
    assert not Entry.objects.filter(assessment=pending).exists() and not Score.objects.filter(assessment=pending)
    assert Snapshot.objects.get(year=2025).seq == n  # nothing half-written
    assessments.approve(pending, by=world.admin)
    assert Entry.objects.get(assessment=pending).seq == n + 1 == Snapshot.objects.get(year=2025).rows


def test_it_rebuilds_the_same_snapshot_from_the_stored_scores(world):
    populate(world)
    before = _vectors()
    written = services.recompute()
    assert sum(written.values()) == len(before) and _vectors() == before
    assert set(Snapshot.objects.values_list("generation", flat=True)) == {1}
    seqs = dict(Entry.objects.filter(snapshot__year=2024).values_list("assessment_id", "seq"))
    assert all(a == q for a, q in seqs.items()) and Snapshot.objects.get(year=2024).seq == max(seqs)
    services.recompute(year=2024)
    assert dict(Snapshot.objects.values_list("year", "generation")) == {2024: 2, 2025: 1}
    Entry.objects.filter(snapshot__year=2025).delete()  # a damaged snapshot is made whole again
    services.recompute()
    assert _vectors() == before


def test_it_catches_up_in_memory_after_an_approval_and_after_a_rebuild(world):
    peers = populate(world)
    snapshot.clear_cache()
    state = snapshot.states(peers.version, [2025])[0]
    first = snapshot.columns(state)
    assert len(first) == len(peers.enterprises) and snapshot.columns(state) is first  # cached while current
    new = _approve_new(world, peers.version, 2025)
    assessments.approve(new, by=world.admin)
    state = snapshot.states(peers.version, [2025])[0]
    merged = snapshot.columns(state)
    assert merged is not first and new.pk in merged.ids.tolist() and len(merged) == len(first) + 1
    snapshot.clear_cache()
    fresh = snapshot.columns(state)
    by_id = lambda c: c.values[:, np.argsort(c.ids)]  # noqa: E731
    assert sorted(fresh.ids.tolist()) == sorted(merged.ids.tolist())
    assert np.array_equal(by_id(fresh), by_id(merged), equal_nan=True)
    services.recompute()
    rebuilt = snapshot.columns(snapshot.states(peers.version, [2025])[0])
    assert rebuilt.generation == 1 and sorted(rebuilt.ids.tolist()) == sorted(merged.ids.tolist())
    summary = snapshot.columns(snapshot.states(peers.version, [2025])[0], prefix="3302", summary=True,
                               summary_count=4)
    assert summary.values.shape == (4, 12) and set(summary.region) == {"330203"}
    assert Assessment.objects.filter(status="scored", year=2025).count() == len(rebuilt)


def test_it_recomputes_as_a_background_job(world, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from ronghe.apps.jobs.models import Job
    from tests.apps.jobs.test_jobs import work

    populate(world, years=(2025,))
    before = _vectors()
    Entry.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("benchmark_recompute", background="admin")
    work()
    job = Job.objects.get(kind="benchmarking.recompute")
    assert job.status == "succeeded" and job.result["rows"] == len(before) and _vectors() == before


def _same(a, b) -> None:
    """Two decoded column sets hold the same rows (in any order) with the same values."""
    order_a, order_b = np.argsort(a.ids), np.argsort(b.ids)
    assert a.ids[order_a].tolist() == b.ids[order_b].tolist() and a.metric_ids == b.metric_ids
    for name in ("region", "industry", "size", "stage", "complete"):
        assert getattr(a, name)[order_a].tolist() == getattr(b, name)[order_b].tolist(), name
    assert np.array_equal(a.values[:, order_a], b.values[:, order_b], equal_nan=True)


def test_a_region_is_cut_from_the_nation_in_memory_like_the_database_reads_it(world, django_assert_num_queries):
    peers = populate(world)
    state = snapshot.states(peers.version, [2025])[0]
    width = 4
    read = {p: snapshot.columns(state, prefix=p, summary=True, summary_count=width) for p in ("33", "3301", "110105")}
    snapshot.clear_cache()
    snapshot.columns(state)  # the nation's year, every metric
    for prefix, from_db in read.items():
        with django_assert_num_queries(0):
            cut = snapshot.columns(state, prefix=prefix, summary=True, summary_count=width)
        assert cut.prefix == prefix and cut.values.shape == (width, len(from_db)) and len(from_db) > 0
        _same(cut, from_db)
    new = _approve_new(world, peers.version, 2025)  # after an approval: the nation catches up, the cut follows
    assessments.approve(new, by=world.admin)
    state = snapshot.states(peers.version, [2025])[0]
    cut = snapshot.columns(state, prefix="330106", summary=True, summary_count=width)
    assert new.pk in cut.ids.tolist()
    snapshot.clear_cache()
    _same(cut, snapshot.columns(state, prefix="330106", summary=True, summary_count=width))


def test_warming_fills_the_caches_and_changes_no_number(world, django_assert_num_queries):
    peers = populate(world)
    services.clear_caches()
    cold = services.peer_panel(peers.a[2025])
    services.clear_caches()
    nothing = services.warm(0)  # 0 s: nothing decoded
    assert (nothing["rows"], nothing["groups"], nothing["dashboards"]) == (0, 0, 0)
    done = services.warm(60)
    assert done["rows"] == Entry.objects.count() and done["dashboards"] == 1 + 2  # the nation, 浙江, 北京 (test codes)
    # groups of at least 10 a year: divisions 34, 39 (not 17: 4); C; 浙江, 北京; 杭州, 宁波, 北京市;
    # three size bands; everyone — 12 a year, two years
    assert done["groups"] == 2 * (2 + 1 + 2 + 3 + 3 + 1)
    state = snapshot.states(peers.version, [2025])[0]
    with django_assert_num_queries(0):
        assert snapshot.columns(state)._peers is not None  # decoded, its groups summed up, kept
    assert services.peer_panel(peers.a[2025]) == cold
