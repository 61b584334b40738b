"""Which offerings address an enterprise's weakest indicators, and how well a region is served.

An offering (a product or service of a provider) is tagged with the framework nodes it improves: an
indicator (``DX2`` 生产管控) or a whole aspect (``DX`` 单项应用). For an enterprise's diagnosis —
its weakest indicators with their scores (0–100) — an offering's **relevance** is

    Σ over the weak indicators it addresses of  need × fit,

where ``need`` = (100 − score) / 100 (the weaker, the more it matters) and ``fit`` is 1 for a tag on
the indicator itself and :data:`ASPECT_FIT` for a tag on one of its ancestors (an aspect-wide offering
helps, less precisely). Offerings that address none are not listed. Ties are broken by the average
rating (unrated last) and then by id, so the order is stable. Which offerings *serve* the enterprise
(its region, its industry) is the app's database query; this module only ranks.

**Coverage** (:func:`coverage`): for a region's enterprises, how often each indicator is among their
weakest, and how many providers offer something for it there; an indicator that many find weak and
few providers address is flagged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ASPECT_FIT = 0.5
"""The fit of a tag on an ancestor of the weak indicator (an aspect) rather than the indicator."""


@dataclass(frozen=True)
class Weak:
    node: str
    name: str
    score: float
    """0–100."""


@dataclass(frozen=True)
class Offer:
    id: int
    tags: frozenset[str]
    rating: float | None = None
    """Average rating 1–5 of its finished requests, None if unrated."""


@dataclass(frozen=True)
class Match:
    offer: int
    relevance: float
    addresses: tuple[str, ...]
    """The weak indicators it addresses, weakest first."""
    rating: float | None = None


def ancestors(node: str, parents: Mapping[str, str | None]) -> list[str]:
    """The node's ancestors, nearest first (``parents`` maps a node to its parent, roots to None)."""
    out, seen = [], {node}
    p = parents.get(node)
    while p is not None and p not in seen:
        out.append(p)
        seen.add(p)
        p = parents.get(p)
    return out


def fit(tags: frozenset[str], node: str, parents: Mapping[str, str | None]) -> float:
    """How well tags address ``node``: 1 on the node, :data:`ASPECT_FIT` on an ancestor, else 0."""
    if node in tags:
        return 1.0
    return ASPECT_FIT if any(a in tags for a in ancestors(node, parents)) else 0.0


def match(weak: list[Weak], parents: Mapping[str, str | None], offers: Iterable[Offer]) -> list[Match]:
    """The offers that address any of ``weak``, most relevant first."""
    ranked = sorted(weak, key=lambda w: (w.score, w.node))
    out = []
    for o in offers:
        total, addressed = 0.0, []
        for w in ranked:
            f = fit(o.tags, w.node, parents)
            if f:
                total += (100.0 - min(max(w.score, 0.0), 100.0)) / 100.0 * f
                addressed.append(w.node)
        if addressed:
            out.append(Match(o.id, round(total, 6), tuple(addressed), o.rating))
    return sorted(out, key=lambda m: (-m.relevance, m.rating is None, -(m.rating or 0), m.offer))


@dataclass
class CoverageRow:
    node: str
    name: str
    weak: int
    """Enterprises for which the indicator is among the weakest."""
    share: float
    """``weak`` as a fraction (0–1) of the enterprises with a diagnosis."""
    providers: int
    """Distinct providers with an offering for the indicator (on it or on an ancestor) serving the region."""
    few: bool
    """Weak somewhere but fewer providers than the threshold."""
    provider_ids: set[int] = field(default_factory=set, repr=False)


def coverage(indicators: list[tuple[str, str]], weakest: Iterable[Iterable[str]],
             offers: Iterable[tuple[int, Iterable[str]]], parents: Mapping[str, str | None], *,
             few: int) -> list[CoverageRow]:
    """Rows for ``indicators`` (node, name): how many of the diagnoses in ``weakest`` (one list of weak
    nodes per enterprise) name each, and how many providers (``offers``: (provider id, tags) pairs)
    address it; sorted by the number of enterprises, then by fewest providers."""
    counts: dict[str, int] = {}
    n = 0
    for nodes in weakest:
        n += 1
        for node in set(nodes):
            counts[node] = counts.get(node, 0) + 1
    rows = {node: CoverageRow(node, name, counts.get(node, 0), counts.get(node, 0) / n if n else 0.0, 0, False)
            for node, name in indicators}
    for provider, tags in offers:
        tags = frozenset(tags)
        for node, row in rows.items():
            if fit(tags, node, parents):
                row.provider_ids.add(provider)
    for row in rows.values():
        row.providers = len(row.provider_ids)
        row.few = row.weak > 0 and row.providers < few
    return sorted(rows.values(), key=lambda r: (-r.weak, r.providers, r.node))
