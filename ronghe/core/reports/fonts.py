"""Smaller copies of the Noto CJK faces the PDF reports use, so that WeasyPrint subsets them faster.

The Debian package ships each face inside a collection (``.ttc``) of five languages with 65,535
glyphs and large layout tables; WeasyPrint subsets the face for every PDF, and most of that work is
walking the whole face. A copy that keeps only the Simplified Chinese face's glyphs for ASCII,
Latin-1, general punctuation, arrows, enclosed numbers, CJK punctuation, full-width forms and every
character of GB 2312 (6,763 hanzi and its symbols) — and drops the layout tables, which Chinese
text set horizontally does not use — is about 2 MB and makes each report's fonts quicker to
subset and half as large. A character outside that set (a rare character in an enterprise's name)
is still drawn: the report's font lists name the full face after the copy, and Pango falls back to
it glyph by glyph.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

FACES = {
    # family name in the reports' CSS → (collection file, the face's full name inside it)
    "Ronghe Serif SC": ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    "Ronghe Sans SC": ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
}
FILES = {"Ronghe Serif SC": "ronghe-serif-sc.otf", "Ronghe Sans SC": "ronghe-sans-sc.otf"}
SYSTEM_DIR = Path("/usr/share/fonts/opentype/noto")


def charset() -> set[int]:
    """The code points the copies keep: ASCII, Latin-1, general punctuation, arrows, enclosed
    numbers, CJK punctuation, full-width forms and all of GB 2312."""
    points = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(range(0x2000, 0x2070))
    points |= set(range(0x2190, 0x2200)) | set(range(0x2460, 0x2500)) | set(range(0x3000, 0x3040))
    points |= set(range(0xFF00, 0xFFF0))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return points


def _face_index(path: Path, full_name: str) -> int:
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    for i, font in enumerate(collection.fonts):
        if font["name"].getDebugName(4) == full_name:
            return i
    raise LookupError(f"{path} has no face {full_name!r}")


def build(family: str, out_dir: Path, system_dir: Path = SYSTEM_DIR) -> Path:
    """Write the reduced copy of ``family``'s face into ``out_dir`` (atomically: a half-written file
    is never read) and return its path. Takes tens of seconds: run it once, at install."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    source, full_name = FACES[family]
    path = system_dir / source
    font = TTFont(str(path), fontNumber=_face_index(path, full_name))
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "BASE", "JSTF", "vhea", "vmtx", "VORG"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=charset())
    subsetter.subset(font)
    for record in font["name"].names:  # the copy answers to its own family name, not Noto's
        if record.nameID in (1, 4, 16):
            record.string = family
        elif record.nameID == 6:
            record.string = family.replace(" ", "")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / FILES[family]
    fd, tmp = tempfile.mkstemp(dir=out_dir, suffix=".otf.part")
    os.close(fd)
    font.save(tmp)
    os.chmod(tmp, 0o644)  # mkstemp makes it private; the web server's user reads it
    os.replace(tmp, target)
    return target


def font_face_css(out_dir: Path) -> str:
    """``@font-face`` rules for the copies present in ``out_dir`` ("" when none is)."""
    rules = []
    for family, file in FILES.items():
        path = out_dir / file
        if path.exists():
            rules.append(f'@font-face{{font-family:"{family}";src:url("{path.resolve().as_uri()}")}}')
    return "".join(rules)
