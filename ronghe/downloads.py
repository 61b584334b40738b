"""Downloads made on request (xlsx files), for pages and API alike; the API declares them in its
OpenAPI schema as binary content (``XLSX_RESPONSE``)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from django.http import FileResponse

from ronghe import uploads

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_RESPONSE = {"responses": {200: {"description": "xlsx", "content": {
    XLSX: {"schema": {"type": "string", "format": "binary"}}}}}}
"""``openapi_extra`` of a route whose 200 answer is an xlsx file."""


def xlsx_response(write: Callable[[Path], Path], name: str) -> FileResponse:
    """Write a workbook with ``write(path)`` in a temporary folder and answer it as a download named
    ``name``. The folder is removed at once; the open file stays readable until it has been sent."""
    with tempfile.TemporaryDirectory(dir=uploads.temp_dir()) as tmp:
        path = write(Path(tmp) / "download.xlsx")
        return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=XLSX)
