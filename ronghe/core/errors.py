"""Typed errors of the computational core.

Every error names the place of the fault (file and path in a framework; row, column and value
in an answers table) and the reason, so that the CLI, the API and the web pages can show the
user exactly what to fix. Errors are *collected*: a loader or reader gathers all faults it
finds and raises one exception holding the list, instead of stopping at the first one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


class RongheError(Exception):
    """Base class of every error ronghe raises on purpose."""


@dataclass(frozen=True)
class FrameworkError:
    """One fault in a framework (or index definition) file.

    ``path`` is the place inside the document, such as ``items/B1_03/condition/item``;
    ``file`` is the file name, or ``None`` for a framework built in memory. ``reason`` is the
    message of ``code`` in the language active when the fault was found.
    """

    file: str | None
    path: str
    reason: str
    code: str = ""
    """A stable identifier of the kind of fault (``doc.yaml``, ``framework.duplicate_id`` …)."""
    params: dict[str, Any] = field(default_factory=dict, compare=False)
    """The values the message names (ids, paths, numbers), never translated."""

    @classmethod
    def of(cls, file: str | None, path: str, code: str, /, **params: Any) -> FrameworkError:
        """The fault ``code`` (see :mod:`ronghe.core.messages`), its message in the active language."""
        from ronghe.core.messages import message

        return cls(file, path, message(code, **params), code, params)

    def __str__(self) -> str:
        where = f"{self.file}: " if self.file else ""
        return f"{where}{self.path}: {self.reason}"


@dataclass(frozen=True)
class AnswerError:
    """One bad cell (or row) in an answers table.

    ``row`` is the row number as the user sees it in the source file (1-based, counting the
    header rows), ``column`` the column header (an item id), ``value`` the raw cell value.
    """

    row: int
    column: str
    value: Any
    reason: str
    sheet: str | None = None
    code: str = ""
    """A stable identifier of the kind of fault (``sheet.rows``, ``zip.ratio`` …) where one is defined."""

    @classmethod
    def of(cls, row: int, column: str, value: Any, code: str, sheet: str | None = None, **params: Any) -> AnswerError:
        """The fault ``code`` (see :mod:`ronghe.core.messages`), its message in the active language."""
        from ronghe.core.messages import message

        return cls(row, column, value, message(code, **params), sheet, code)

    def __str__(self) -> str:
        sheet = f"{self.sheet}!" if self.sheet else ""
        return f"{sheet}row {self.row}, column {self.column}, value {self.value!r}: {self.reason}"


class _CollectedError(RongheError):
    """An exception carrying every fault found, so that all of them can be reported at once."""

    kind = "error"

    def __init__(self, errors: Iterable[Any]):
        self.errors = list(errors)
        super().__init__(self._summary())

    def _summary(self) -> str:
        n = len(self.errors)
        head = "\n".join(f"  - {e}" for e in self.errors[:20])
        more = f"\n  … and {n - 20} more" if n > 20 else ""
        return f"{n} {self.kind}{'s' if n != 1 else ''}:\n{head}{more}"


class FrameworkFileError(_CollectedError):
    """A framework file failed validation; ``errors`` is a list of :class:`FrameworkError`."""

    kind = "framework error"


class AnswerFileError(_CollectedError):
    """An answers file has bad cells; ``errors`` is a list of :class:`AnswerError`."""

    kind = "answer error"


class ParameterError(RongheError, ValueError):
    """A computational step was given a parameter outside its declared constraints."""
