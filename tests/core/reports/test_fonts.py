"""The reduced CJK faces: which characters they keep, and the @font-face rules of the copies present."""

from ronghe.core.reports import fonts


def test_the_copies_keep_gb2312_and_the_report_punctuation():
    points = fonts.charset()
    hanzi = [p for p in points if 0x4E00 <= p <= 0x9FFF]
    assert len(hanzi) == 6763  # GB 2312 levels 1 and 2
    assert all(ord(c) in points for c in "两化融合诊断报告〇一二—·×①％（）：、。“”→↑↓ABCxyz0123456789%")
    assert ord("喆") not in points and ord("䶮") not in points  # drawn by the full face instead


def test_font_face_rules_name_only_the_copies_that_exist(tmp_path):
    assert fonts.font_face_css(tmp_path) == ""
    (tmp_path / fonts.FILES["Ronghe Serif SC"]).write_bytes(b"OTTO")
    css = fonts.font_face_css(tmp_path)
    assert (
        css == f'@font-face{{font-family:"Ronghe Serif SC";src:url("{(tmp_path / "ronghe-serif-sc.otf").as_uri()}")}}'
    )
