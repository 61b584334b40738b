"""Look at a file before any parser does, and refuse what would exhaust the machine.

A spreadsheet is a zip of XML parts. A 1.6 KB xlsx holding two cells, ``A1`` and
``XFD1048576``, makes a dense reader allocate 16,384 × 1,048,576 cells (hundreds of GB); a zip
bomb unpacks a few KB into gigabytes; an XML part with entity declarations expands itself
("billion laughs"); a CSV can be one 50 MB line. :func:`check_file` bounds all of these from
the bytes alone, in the order of cost:

1. the file's size and type (by content: a zip, or text);
2. for xlsx, the zip directory: number of parts, declared unpacked sizes and compression ratio;
   then every XML part is unpacked *as a stream* (never whole into memory), counting the bytes
   actually produced, and its prolog refused if it declares a DTD or entities;
3. each worksheet's extent, from every cell reference in it (not from ``<dimension>``, which a
   file can fake): rows, columns and rows × columns (the dense grid a reader builds);
4. for CSV, line count, longest line, cell count and NUL bytes.

Every refusal is an :class:`~ronghe.core.errors.AnswerFileError` naming the limit, in the
user's language, with a stable code — the same typed error as a bad cell, so every face (web,
API, CLI) already knows how to show it. The limits are a :class:`Limits`; the web takes them from
Django settings, the CLI from its defaults (generous: national batches are large).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ronghe.core.errors import AnswerError, AnswerFileError
from ronghe.core.messages import message, size

MB = 1 << 20
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv"}
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Bounds on an input file. Sizes in bytes; ``max_ratio`` is unpacked ÷ packed size of one part."""

    max_bytes: int = 200 * MB
    max_unzipped_bytes: int = 2048 * MB
    max_ratio: float = 250.0
    max_members: int = 1000
    max_rows: int = 1_000_000
    max_columns: int = 2000
    max_cells: int = 60_000_000
    max_line_bytes: int = 1 * MB

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not value > 0:
                raise ValueError(f"Limits.{name} must be positive, not {value!r}")


def _refuse(path: Path, code: str, where: str | None = None, **params: object) -> AnswerFileError:
    """The error for a broken limit; ``where`` is the sheet it concerns, if any."""
    return AnswerFileError([AnswerError(0, "", path.name, message(code, **params), where, code)])


def check_file(path: str | Path, limits: Limits | None = None) -> str:
    """Check ``path`` against ``limits``; return its kind (``"xlsx"`` or ``"csv"``) or raise
    :class:`AnswerFileError` naming the first limit it breaks."""
    path = Path(path)
    limits = limits or Limits()
    suffix = path.suffix.lower()
    if suffix not in XLSX_SUFFIXES | CSV_SUFFIXES:
        raise _refuse(path, "file.type", suffix=suffix or path.name)
    n = path.stat().st_size
    if n > limits.max_bytes:
        raise _refuse(path, "file.too_large", size=size(n), limit=size(limits.max_bytes))
    if suffix in CSV_SUFFIXES:
        _check_csv(path, limits)
        return "csv"
    _check_xlsx(path, limits)
    return "xlsx"


# --------------------------------------------------------------------------- CSV
def _check_csv(path: Path, limits: Limits) -> None:
    lines = commas = 0
    carried = 0  # bytes of the line still open at the end of the previous chunk
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            if b"\x00" in chunk:
                raise _refuse(path, "csv.nul")
            ends = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10)  # positions of "\n"
            lengths = np.diff(ends, prepend=-1 - carried)  # each completed line, with its "\n"
            open_line = carried + len(chunk) if len(ends) == 0 else len(chunk) - 1 - int(ends[-1])
            over = np.flatnonzero(lengths > limits.max_line_bytes)
            if len(over) or open_line > limits.max_line_bytes:
                row = lines + (int(over[0]) if len(over) else len(ends)) + 1
                raise _refuse(path, "csv.line", row=row, limit=size(limits.max_line_bytes))
            carried = open_line
            lines += len(ends)
            commas += chunk.count(b",")
            if lines > limits.max_rows:
                raise _refuse(path, "csv.rows", limit=f"{limits.max_rows:,}")
    lines += carried > 0
    if lines > limits.max_rows:
        raise _refuse(path, "csv.rows", limit=f"{limits.max_rows:,}")
    if commas + lines > limits.max_cells:
        raise _refuse(path, "csv.cells", cells=f"{commas + lines:,}", limit=f"{limits.max_cells:,}")


