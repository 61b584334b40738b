"""axe-core in the test browser: a page is accessible when axe finds no violation on it.

axe-core comes from npm (``devDependencies`` in package.json, installed by ``make install``) and is
injected into the page under test; nothing is fetched from the network. The rules are axe's WCAG
2.0/2.1 A and AA rules (``wcag2a``, ``wcag2aa``, ``wcag21a``, ``wcag21aa``) plus its best practices.
"""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def violations(page) -> list[dict]:
    """axe's violations on the page as it is now: ``[{id, impact, help, nodes: [target …]}]``."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")  # CDP: not subject to the page's CSP
    found = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                          ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
                          " nodes: v.nodes.map(n => n.target.join(' '))})))", TAGS)
    return found


def assert_accessible(page, where: str = "") -> None:
    """Fail with each violation (rule, impact, the elements) when axe finds any on the page."""
    found = violations(page)
    assert not found, f"axe-core on {where or page.url}:\n" + "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']} — {', '.join(v['nodes'][:5])}" for v in found)
