"""What an evidence file really is, from its bytes — never from its name.

An evidence document is stored and handed to assessors, not parsed, so what matters is that it
is one of the few kinds a browser or an office suite opens safely, whatever the uploader called
it: PDF, PNG, JPEG, or an Office Open XML document (docx, xlsx, pptx). Each is recognised by its
signature ("magic bytes"); an OOXML file is a zip whose ``[Content_Types].xml`` and main part
name the kind, read from the zip's directory only (nothing is unpacked, so a zip bomb costs
nothing). A renamed executable, HTML page or SVG (which can carry script) is refused.

Why not a magic-number library: the accepted set is an allow-list of five kinds, and an OOXML
file is only told apart from any zip by its parts; a general sniffer (puremagic, filetype) would
return a best guess over hundreds of kinds that we would then have to narrow down again.
Macro-enabled documents (a ``vbaProject.bin`` part) are refused.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ronghe.core.errors import AnswerError, AnswerFileError
from ronghe.core.messages import message, size


@dataclass(frozen=True)
class Kind:
    name: str
    """Short name: ``pdf``, ``png``, ``jpeg``, ``docx``, ``xlsx``, ``pptx``."""
    content_type: str
    suffix: str


KINDS = {k.name: k for k in (
    Kind("pdf", "application/pdf", ".pdf"),
    Kind("png", "image/png", ".png"),
    Kind("jpeg", "image/jpeg", ".jpg"),
    Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    Kind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
)}
_OOXML_MAIN = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}
_MAX_ZIP_MEMBERS = 10_000


def _refuse(path: Path, code: str, **params: object) -> AnswerFileError:
    return AnswerFileError([AnswerError(0, "", path.name, message(code, **params), None, code)])


def sha256_of(path: str | Path) -> str:
    """The hex SHA-256 of the file at ``path`` (a stored file's identity), read 1 MiB at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sniff(path: str | Path, max_bytes: int) -> Kind:
    """The kind of the evidence file at ``path``; raise :class:`AnswerFileError` (``file.too_large``,
    ``evidence.empty``, ``evidence.type``) when it is too large, empty or of no accepted kind."""
    path = Path(path)
    n = path.stat().st_size
    if n > max_bytes:
        raise _refuse(path, "file.too_large", size=size(n), limit=size(max_bytes))
    if n == 0:
        raise _refuse(path, "evidence.empty")
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(b"%PDF-"):
        return KINDS["pdf"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return KINDS["png"]
    if head.startswith(b"\xff\xd8\xff"):
        return KINDS["jpeg"]
    if head.startswith(b"PK\x03\x04"):
        kind = _ooxml(path)
        if kind is not None:
            return KINDS[kind]
    raise _refuse(path, "evidence.type")


def _ooxml(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            if len(members) > _MAX_ZIP_MEMBERS:
                return None
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names or any(n.endswith("vbaProject.bin") for n in names):
        return None  # not OOXML, or a macro-enabled document
    found = [kind for part, kind in _OOXML_MAIN.items() if part in names]
    return found[0] if len(found) == 1 else None
