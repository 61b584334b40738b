"""How the reports drive WeasyPrint (ronghe.core.reports.drawing): the XML reading of well-formed
markup, one layout per SVG label and the collector held during a document must draw the same PDF as
WeasyPrint's own path (text read back with pdftotext, pages compared as pictures)."""

from __future__ import annotations

import gc
import subprocess
import weakref
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ronghe.core.reports import charts, drawing

BODY = (
    "<p>两化融合 R&amp;D 诊断<br/>第二行</p><table><thead><tr><th>指标</th><th>得分</th></tr></thead>"
    "<tbody><tr><td>基础建设</td><td>43.6</td></tr></tbody></table><ul><li>甲项</li><li>乙项</li></ul><ol><li>丙项</li></ol>"
)


def _html(body: str) -> str:
    return (
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"/><title>t</title><style>'
        '@page{size:A4;margin:20mm}body{font-family:"Noto Serif CJK SC",serif}</style></head>'
        f"<body>{body}</body></html>"
    )


def _chart() -> str:
    return charts.bar(
        ["基础建设", "单项应用", "综合集成"], [43.6, None, 71.25], maximum=100, title="各领域得分", highlight=0
    )


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def _pixels(pdf: bytes, tmp_path: Path, name: str) -> np.ndarray:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(path), str(tmp_path / name)], check=True)
    return np.asarray(Image.open(tmp_path / f"{name}.png").convert("L"), dtype=np.int16)


@pytest.fixture
def stock_svg_text():
    """WeasyPrint's own SVG text for the test, the reports' one again after it."""
    was = drawing.install_svg_text()
    drawing.uninstall_svg_text()
    yield
    if was:
        drawing.install_svg_text()


def test_well_formed_markup_is_read_as_xml_and_anything_else_by_the_html_parser():
    root = drawing.parse(_html(BODY))
    assert root is not None and root.tag == "html" and root.find("body/table/thead/tr/th").text == "指标"
    svg = drawing.parse(_html(_chart())).find("body/{http://www.w3.org/2000/svg}svg")
    assert svg is not None and svg.find("{http://www.w3.org/2000/svg}text").text == "基础建设"
    assert drawing.parse(_html("<p>a<br>b</p>")) is None  # HTML, not XML
    assert drawing.parse(_html("<p>&nbsp;</p>")) is None  # an entity XML does not know
    doc = drawing.document(_html("<p>a<br>b</p>"))  # still drawn, by tinyhtml5
    assert doc.write_pdf().startswith(b"%PDF")


def test_the_user_agent_stylesheet_loses_only_the_pseudo_elements_every_element_would_get():
    from weasyprint.html import UA

    ours = drawing.user_agent_css(UA)
    removed = set(UA.splitlines()) - set(ours.splitlines())
    added = set(ours.splitlines()) - set(UA.splitlines())
    assert {line.split(" {")[0] for line in removed} == {
        "::marker",
        "::footnote-call",
        "::footnote-marker",
        "::note-call",
        "::note-marker",
        "::note-callback",
    }
    assert {line.split(" {")[0] for line in added} == {"li::marker, summary::marker"}


def test_the_xml_reading_draws_what_weasyprint_draws(tmp_path):
    from weasyprint import HTML

    html = _html(BODY + _chart())
    ours = drawing.document(html).write_pdf()
    theirs = HTML(string=html).write_pdf()
    assert _text(ours, tmp_path) == _text(theirs, tmp_path)
    assert "R&D" in _text(ours, tmp_path) and "• 甲项" in _text(ours, tmp_path) and "1. 丙项" in _text(ours, tmp_path)
    assert np.abs(_pixels(ours, tmp_path, "ours") - _pixels(theirs, tmp_path, "theirs")).max() == 0


def test_svg_labels_laid_out_once_draw_the_same_picture_and_text(tmp_path, stock_svg_text):
    from weasyprint import HTML

    html = _html(
        _chart()
        + charts.radar(
            ["基础建设", "单项应用", "综合集成", "协同与创新"],
            [("2025", [43.6, 60, 20, 90]), ("2024", [40, 50, None, 80])],
        )
    )
    letters = HTML(string=html).write_pdf()
    assert drawing.install_svg_text()
    labels = HTML(string=html).write_pdf()
    assert len(labels) < len(letters)  # one text object per label instead of one per letter
    text = _text(labels, tmp_path)
    assert "基础建设" in text and "43.6" in text and "—" in text  # each label one string, in the PDF's text
    assert [line.split() for line in text.splitlines()] == [
        line.split() for line in _text(letters, tmp_path).splitlines()
    ]
    ours, theirs = _pixels(labels, tmp_path, "labels"), _pixels(letters, tmp_path, "letters")
    assert ours.shape == theirs.shape
    assert (np.abs(ours - theirs) > 80).mean() < 0.002  # glyphs placed alike (kerning may move a pixel)


def test_labels_with_per_letter_positions_are_left_to_weasyprint(tmp_path, stock_svg_text):
    from weasyprint import HTML

    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60" viewBox="0 0 300 60">'
        '<text x="10" y="30" dx="0 8 8 8" font-size="14">甲乙丙丁</text>'
        '<text x="10 40 70" y="50" font-size="14">ABC</text></svg>'
    )
    letters = HTML(string=_html(svg)).write_pdf()
    assert drawing.install_svg_text()
    assert not drawing._simple(drawing.parse(_html(svg)).find(".//{http://www.w3.org/2000/svg}text"))
    same = HTML(string=_html(svg)).write_pdf()
    assert np.abs(_pixels(same, tmp_path, "a") - _pixels(letters, tmp_path, "b")).max() == 0


def test_the_collector_waits_for_the_document_and_collects_its_garbage_after():
    class Node:
        pass

    assert gc.isenabled()
    with drawing.quiet_gc():
        assert not gc.isenabled()
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: only the collector frees it
        ref = weakref.ref(a)
        del a, b
        assert ref() is not None
    assert gc.isenabled() and ref() is None


def test_a_frozen_batch_gives_its_objects_back_to_the_collector():
    with drawing.frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
