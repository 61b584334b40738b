"""Writing the benchmark snapshot and reading it back as columns, kept current in memory.

Writing: :func:`record` adds (or replaces) one assessment's entry in the approval's transaction;
:func:`rebuild` recomputes every entry of some snapshots from the stored scores, in one
transaction at the end. Reading: :func:`columns` returns the decoded entries of one framework
version and year — all of them, or those of a region (a code prefix) — as NumPy arrays. A
process keeps what it decoded (bounded by ``RONGHE_BENCHMARK_CACHE_ROWS``) with the snapshot's
``(generation, seq)``; when the snapshot has moved on it reads only the entries with a higher
``seq`` and merges them, or everything again after a full recompute.

Raw SQL reads the entries: a national year is 100,000 rows, and the ORM's per-object work would
cost more than the query.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import IntegrityError, connection, transaction

from ronghe.apps.benchmarking.models import Entry, Snapshot
from ronghe.core.benchmarking.columns import Metric, from_arrays, metrics
from ronghe.core.benchmarking.peers import Peers

PACK = np.dtype(">f8")
"""Big-endian float64: the byte order PostgreSQL's ``float8send`` writes, so a rebuild can pack in SQL."""


def metric_list(framework) -> list[Metric]:
    """The framework version's metrics, in snapshot column order (summary first)."""
    return metrics(framework.loaded().framework)


def pack(values: Sequence[float | None]) -> bytes:
    return np.array([np.nan if v is None else v for v in values], dtype=PACK).tobytes()


def vector(nodes: dict[str, Any], rates: dict[str, Any], ids: Sequence[str]) -> list[float | None]:
    """One score's metric values in ``ids`` order (node scores, then rates by id)."""
    return [nodes[i] if i in nodes else rates.get(i) for i in ids]


def _locked(framework, year: int, ids: list[str]) -> Snapshot:
    snap = Snapshot.objects.select_for_update().filter(framework=framework, year=year).first()
    if snap is None:
        try:
            with transaction.atomic():
                snap = Snapshot.objects.create(framework=framework, year=year, columns=ids)
        except IntegrityError:  # created by a concurrent approval since we looked
            snap = Snapshot.objects.select_for_update().get(framework=framework, year=year)
    return snap


def record(score) -> Entry:
    """Add (or replace) the entry of a stored score; call it inside the transaction that stored it."""
    a = score.assessment
    e = a.enterprise
    with transaction.atomic():
        snap = _locked(a.framework, a.year, [m.id for m in metric_list(a.framework)])
        snap.seq += 1
        entry, created = Entry.objects.update_or_create(assessment=a, defaults={
            "snapshot": snap, "region": e.region_id or "", "industry": e.industry_id or "", "size": e.size or "",
            "stage": score.stage, "complete": score.complete, "seq": snap.seq,
            "vector": pack(vector(score.nodes, score.rates, snap.columns))})
        snap.rows += int(created)
        snap.save(update_fields=["seq", "rows", "updated_at"])
    return entry


# ------------------------------------------------------------------------------------ full recompute
_SCORES = """
SELECT a.id, a.year, o.region_id, o.industry_id, o.size, s.stage, s.complete, {nodes}, {rates}
FROM assessments_score s
JOIN assessments_assessment a ON a.id = s.assessment_id
JOIN organizations_organization o ON o.id = a.enterprise_id
WHERE a.status = 'scored' AND a.framework_id = %s {where}
"""
_FIELDS = ("snapshot_id", "assessment_id", "region", "industry", "size", "stage", "complete", "vector", "seq")


def _json_array(column: str, keys: Sequence[str]) -> str:
    """SQLite SQL for the values of ``keys`` in a JSON object column, as the text of one JSON array
    (``[45.1,null,…]``, one entry per key, null when absent): the database parses each score once,
    in C, instead of Python decoding a dict per row."""
    if not keys:
        return "'[]'"
    paths = ", ".join(f"'$.\"{k}\"'" for k in keys)
    return f"json_extract({column}, {paths})" if len(keys) > 1 else f"json_array(json_extract({column}, {paths}))"


