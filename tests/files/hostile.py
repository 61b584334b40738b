"""Hostile input files, built at test time: each is the smallest file that breaks one bound.

- ``two_cell_sheet``: an xlsx holding only A1 and XFD1048576 (a dense reader would build
  16,384 × 1,048,576 cells);
- ``zip_bomb``: an xlsx whose sheet unpacks ~1,000:1 (a few hundred KB → hundreds of MB);
- ``lying_zip``: an xlsx whose zip headers declare a sheet far smaller than it unpacks to;
- ``billion_laughs``: an xlsx whose shared strings declare nested entities;
- ``far_cell_sheet``: an xlsx with a plausible ``<dimension>`` but one cell far outside it, after
  more than a megabyte of ordinary rows (the scan must not trust the dimension, nor miss a chunk);
- ``unreferenced_cells``: an xlsx whose cells carry no ``r`` reference (positions implied);
- ``long_line_csv``: a CSV of one 50 MB line.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _base(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "答卷"
    ws["A1"] = "enterprise"
    wb.save(path)
    return path


def _replace(path: Path, parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """Rewrite the xlsx at ``path`` with some parts replaced."""
    with zipfile.ZipFile(path) as zin:
        members = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    with zipfile.ZipFile(path, "w", compression, compresslevel=9) as zout:
        for name, data in members:
            zout.writestr(name, parts.get(name, data))
    return path


def two_cell_sheet(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "答卷"
    ws["A1"] = "enterprise"
    ws["XFD1048576"] = 1
    wb.save(path)
    return path


def zip_bomb(path: Path, megabytes: int = 300) -> Path:
    body = _HEAD + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    body += b"a" * (megabytes << 20) + b"</t></is></c></row></sheetData></worksheet>"
    return _replace(_base(path), {SHEET: body})


def lying_zip(path: Path, megabytes: int = 8) -> Path:
    """The sheet's declared (local and central) uncompressed size is patched down to 1,000 bytes."""
    body = _HEAD + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    body += b"ab" * (megabytes << 19) + b"</t></is></c></row></sheetData></worksheet>"
    _replace(_base(path), {SHEET: body})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(SHEET)
    real = struct.pack("<I", info.file_size)
    fake = struct.pack("<I", 1000)
    local = info.header_offset
    data[local + 22:local + 26] = fake  # local file header: uncompressed size
    name = SHEET.encode()
    central = data.find(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    assert data[central + 24:central + 28] == real
    data[central + 24:central + 28] = fake  # central directory entry: uncompressed size
    path.write_bytes(bytes(data))
    return path


def billion_laughs(path: Path) -> Path:
    lol = (b'<?xml version="1.0"?>\n<!DOCTYPE sst [\n<!ENTITY lol "lol">\n'
           + b"".join(b'<!ENTITY lol%d "%s">\n' % (k, (b"&lol%d;" % (k - 1) if k > 1 else b"&lol;") * 10)
                      for k in range(1, 10))
           + b']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
             b'uniqueCount="1"><si><t>&lol9;</t></si></sst>')
    sheet = _HEAD + b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    _replace(_base(path), {SHEET: sheet})
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/sharedStrings.xml", lol)
    return path


def far_cell_sheet(path: Path, column: str = "ZZ", row: int = 900_000) -> Path:
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>enterprise %d</t></is></c></row>' % (i, i, i)
                    for i in range(1, 30_000))
    far = b'<row r="30000"><c r="A30000"><v>1</v></c><c r="%s%d"><v>1</v></c></row>' % (column.encode(), row)
    body = _HEAD + b'<dimension ref="A1:B3"/><sheetData>' + rows + far + b"</sheetData></worksheet>"
    return _replace(_base(path), {SHEET: body})


def unreferenced_cells(path: Path, columns: int) -> Path:
    cells = b"<c><v>1</v></c>" * columns
    body = _HEAD + b"<sheetData><row>" + cells + b"</row></sheetData></worksheet>"
    return _replace(_base(path), {SHEET: body})


def long_line_csv(path: Path, megabytes: int = 50) -> Path:
    with path.open("wb") as fh:
        fh.write(b"enterprise,")
        block = b"x" * (1 << 20)
        for _ in range(megabytes):
            fh.write(block)
        fh.write(b"\n")
    return path
