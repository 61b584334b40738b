"""Mutation score per module of ronghe/core, from the results mutmut left in mutants/.

Run after ``mutmut run`` (``make mutation`` does both). The score counts what mutmut counts as
caught: (killed + timeout) / (mutants − skipped). Prints a Markdown table (the one in
docs/testing.md) and, with ``--fail-under``, exits 1 when a package scores below the bar.
Mutants not checked yet (a run limited to some modules) are shown apart and left out of the score.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

PACKAGES = ("ronghe/core/scoring", "ronghe/core/index", "ronghe/core/benchmarking")
CAUGHT = ("killed", "timeout")


def collect(root: Path) -> dict[str, Counter]:
    """Status counts per source file (``ronghe/core/index/steps.py`` → Counter)."""
    out: dict[str, Counter] = {}
    for meta in sorted(root.glob("ronghe/**/*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if codes:
            out[str(meta.relative_to(root))[: -len(".meta")]] = Counter(status_by_exit_code[c] for c in codes.values())
    return out


def score(c: Counter) -> float | None:
    """Percent caught among the mutants checked; None when none was checked."""
    checked = sum(c.values()) - c["skipped"] - c["not checked"]
    return None if checked == 0 else 100 * sum(c[s] for s in CAUGHT) / checked


def row(name: str, c: Counter) -> str:
    s = score(c)
    cells = [name, sum(c.values()), c["killed"], c["timeout"], c["survived"], c["no tests"],
             c["suspicious"] + c["segfault"], c["not checked"], "–" if s is None else f"{s:.1f} %"]
    return "| " + " | ".join(str(x) for x in cells) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=Path, default=Path("mutants"), help="mutmut's working folder")
    parser.add_argument("--fail-under", type=float, default=None, help="minimum score of each package, percent")
    args = parser.parse_args(argv)
    files = collect(args.mutants)
    if not files:
        print(f"no mutation results under {args.mutants}/: run `make mutation` first", file=sys.stderr)
        return 1
    print("| module | mutants | killed | timeout | survived | no tests | suspicious | not checked | score |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    failed = []
    for package in PACKAGES:
        members = {f: c for f, c in files.items() if f.startswith(package + "/")}
        for name, c in members.items():
            print(row(name, c))
        total = sum(members.values(), Counter())
        print(row(f"**{package}**", total))
        s = score(total)
        if args.fail_under is not None and s is not None and s < args.fail_under:
            failed.append(f"{package}: {s:.1f} % < {args.fail_under:g} %")
    others = {f: c for f, c in files.items() if not f.startswith(PACKAGES)}
    for name, c in others.items():
        print(row(name, c))
    print(row("**all**", sum(files.values(), Counter())))
    for line in failed:
        print(f"mutation score too low: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
