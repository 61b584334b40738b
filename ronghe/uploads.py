"""Uploaded files: from the request to a bounded file on disk, and away again on every path.

Views call :func:`saved_upload` *after* their permission check: it refuses a file over
``RONGHE_UPLOAD_MAX_BYTES`` before copying it, writes it under ``FILE_UPLOAD_TEMP_DIR`` with its
suffix (the readers dispatch on it) and removes it when the block ends, whatever happens. The
readers then check the file's content against :func:`limits` (:mod:`ronghe.core.io.guard`)
before any parser sees it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from ronghe.core.errors import AnswerError, AnswerFileError
from ronghe.core.io.guard import Limits, check_file
from ronghe.core.messages import size


def limits() -> Limits:
    """The bounds on an uploaded file, from settings (``RONGHE_UPLOAD_*``)."""
    return Limits(max_bytes=settings.RONGHE_UPLOAD_MAX_BYTES, max_unzipped_bytes=settings.RONGHE_UPLOAD_MAX_UNZIPPED,
                  max_ratio=settings.RONGHE_UPLOAD_MAX_RATIO, max_rows=settings.RONGHE_UPLOAD_MAX_ROWS,
                  max_columns=settings.RONGHE_UPLOAD_MAX_COLUMNS, max_cells=settings.RONGHE_UPLOAD_MAX_CELLS,
                  max_line_bytes=settings.RONGHE_UPLOAD_MAX_LINE_BYTES)


def temp_dir() -> Path:
    path = Path(settings.FILE_UPLOAD_TEMP_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def saved_upload(upload: UploadedFile) -> Iterator[Path]:
    """The upload as a file on disk (``.xlsx``/``.csv`` suffix kept), removed when the block ends."""
    name = Path(upload.name or "upload").name
    if upload.size is not None and upload.size > settings.RONGHE_UPLOAD_MAX_BYTES:
        raise AnswerFileError([AnswerError.of(0, "", name, "file.too_large", size=size(upload.size),
                                              limit=size(settings.RONGHE_UPLOAD_MAX_BYTES))])
    suffix = Path(name).suffix.lower()[:10]
    fd, tmp = tempfile.mkstemp(prefix="upload-", suffix=suffix, dir=temp_dir())
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        yield Path(tmp)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def check(upload: UploadedFile) -> None:
    """Refuse an upload that breaks a limit (:mod:`ronghe.core.io.guard`) before it is kept for a job."""
    with saved_upload(upload) as path:
        check_file(path, limits())
    upload.seek(0)
