"""Peer groups (cohorts): who an enterprise is compared with.

Peers share the framework and the year, and one attribute: the GB/T 4754 division (行业大类),
its section (门类), the province, the city, the size band — or nothing (everyone). Each kind
has a wider kind to fall back on when its group is too small to show (see
:mod:`.suppression`): division → section → everyone, city → province → everyone, and the
others → everyone.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

KINDS = ("division", "section", "province", "city", "size", "all")
"""Every kind of peer group, in the order a panel shows them."""

COLUMN = {"division": "industry", "section": "section", "province": "province", "city": "city", "size": "size",
          "all": None}
"""The results-frame column that holds each kind's key (``all`` has one group, key ``*``)."""

WIDER = {"division": "section", "section": "all", "city": "province", "province": "all", "size": "all", "all": None}
"""The next wider kind: where a too-small group's members are compared instead."""

ALIASES = {"industry": "division", "division": "division", "section": "section", "province": "province",
           "city": "city", "size": "size", "all": "all", "everyone": "all"}
"""Names accepted on the command line (``--by industry,province``)."""

LABELS = {"division": ("同行业（大类）", "Same industry (division)"),
          "section": ("同行业（门类）", "Same industry (section)"),
          "province": ("同省份", "Same province"), "city": ("同城市", "Same city"),
          "size": ("同规模", "Same size band"), "all": ("全部企业", "All enterprises")}

ALL_KEY = "*"


@dataclass(frozen=True)
class Cohort:
    """One peer group: its kind and the shared value (``*`` for everyone)."""

    kind: str
    key: str

    def label(self, locale: str = "zh-Hans") -> str:
        zh, en = LABELS[self.kind]
        return en if locale.startswith("en") else zh


def parse_kinds(text: str) -> list[str]:
    """``"industry,province"`` → ``["division", "province"]``; raises ValueError naming a bad one."""
    out = []
    for part in (p.strip().lower() for p in text.split(",")):
        if not part:
            continue
        if part not in ALIASES:
            raise ValueError(f"unknown peer group {part!r} (use {', '.join(sorted(ALIASES))})")
        if ALIASES[part] not in out:
            out.append(ALIASES[part])
    if not out:
        raise ValueError("name at least one peer group")
    return out


def chain(kind: str) -> list[str]:
    """``kind`` and every wider kind after it: ``division`` → ``[division, section, all]``."""
    out = [kind]
    while WIDER[out[-1]] is not None:
        out.append(WIDER[out[-1]])
    return out


def keys(frame: pd.DataFrame, kind: str) -> pd.Series:
    """Each row's group key of ``kind`` (``None`` where the attribute is unknown)."""
    column = COLUMN[kind]
    if column is None:
        return pd.Series(ALL_KEY, index=frame.index, dtype=object)
    return frame[column].astype(object).where(frame[column].notna(), None)


def of_row(frame: pd.DataFrame, i: int, kind: str) -> Cohort | None:
    """The cohort of ``kind`` that row ``i`` (a position) belongs to, or None when unknown."""
    key = keys(frame.iloc[[i]], kind).iat[0]
    return None if key is None else Cohort(kind, str(key))