def _matrix(texts: list[str], width: int) -> np.ndarray:
    """Rows of JSON array text (numbers and nulls) → a (rows × width) float array, parsed at once by
    pandas' C reader (exact for the stored 4-decimal scores; checked by the tests)."""
    if not texts or width == 0:
        return np.empty((len(texts), width))
    body = "\n".join(t[1:-1] for t in texts)
    frame = pd.read_csv(io.StringIO(body), header=None, names=range(width), na_values=["null"], dtype=np.float64,
                        engine="c", keep_default_na=False)
    return frame.to_numpy()


def _insert(rows: list[tuple]) -> None:
    with connection.cursor() as cur:
        cur.executemany(f"INSERT INTO benchmarking_entry ({', '.join(_FIELDS)}) VALUES "
                        f"({', '.join(['%s'] * len(_FIELDS))})", rows)


@contextmanager
def _bulk_writes() -> Iterator[None]:
    """SQLite: a page cache large enough (256 MB) for the indexes of a national rebuild, so that
    their pages are written once at commit instead of spilling as they fill; restored after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size")
        before = cur.fetchone()[0]
        cur.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA cache_size = {int(before)}")


def _pg_vector(ids: Sequence[str], kinds: dict[str, str]) -> str:
    """SQL packing a score's metrics as ``vector`` in PostgreSQL itself: one big-endian float8 per id
    (``float8send``), NaN where the value is null or absent — byte for byte what :func:`pack` writes."""
    if not ids:
        return "''::bytea"
    return " || ".join(f"float8send(coalesce((s.{'rates' if kinds[i] == 'rate' else 'nodes'}->>'{i}')::float8, "
                       f"'NaN'::float8))" for i in ids)


_PG_INSERT = """
INSERT INTO benchmarking_entry (snapshot_id, assessment_id, region, industry, size, stage, complete, vector, seq)
SELECT sn.id, a.id, coalesce(o.region_id, ''), coalesce(o.industry_id, ''), coalesce(o.size, ''), s.stage,
       s.complete, {vector}, a.id
