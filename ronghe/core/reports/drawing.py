"""WeasyPrint, driven so that a batch of reports costs as little CPU as it can.

A diagnosis report is about 300 table cells, three charts and 7 A4 pages; WeasyPrint spends its
time per box and per piece of text, and three things around it cost more than they need to
(measured with cProfile and ``time.process_time``, docs/benchmarks.md):

* **Parsing the HTML.** WeasyPrint parses with tinyhtml5, a pure-Python HTML5 parser (about 25 ms
  a report). Our report templates write well-formed markup (``<br/>``, no HTML-only entities), so
  :func:`document` reads them with the C XML parser of the standard library (under 1 ms) into the
  same kind of tree, and falls back to tinyhtml5 for anything that is not well-formed XML.
* **Chart labels.** WeasyPrint's SVG ``<text>`` lays out and draws every letter on its own (one
  Pango layout per character, twice). :func:`install_svg_text` replaces it, for WeasyPrint 70 only,
  by one layout per label when the label has one position and no per-letter attributes (all of
  ours), and keeps WeasyPrint's own code for anything else. The label stays one string in the PDF.
* **Pseudo-elements nobody uses.** WeasyPrint's user-agent stylesheet gives *every* element a
  ``::marker`` and five footnote and note pseudo-elements, each with a computed style: about 3,000
  styles for a report of 500 elements. :func:`document` uses that stylesheet with the marker rule
  kept for list items only and the footnote and note rules (the reports have no footnotes) left out.
* **The garbage collector.** A report allocates about a million short-lived objects with reference
  cycles; the collector's automatic passes walk the growing box tree again and again (about a fifth
  of a report). :func:`quiet_gc` holds the collector during one document and collects its garbage
  once after it; :func:`frozen` keeps a batch's long-lived objects (fonts, caches, Django) out of
  every later pass.

Nothing here changes what is drawn: tests compare the text of PDFs drawn both ways.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import re
import threading
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

_DOCTYPE = re.compile(r"^\s*<!doctype html>", re.I)


def parse(html: str) -> ElementTree.Element | None:
    """The element tree of well-formed ``html`` (the doctype dropped), or None when it is not XML."""
    try:
        return ElementTree.fromstring(_DOCTYPE.sub("", html, count=1))
    except ElementTree.ParseError:
        return None


def user_agent_css(ua: str) -> str:
    """WeasyPrint's user-agent stylesheet ``ua`` without the pseudo-elements every element would get:
    ``::marker`` only for list items (``li``, ``summary``), no footnote or note pseudo-elements."""
    kept = [line for line in ua.splitlines() if not line.startswith(("::footnote-", "::note-"))]
    return "\n".join(kept).replace("\n::marker {", "\nli::marker, summary::marker {")


@functools.cache
def _html_class() -> type:
    """``weasyprint.HTML`` with the user-agent stylesheet of :func:`user_agent_css` (parsed once)."""
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA

    counters = CounterStyle()
    sheet = CSS(string=user_agent_css(UA), counter_style=counters)

    class ReportHTML(HTML):
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [sheet]

        def _ua_counter_style(self) -> list[Any]:
            return [counters.copy()]

    return ReportHTML


def document(html: str, base_url: str | None = None) -> Any:
    """A ``weasyprint.HTML`` of ``html`` (with the user-agent stylesheet of :func:`user_agent_css`):
    read by the XML parser when it is well-formed, by WeasyPrint's own HTML5 parser otherwise."""
    import cssselect2
    from weasyprint.urls import URLFetcher

    cls = _html_class()
    root = parse(html)
    if root is None:
        return cls(string=html, base_url=base_url)
    doc = cls.__new__(cls)  # what HTML.__init__ sets, from our tree instead of tinyhtml5's
    doc.base_url = base_url
    doc.url_fetcher = URLFetcher()
    doc.media_type = "print"
    doc.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
    doc.etree_element = doc.wrapper_element.etree_element
    return doc


@contextlib.contextmanager
def quiet_gc() -> Iterator[None]:
    """No automatic garbage collection while one document is drawn; its garbage collected once
    after (young generations only: what the document allocated). Memory stays flat."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect(1)


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """Everything alive now (fonts, WeasyPrint's caches, Django, the batch's state) moved out of the
    collector's sight for the block, so that collecting a report's garbage does not walk it again;
    given back to the collector after."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


# ====================================================================== SVG text, one layout per label
_PER_LETTER = ("dx", "dy", "rotate", "textLength", "letter-spacing")
_installed: list[Any] = []
_lock = threading.Lock()


