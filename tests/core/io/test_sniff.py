"""Evidence files are judged by their content, never by their name."""

import hashlib
import io
import zipfile

import pytest

from ronghe.core.errors import AnswerFileError
from ronghe.core.io.sniff import sha256_of, sniff


def _zip(*parts: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in parts:
            zf.writestr(p, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize(("content", "kind"), [
    (b"%PDF-1.7\n", "pdf"), (b"\x89PNG\r\n\x1a\n....", "png"), (b"\xff\xd8\xff\xe0JFIF", "jpeg"),
    (_zip("[Content_Types].xml", "word/document.xml"), "docx"),
    (_zip("[Content_Types].xml", "xl/workbook.xml"), "xlsx"),
    (_zip("[Content_Types].xml", "ppt/presentation.xml"), "pptx"),
])
def test_it_recognises_each_accepted_kind_whatever_the_name(tmp_path, content, kind):
    f = tmp_path / "scan.txt"
    f.write_bytes(content)
    assert sniff(f, 1 << 20).name == kind


@pytest.mark.parametrize("content", [
    b"<svg onload=alert(1)>", b"MZ\x90\x00\x03", b"#!/bin/sh\n", _zip("a.txt"),
    _zip("[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin"),  # macros
    _zip("[Content_Types].xml", "word/document.xml", "xl/workbook.xml"),  # ambiguous
])
def test_it_refuses_anything_else(tmp_path, content):
    f = tmp_path / "report.pdf"
    f.write_bytes(content)
    with pytest.raises(AnswerFileError) as exc:
        sniff(f, 1 << 20)
    assert exc.value.errors[0].code == "evidence.type"


def test_it_identifies_a_stored_file_by_the_sha256_of_all_its_bytes(tmp_path):
    data = bytes(range(256)) * 5000  # more than one 1 MiB read
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    assert sha256_of(path) == sha256_of(str(path)) == hashlib.sha256(data).hexdigest()
    (tmp_path / "empty").write_bytes(b"")
    assert sha256_of(tmp_path / "empty") == hashlib.sha256(b"").hexdigest()