# --------------------------------------------------------------------------- xlsx
def _check_xlsx(path: Path, limits: Limits) -> None:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(path, "zip.bad") from None
    with zf, path.open("rb") as raw:
        members = zf.infolist()
        if len(members) > limits.max_members:
            raise _refuse(path, "zip.members", count=len(members), limit=limits.max_members)
        declared = sum(m.file_size for m in members)
        if declared > limits.max_unzipped_bytes:
            raise _refuse(path, "zip.unzipped", limit=size(limits.max_unzipped_bytes))
        for m in members:
            if m.file_size > MB and m.file_size > limits.max_ratio * max(m.compress_size, 1):
                raise _refuse(path, "zip.ratio", member=m.filename, ratio=m.file_size / max(m.compress_size, 1),
                              limit=limits.max_ratio)
        names = _sheet_names(zf)
        budget = [limits.max_unzipped_bytes]
        for m in members:
            if not m.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            sheet = names.get(m.filename)
            scan = _SheetScan(path, sheet or m.filename, limits) if sheet is not None else None
            prolog = _PrologCheck(path, m.filename)
            for chunk in _unpack(path, raw, m, limits, budget):
                prolog.feed(chunk)
                if scan is not None:
                    scan.feed(chunk)
            if scan is not None:
                scan.finish()


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name → the sheet's name as the user sees it (the part name where unknown).

    Read with regular expressions, not an XML parser: these parts are checked for entities later.
    """
    parts = [n for n in zf.namelist() if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)]
    names = {p: p.rsplit("/", 1)[-1].removesuffix(".xml") for p in parts}

    def small(name: str) -> bytes:
        try:
            info = zf.getinfo(name)
            return zf.read(name) if info.file_size <= 4 * MB else b""  # reading stops at the declared size
        except (KeyError, zipfile.BadZipFile, zlib.error, OSError):
            return b""

    rels, book = small("xl/_rels/workbook.xml.rels"), small("xl/workbook.xml")

    def attrs(tag: bytes) -> dict[bytes, bytes]:
        return dict(re.findall(rb'([\w:]+)="([^"]*)"', tag))

    targets = {a.get(b"Id"): a.get(b"Target", b"").decode("utf-8", "replace")
               for a in map(attrs, re.findall(rb"<Relationship\b[^>]*>", rels))}
    for a in map(attrs, re.findall(rb"<sheet\b[^>]*>", book)):
        target = targets.get(a.get(b"r:id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if part in names and b"name" in a:
            names[part] = a[b"name"].decode("utf-8", "replace")
    return names


def _unpack(path: Path, raw, member: zipfile.ZipInfo, limits: Limits, budget: list[int]):
    """Yield the unpacked bytes of ``member`` chunk by chunk, from its raw compressed stream.

    The stream is inflated as far as it really goes (a reader would do the same), not merely to the
    size the header declares, and the bytes produced count against ``budget`` (the unpacked total
    left): a part whose header lies about its size is caught here.
    """
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _refuse(path, "zip.method", member=member.filename)
    raw.seek(member.header_offset)
    header = raw.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise _refuse(path, "zip.bad")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    raw.seek(member.header_offset + 30 + name_len + extra_len)
    left = member.compress_size
    inflater = zlib.decompressobj(-15) if member.compress_type == zipfile.ZIP_DEFLATED else None
    produced = 0
    while left > 0 or (inflater is not None and inflater.unconsumed_tail):
        if inflater is not None and inflater.unconsumed_tail:
            packed = inflater.unconsumed_tail
        else:
            packed = raw.read(min(_CHUNK, left))
            if not packed:
                raise _refuse(path, "zip.bad")
            left -= len(packed)
        try:
            chunk = inflater.decompress(packed, _CHUNK) if inflater is not None else packed
        except zlib.error:
            raise _refuse(path, "zip.bad") from None
        produced += len(chunk)
        budget[0] -= len(chunk)
        if budget[0] < 0:
            raise _refuse(path, "zip.unzipped", limit=size(limits.max_unzipped_bytes))
        if produced > max(member.file_size, 0) and produced > MB:
            raise _refuse(path, "zip.size_mismatch", member=member.filename)
        if produced > MB and produced > limits.max_ratio * max(member.compress_size, 1):
            raise _refuse(path, "zip.ratio", member=member.filename, ratio=produced / max(member.compress_size, 1),
                          limit=limits.max_ratio)
        if chunk:
            yield chunk
    if inflater is not None:
        rest = inflater.flush()
        if rest:
            yield rest


class _PrologCheck:
    """Refuse a DTD or entity declaration before the root element (where XML allows them)."""

    _ROOT = re.compile(rb"<[A-Za-z_]")

    def __init__(self, path: Path, member: str):
        self.path, self.member, self.head, self.done = path, member, b"", False

    def feed(self, chunk: bytes) -> None:
        if self.done:
            return
        self.head += chunk
        root = self._ROOT.search(self.head)
        prolog = self.head if root is None else self.head[: root.start()]
        if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper():
            raise _refuse(self.path, "xml.entities", member=self.member)
        if root is not None:
            self.done, self.head = True, b""


_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,4})')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,4}(\d{1,12})"')
_ROW = re.compile(rb'<row r="(\d{1,12})"')
_ODD_TAG = re.compile(rb"<(?:c|row)[>/\t\r\n]")  # a cell or row tag without attributes, or split oddly


def _greater(text: str, first: str, last: str) -> str:
    """A regular expression for the strings over ``first``–``last`` (A–Z or 0–9) that order after
    ``text`` the way cell references do: a longer string is greater, else the first differing character."""
    options = [f"[{first}-{last}]{{{len(text) + 1},}}"]
    for i, ch in enumerate(text):
        if ch < last:
            bigger = chr(ord(ch) + 1)
            options.append(f"{re.escape(text[:i])}[{bigger}-{last}][{first}-{last}]{{{len(text) - i - 1}}}")
    return "(?:" + "|".join(options) + ")"


def _letters(n: int) -> str:
    """Column number → letters: 1 → A, 27 → AA, 16384 → XFD."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def column_number(letters: bytes | str) -> int:
    """``A`` → 1, ``Z`` → 26, ``AA`` → 27, ``XFD`` → 16384."""
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + (ch - 64)
    return n


