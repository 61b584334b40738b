"""Declared lifecycles: a table of transitions with roles and guards that say why they fail.

A :class:`Machine` is a table of :class:`Transition` rows — name, source states, target, the roles
allowed to take it, its guards and the inputs it needs. An app's services are the only code that
changes a state, and they ask :func:`refusal` first: a transition is taken only from a source state,
by a permitted role, with every guard holding. A refusal is a :class:`Refusal` with a stable code and
a 简体中文 (or English) message naming what is missing.

Why a table and not django-fsm-2 decorators: guards must say *why* they fail (a date, a count, a
stage), the table must be checkable without a database (hypothesis state machines drive it and the
services), and the graphs in the docs are drawn from it (:func:`markdown`) and kept current by tests.
The table holds no side effects: services do their writes in one transaction and send notices on
commit.

Each machine names its own roles and guards (guards are pure functions of the app's facts) and the
prefix of its generic refusal codes (``<codes>.transition.unknown|state|role`` and
``<codes>.role.<role>`` in :mod:`ronghe.core.messages`). The 评定 machines
(:mod:`ronghe.core.certification.lifecycle`) and the pilot programmes' (:mod:`ronghe.core.programs.
lifecycle`) are built on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ronghe.core.messages import message


@dataclass(frozen=True)
class Refusal:
    """Why a transition may not be taken: a stable code and the message in the active locale."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def refuse(code: str, **params: object) -> Refusal:
    """A :class:`Refusal` with the catalogue's message of ``code``."""
    return Refusal(code, message(code, **params))


Guard = Callable[[Any], "Refusal | None"]


@dataclass(frozen=True)
class Transition:
    name: str
    source: tuple[str, ...]
    target: str
    roles: frozenset[str]
    guards: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    """Inputs the person supplies (``reason``, ``date``, ``report`` …), shown as fields on the page."""
    label: tuple[str, str] = ("", "")
    """(简体中文, English) name of the action."""

    def label_in(self, locale: str) -> str:
        return self.label[1] if locale.startswith("en") else self.label[0]


@dataclass(frozen=True)
class Machine:
    name: str
    states: dict[str, tuple[str, str]]
    """state → (简体中文, English) label, in the order of the process."""
    initial: str
    transitions: tuple[Transition, ...]
    roles: tuple[str, ...] = ()
    """Every role a transition may name; ``<codes>.role.<role>`` in the message catalogue names it."""
    guards: Mapping[str, Guard] = field(default_factory=dict)
    """Every guard a transition may name, by name."""
    codes: str = "cert"
    """Prefix of the generic refusal codes of this machine."""

    def __post_init__(self) -> None:
        names = [t.name for t in self.transitions]
        assert len(names) == len(set(names)), f"{self.name}: duplicate transition names"
        for t in self.transitions:
            assert t.target in self.states and set(t.source) <= set(self.states), t.name
            assert t.roles <= set(self.roles), t.name
            assert set(t.guards) <= set(self.guards), t.name

    def get(self, name: str) -> Transition:
        for t in self.transitions:
            if t.name == name:
                return t
        raise KeyError(name)

    def names(self) -> list[str]:
        return [t.name for t in self.transitions]

    def leaving(self, state: str) -> list[Transition]:
        """The transitions declared from ``state``."""
        return [t for t in self.transitions if state in t.source]

    @property
    def terminal(self) -> frozenset[str]:
        """States no transition leaves."""
        return frozenset(s for s in self.states if not self.leaving(s))

    def label(self, state: str, locale: str = "zh-Hans") -> str:
        zh, en = self.states[state]
        return en if locale.startswith("en") else zh

    def choices(self) -> list[tuple[str, str]]:
        """``(state, 简体中文 label)`` pairs for a model field."""
        return [(s, zh) for s, (zh, _en) in self.states.items()]


def refusal(machine: Machine, state: str, name: str, roles: set[str] | frozenset[str], facts: Any
            ) -> Refusal | None:
    """Why ``name`` may not be taken from ``state`` by someone holding ``roles``, or None if it may.

    Checked in this order: the transition exists, it leaves ``state``, the role is permitted,
    then each guard in its declared order (the first that fails is reported).
    """
    try:
        t = machine.get(name)
    except KeyError:
        return refuse(f"{machine.codes}.transition.unknown", name=name)
    if state not in t.source:
        return refuse(f"{machine.codes}.transition.state", action=t.label[0], state=machine.label(state),
                      allowed="、".join(machine.label(s) for s in t.source))
    if not roles & t.roles:
        return refuse(f"{machine.codes}.transition.role", action=t.label[0],
                      roles="、".join(message(f"{machine.codes}.role.{r}") for r in sorted(t.roles)))
    for g in t.guards:
        problem = machine.guards[g](facts)
        if problem is not None:
            return problem
    return None


def T(name, source, target, roles, guards=(), needs=(), label=("", "")) -> Transition:
    """A :class:`Transition` row, written compactly in a table."""
    src = (source,) if isinstance(source, str) else tuple(source)
    return Transition(name, src, target, frozenset(roles), tuple(guards), tuple(needs), label)


def mermaid(machine: Machine, locale: str = "zh-Hans") -> str:
    """The machine as a Mermaid state diagram (the docs are generated from it)."""
    lines = ["stateDiagram-v2"]
    for s in machine.states:
        if s != machine.initial:
            lines.append(f"    {s}: {machine.label(s, locale)}")
    for t in machine.transitions:
        for s in t.source:
            start = "[*]" if s == machine.initial else s
            roles = "/".join(sorted(t.roles))
            lines.append(f"    {start} --> {t.target}: {t.label_in(locale)} ({roles})")
    for s in sorted(machine.terminal):
        lines.append(f"    {s} --> [*]")
    return "\n".join(lines)


def markdown(machine: Machine) -> str:
    """The machine as the docs show it: a table of transitions and the drawn graph."""
    rows = ["| transition | from | to | who | guards | inputs |", "|---|---|---|---|---|---|"]
    for t in machine.transitions:
        rows.append(f"| `{t.name}` {t.label[0]} | {', '.join(t.source)} | {t.target} | {', '.join(sorted(t.roles))} "
                    f"| {', '.join(t.guards) or '—'} | {', '.join(t.needs) or '—'} |")
    return "\n".join(rows) + "\n\n```mermaid\n" + mermaid(machine) + "\n```\n"


def update_docs(path: str | Path, machines: Mapping[str, Machine]) -> bool:
    """Rewrite the generated blocks (``<!-- lifecycle:NAME -->`` … ``<!-- /lifecycle -->``) of ``path``
    whose NAME is in ``machines`` (others are left as they are); return whether anything changed."""
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    new = re.sub(r"(<!-- lifecycle:(\w+) -->\n).*?(<!-- /lifecycle -->)",
                 lambda m: m.group(1) + markdown(machines[m.group(2)]) + m.group(3) if m.group(2) in machines
                 else m.group(0), text, flags=re.S)
    if new != text:
        p.write_text(new, encoding="utf-8")
    return new != text