def _simple(node: Any) -> bool:
    """A label WeasyPrint would draw letter by letter for no reason: text, at most one x and one y,
    no per-letter attribute."""
    if not node.text or any(k in node.attrib for k in _PER_LETTER):
        return False
    return all(len(node.attrib.get(k, "0").replace(",", " ").split()) <= 1 for k in ("x", "y"))


def _svg_text(original: Any) -> Any:
    from math import inf

    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import Style, TextBox
    from weasyprint.svg.utils import size
    from weasyprint.text.line_break import split_first_line

    def text(svg: Any, node: Any, font_size: float) -> None:
        """WeasyPrint 70's ``svg.text.text`` for a simple label, with the whole label laid out once."""
        if not _simple(node):
            return original(svg, node, font_size)
        from weasyprint.css.properties import INITIAL_VALUES

        style = Style()  # as WeasyPrint's own text() builds it
        style.update(INITIAL_VALUES)
        style.font_config = svg.font_config
        style["font_family"] = [f.strip("\"'") for f in node.get("font-family", "sans-serif").split(",")]
        style["font_style"] = node.get("font-style", "normal")
        weight = node.get("font-weight", 400)
        style["font_weight"] = {"normal": 400, "bold": 700}.get(weight, weight)
        try:
            style["font_weight"] = int(style["font_weight"])
        except ValueError:
            style["font_weight"] = 400
        style["font_size"] = font_size
        if node.get("direction") in ("ltr", "rtl"):
            style["direction"] = node.get("direction")
        layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)

        ascent, descent = font_size * 0.8, font_size * 0.2
        y_align = 0.0
        display_anchor = node.get("display-anchor")
        alignment = node.get("dominant-baseline", node.get("alignment-baseline"))
        if display_anchor == "middle":
            y_align = -height / 2
        elif display_anchor == "bottom":
            y_align = -height
        elif display_anchor == "top":
            pass
        elif alignment in ("central", "middle"):
            y_align = (ascent + descent) / 2 - descent
        elif alignment in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
            y_align = ascent
        elif alignment in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
            y_align = -descent

        x = size(node.attrib["x"].strip(), font_size, svg.inner_width) if "x" in node.attrib else None
        y = size(node.attrib["y"].strip(), font_size, svg.inner_height) if "y" in node.attrib else None
        if x is not None:
            svg.cursor_d_position[0] = 0
        if y is not None:
            svg.cursor_d_position[1] = 0
        x = svg.cursor_position[0] if x is None else x
        y = svg.cursor_position[1] if y is None else y
        svg.cursor_position = x + width, y
        x_position = x + svg.cursor_d_position[0]
        y_position = y + svg.cursor_d_position[1] + y_align
        node.text_bounding_box = extend_bounding_box(
            node.text_bounding_box,
            ((x_position, y_position - baseline), (x_position + width, y_position - baseline + height)),
        )

        svg.stream.push_state()
        fill, stroke = svg.set_graphical_state(node, font_size)
        svg.stream.begin_text()
        layout.reactivate(style)
        svg.fill_stroke(fill, stroke, text=True)
        box = TextBox(layout, style)
        box.baseline = baseline
        emojis = draw_first_line(svg.stream, box, "none", "none", Matrix(d=-1, e=x_position, f=y_position))
        svg.stream.end_text()
        svg.stream.pop_state()
        draw_emojis(svg.stream, style, x, y, emojis)

    return text


def install_svg_text() -> bool:
    """Draw simple SVG labels with one layout each (WeasyPrint 70 only: the replacement copies that
    version's code; any other version keeps its own). True when installed. Idempotent."""
    import weasyprint
    from weasyprint import svg

    with _lock:  # threads of a web server may draw their first PDFs at the same time
        if _installed:
            return True
        if weasyprint.__version__ != "70.0" or getattr(svg, "text", None) is not svg.TAGS.get("text"):
            return False
        original = svg.text
        fast = _svg_text(original)
        for tag, function in list(svg.TAGS.items()):
            if function is original:
                svg.TAGS[tag] = fast
        svg.text = fast  # draw_node recognises text nodes by this name (text-anchor, bounding boxes)
        _installed.append(original)
        return True


def uninstall_svg_text() -> None:
    """WeasyPrint's own SVG text again (tests compare both)."""
    from weasyprint import svg

    with _lock:
        if not _installed:
            return
        original = _installed.pop()
        for tag, function in list(svg.TAGS.items()):
            if function is svg.text:
                svg.TAGS[tag] = original
        svg.text = original