FROM assessments_score s
JOIN assessments_assessment a ON a.id = s.assessment_id
JOIN organizations_organization o ON o.id = a.enterprise_id
JOIN benchmarking_snapshot sn ON sn.framework_id = a.framework_id AND sn.year = a.year
WHERE a.status = 'scored' AND a.framework_id = %s {where}
"""


def _read_scores(fw, ids: list[str], year: int | None, batch: int, progress, done: int, total: int
                 ) -> tuple[dict[int, list[tuple]], int]:
    """Every scored assessment of ``fw`` as entry rows (packed in Python), by year."""
    kinds = {m.id: m.kind for m in metric_list(fw)}
    node_ids = [i for i in ids if kinds[i] != "rate"]
    rate_ids = [i for i in ids if kinds[i] == "rate"]
    order = np.array([node_ids.index(i) if kinds[i] != "rate" else len(node_ids) + rate_ids.index(i) for i in ids],
                     dtype=np.int64)
    sql = _SCORES.format(nodes=_json_array("s.nodes", node_ids), rates=_json_array("s.rates", rate_ids),
                         where="AND a.year = %s" if year is not None else "")
    out: dict[int, list[tuple]] = {}
    with connection.cursor() as cur:
        cur.execute(sql, [fw.pk] + ([year] if year is not None else []))
        while chunk := cur.fetchmany(batch):
            texts = [f"[{n[1:-1]}{',' if len(n) > 2 and len(r) > 2 else ''}{r[1:-1]}]" for *_, n, r in chunk]
            packed = _matrix(texts, len(ids))[:, order].astype(PACK).tobytes()
            w = 8 * len(ids)
            for k, (aid, yr, region, industry, size, stage, complete, _, _) in enumerate(chunk):
                out.setdefault(yr, []).append((aid, region or "", industry or "", size or "", stage, bool(complete),
                                               packed[k * w:(k + 1) * w]))
            done += len(chunk)
            if progress:
                progress(done, max(total, done))
    return out, done


def rebuild(frameworks: Sequence | None = None, year: int | None = None,
            progress: Callable[[int, int], None] | None = None, batch: int = 20_000) -> dict[tuple[int, int], int]:
    """Recompute the entries of every snapshot (or of ``frameworks`` / ``year``) from the stored
    scores; all writes happen in one transaction at the end, so a failure leaves the old snapshot
    whole. SQLite: the database extracts the values from the JSON and Python packs them, then
    inserts; PostgreSQL does all of it in one ``INSERT … SELECT`` per framework. Returns the rows
    written per (framework id, year)."""
    from django.db.models import Count, Max

    from ronghe.apps.assessments.models import Assessment
    from ronghe.apps.frameworks.models import FrameworkVersion

    versions = list(FrameworkVersion.objects.all()) if frameworks is None else list(frameworks)
    scored = Assessment.objects.filter(status=Assessment.Status.SCORED, framework__in=versions)
    if year is not None:
        scored = scored.filter(year=year)
    counted = scored.values("framework", "year").annotate(n=Count("id"), last=Max("id")).order_by()
    sizes = {(r["framework"], r["year"]): r["n"] for r in counted}
    last = {(r["framework"], r["year"]): r["last"] for r in counted}  # a rebuilt entry's seq is its assessment's id
    total, done = sum(sizes.values()), 0
    in_sql = connection.vendor == "postgresql"
    read: dict[tuple[int, int], list[tuple]] = {}
    if not in_sql:
        for fw in versions:
            by_year, done = _read_scores(fw, [m.id for m in metric_list(fw)], year, batch, progress, done, total)
            read.update({(fw.pk, yr): rows for yr, rows in by_year.items()})
        sizes = {key: len(rows) for key, rows in read.items()}
        last = {key: max(r[0] for r in rows) for key, rows in read.items()}
    by_pk = {f.pk: f for f in versions}
    with transaction.atomic(), _bulk_writes():
        stale = Snapshot.objects.filter(framework__in=[f.pk for f in versions])
        if year is not None:
            stale = stale.filter(year=year)
        stale = list(stale.select_for_update())
        with connection.cursor() as cur:
            if in_sql:  # derived data: a crash right after the commit may lose it, never half of it
                cur.execute("SET LOCAL synchronous_commit TO OFF")
            if frameworks is None and year is None:
                cur.execute("DELETE FROM benchmarking_entry")  # everything
            elif stale:
                cur.execute(f"DELETE FROM benchmarking_entry WHERE snapshot_id IN ({', '.join(['%s'] * len(stale))})",
                            [snap.pk for snap in stale])
        for snap in stale:
            if (snap.framework_id, snap.year) not in sizes:
                snap.delete()
        for (fw, yr), n in sizes.items():
            ids = [m.id for m in metric_list(by_pk[fw])]
            snap = _locked(by_pk[fw], yr, ids)
            snap.columns, snap.seq, snap.rows = ids, last[(fw, yr)], n
            snap.generation += 1
            snap.save()
            if not in_sql:
                entries = sorted(read[(fw, yr)], key=lambda r: r[1])  # by region: index pages fill in order
                for start in range(0, len(entries), batch):
                    _insert([(snap.pk, *r, r[0]) for r in entries[start:start + batch]])
        if in_sql:
            for fw in versions:
                ms = metric_list(fw)
                with connection.cursor() as cur:
                    cur.execute(_PG_INSERT.format(vector=_pg_vector([m.id for m in ms], {m.id: m.kind for m in ms}),
                                                  where="AND a.year = %s" if year is not None else ""),
                                [fw.pk] + ([year] if year is not None else []))
                done += sum(n for (f, _), n in sizes.items() if f == fw.pk)
                if progress:
                    progress(done, max(total, done))
    return sizes


# ------------------------------------------------------------------------------------ reading, cached
@dataclass
class Columns:
    """Decoded entries of one snapshot, or of the region with code prefix ``prefix`` within it.

    ``values`` is (len(metric_ids) × rows), metric by metric: a group's column is one contiguous
    take; with ``summary`` only the summary metrics are decoded."""

    snapshot: int
    year: int
    prefix: str
    summary: bool
    generation: int
    seq: int
    metric_ids: list[str]
    ids: np.ndarray
    region: np.ndarray
    industry: np.ndarray
    size: np.ndarray
    stage: np.ndarray
    complete: np.ndarray
    values: np.ndarray
    _peers: Peers | None = field(default=None, repr=False)
    _by_region: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def cut(self, prefix: str, width: int) -> Columns:
        """The rows of the region with code prefix ``prefix`` and the first ``width`` metrics, taken
        from these columns in memory (rows keep their order): what a dashboard reads, without a
        query, once a process holds the nation's year. The rows sorted by region are kept (built once
        per version of the columns), so a region is two binary searches and a take."""
        if self._by_region is None:
            order = np.argsort(self.region.astype("U6"), kind="stable")
            self._by_region = (order, self.region.astype("U6")[order])
        order, regions = self._by_region
        if prefix:
            lo, hi = np.searchsorted(regions, [prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)])
            rows = np.sort(order[lo:hi])
        else:
            rows = np.arange(len(self))
        return Columns(self.snapshot, self.year, prefix, width < len(self.metric_ids), self.generation, self.seq,
                       self.metric_ids[:width], self.ids[rows], self.region[rows], self.industry[rows],
                       self.size[rows], self.stage[rows], self.complete[rows],
                       np.ascontiguousarray(self.values[:width, rows]))

    def frame(self, with_values: bool = True) -> pd.DataFrame:
        """A results frame (ronghe.core.benchmarking.columns) keyed by assessment id."""
        blank = lambda a: np.where(a == "", None, a)  # noqa: E731
        ids = self.metric_ids if with_values else []
        values = self.values.T if with_values else np.empty((len(self), 0))
        return from_arrays(self.ids, np.full(len(self), self.year), blank(self.region), blank(self.industry),
                           blank(self.size), self.stage, self.complete, values, ids)

    def peers(self, metric_objects: Sequence[Metric], n_stages: int) -> Peers:
        """The entries as a :class:`Peers` over these very arrays (built once per version of the columns)."""
        if self._peers is None:
            self._peers = Peers(self.frame(with_values=False), list(metric_objects), n_stages, by_metric=self.values)
        return self._peers


_CACHE: OrderedDict[tuple[int, str, bool], Columns] = OrderedDict()
EXTEND_MAX = 1000
"""Up to this many new rows extend the cached groups in place; more (a bulk load) rebuild them."""
_LOCK = threading.Lock()


def _fetch(state: dict, prefix: str, summary: bool, width: int, after: int | None) -> tuple[list, np.ndarray]:
    sql = ["SELECT assessment_id, region, industry, size, stage, complete, "
           + (f"substr(vector, 1, {8 * width})" if summary else "vector")
           + " FROM benchmarking_entry WHERE snapshot_id = %s"]
    params: list[Any] = [state["id"]]
    if prefix:
        sql.append("AND region >= %s AND region < %s")
        params += [prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)]
    if after is not None:
        sql.append("AND seq > %s")
        params.append(after)
    with connection.cursor() as cur:
        cur.execute(" ".join(sql), params)
        rows = cur.fetchall()
    if not rows:
        return [], np.empty((width, 0))
    packed = b"".join(r[6] for r in rows)
    return rows, np.ascontiguousarray(np.frombuffer(packed, dtype=PACK).reshape(len(rows), width).T)


def _decode(state: dict, prefix: str, summary: bool, width: int, ids: list[str], rows: list,
            values: np.ndarray) -> Columns:
    cols = list(zip(*rows, strict=True)) if rows else [()] * 7
    return Columns(state["id"], state["year"], prefix, summary, state["generation"], state["seq"], ids,
                   np.asarray(cols[0], dtype=np.int64), np.asarray(cols[1], dtype=object),
                   np.asarray(cols[2], dtype=object), np.asarray(cols[3], dtype=object),
                   np.asarray(cols[4], dtype=np.int64), np.asarray(cols[5], dtype=bool), values)


def _merge(old: Columns, new: Columns) -> Columns:
    """``old`` with the rows of ``new`` added; a re-recorded assessment keeps only its new row."""
    keep = ~np.isin(old.ids, new.ids)
    parts = {name: np.concatenate([getattr(old, name)[keep], getattr(new, name)])
             for name in ("ids", "region", "industry", "size", "stage", "complete")}
    parts["values"] = np.concatenate([old.values[:, keep], new.values], axis=1)
    merged = Columns(old.snapshot, old.year, old.prefix, old.summary, new.generation, new.seq, old.metric_ids, **parts)
    if old._by_region is not None and keep.all():  # appended rows: insert them into the region order
        order, regions = old._by_region
        added = new.region.astype("U6")
        at = np.searchsorted(regions, added, side="right")
        merged._by_region = (np.insert(order, at, len(old) + np.arange(len(new))), np.insert(regions, at, added))
    return merged


def columns(state: dict, prefix: str = "", summary: bool = False, summary_count: int | None = None) -> Columns:
    """The decoded entries of the snapshot described by ``state`` (a row of ``Snapshot.objects.values()``).

    ``prefix`` limits them to a region's subtree; ``summary`` decodes only the first
    ``summary_count`` metrics (what dashboards show)."""
    ids = list(state["columns"])
    width = summary_count if summary and summary_count is not None else len(ids)
    ids = ids[:width]
    if prefix or summary:
        with _LOCK:
            whole = _CACHE.get((state["id"], "", False))
        if whole is not None and whole.generation == state["generation"] and whole.metric_ids[:width] == ids:
            return columns(state).cut(prefix, width)  # the nation's year is in memory: no query for a region
    key = (state["id"], prefix, summary)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            _CACHE.move_to_end(key)
    if cached is not None and (cached.generation, cached.seq) == (state["generation"], state["seq"]):
        return cached
    if cached is not None and cached.generation == state["generation"] and cached.metric_ids == ids:
        rows, values = _fetch(state, prefix, summary, width, after=cached.seq)
        part = _decode(state, prefix, summary, width, ids, rows, values)
        fresh = _merge(cached, part)
        if cached._peers is not None and len(part) <= EXTEND_MAX and not np.isin(part.ids, cached.ids).any():
            fresh._peers = cached._peers.extend(part.frame(with_values=False), part.values)
    else:
        rows, values = _fetch(state, prefix, summary, width, after=None)
        fresh = _decode(state, prefix, summary, width, ids, rows, values)
    with _LOCK:
        _CACHE[key] = fresh
        _CACHE.move_to_end(key)
        total = sum(len(c) for c in _CACHE.values())
        while total > settings.RONGHE_BENCHMARK_CACHE_ROWS and len(_CACHE) > 1:
            _, dropped = _CACHE.popitem(last=False)
            total -= len(dropped)
    return fresh


def clear_cache() -> None:
    """Forget every decoded snapshot (tests; after a restore of the database)."""
    with _LOCK:
        _CACHE.clear()


def states(framework, years: Sequence[int] | None = None) -> list[dict]:
    """The snapshot rows (id, year, columns, seq, generation, rows) of a framework version, by year."""
    qs = Snapshot.objects.filter(framework=framework)
    if years is not None:
        qs = qs.filter(year__in=list(years))
    return list(qs.order_by("year").values("id", "year", "columns", "seq", "generation", "rows"))
