"""axe-core in the browser: the accessibility check every page test can run.

axe-core is an npm dev dependency (``package.json``; ``make install`` runs ``npm ci``), injected into
the page from ``node_modules`` — never from a network. :func:`violations` returns what axe finds
against WCAG 2.0/2.1 A and AA; :func:`assert_accessible` fails with one line per rule and node.
"""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page) -> list[dict]:
    """axe-core's violations on the page as it stands (rule id, impact, help and the nodes' selectors)."""
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: `make install` installs axe-core from npm (package.json)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return result["violations"]


def assert_accessible(page, where: str = "") -> None:
    found = violations(page)
    lines = [f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(str(n['target']) for n in v['nodes'][:5])}"
             for v in found]
    assert not found, f"axe-core on {where or page.url}:\n" + "\n".join(lines)