class _SheetScan:
    """The extent of a worksheet from the cell references in its XML, fed chunk by chunk.

    Tags split across two chunks are handled by carrying the last partial tag into the next one.
    A cell or row without a reference (allowed by the format, written by no common program) takes
    the next position, as readers do; such sheets are scanned tag by tag, which is slower.
    """

    def __init__(self, path: Path, sheet: str, limits: Limits):
        self.path, self.sheet, self.limits = path, sheet, limits
        self.carry = b""
        self.max_row = self.max_col = 0
        self.row = self.col = 0  # position of the implicit scan

    def feed(self, chunk: bytes) -> None:
        data = self.carry + chunk
        cut = data.rfind(b"<")
        if cut == -1 or data.find(b">", cut) != -1:
            cut = len(data)
        data, self.carry = data[:cut], data[cut:]
        if len(self.carry) > 64 * 1024:  # no tag is this long in a real sheet
            data, self.carry = data + self.carry, b""
        if (_ODD_TAG.search(data) or data.count(b"<c ") != data.count(b'<c r="')
                or data.count(b"<row ") != data.count(b'<row r="')):
            self._implicit(data)  # references missing or not first: exact, tag by tag
        else:
            # Every cell and row names its reference first (as Excel, WPS, LibreOffice and openpyxl
            # write them). Rows come from the row tags; the cells are searched once for a column or a
            # row beyond the extent seen so far, which a real sheet rarely has, so a chunk costs a few
            # scans at memory speed instead of a Python object per cell.
            rows = _ROW.findall(data)
            if rows:
                self.max_row = max(self.max_row, max(map(int, rows)))
                self.row = int(rows[-1])
            beyond = (rb'<c r="(?:' + _greater(_letters(self.max_col), "A", "Z").encode() + rb"\d|[A-Z]{1,4}0*"
                      + _greater(str(self.max_row), "0", "9").encode() + rb'")')
            if self.max_col == 0 or re.search(beyond, data):
                self.max_col = max([self.max_col, *map(column_number, set(_CELL_COLUMN.findall(data)))])
                self.max_row = max([self.max_row, *map(int, set(_CELL_ROW.findall(data)))])
        self._check()

    def _implicit(self, data: bytes) -> None:
        """Tag-by-tag scan for sheets with unreferenced cells or rows."""
        for m in re.finditer(rb"<(row|c)\b([^>]*)>", data):
            ref = re.search(rb'\br="([A-Z]*)(\d*)"', m.group(2))
            if m.group(1) == b"row":
                self.row = int(ref.group(2)) if ref and ref.group(2) else self.row + 1
                self.col = 0
            else:
                if ref and ref.group(1):
                    self.col = column_number(ref.group(1))
                    if ref.group(2):
                        self.row = max(self.row, int(ref.group(2)))
                else:
                    self.col += 1
                self.max_col = max(self.max_col, self.col)
            self.max_row = max(self.max_row, self.row)

    def _check(self) -> None:
        lim = self.limits
        if self.max_row > lim.max_rows:
            raise _refuse(self.path, "sheet.rows", self.sheet, sheet=self.sheet, rows=f"{self.max_row:,}",
                          limit=f"{lim.max_rows:,}")
        if self.max_col > lim.max_columns:
            raise _refuse(self.path, "sheet.columns", self.sheet, sheet=self.sheet, columns=f"{self.max_col:,}",
                          limit=f"{lim.max_columns:,}")
        if self.max_row * self.max_col > lim.max_cells:
            raise _refuse(self.path, "sheet.cells", self.sheet, sheet=self.sheet, rows=f"{self.max_row:,}",
                          columns=f"{self.max_col:,}", limit=f"{lim.max_cells:,}")

    def finish(self) -> None:
        if self.carry:
            data, self.carry = self.carry, b""
            self.feed(data)
        self._check()
