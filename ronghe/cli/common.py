"""What every command group shares: consoles, the one way to fail, framework look-up, error tables.

Text that comes from files (cell values, names, paths) is printed with ``escape`` (or ``text``), so
that ``[/x]`` or ``[bold]`` in a cell shows as the text it is instead of being read as Rich markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ronghe.core.errors import AnswerError, FrameworkError, FrameworkFileError
from ronghe.core.frameworks import Loaded, load
from ronghe.core.frameworks.compile import Compiled, compile

out = Console()
err = Console(stderr=True)


def text(value: object) -> str:
    """``value`` as text that Rich prints literally (no markup)."""
    return escape(str(value))


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear line to stderr and exit; commands never show a traceback for user errors."""
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def framework(name: str) -> Loaded:
    """Load a framework by short name, URN or path, turning faults into one clear message."""
    try:
        return load(name)
    except FileNotFoundError as exc:
        fail(str(exc))
    except FrameworkFileError as exc:
        print_errors(exc.errors)
        fail(f"{name} is not a valid framework")


def compiled(name: str) -> Compiled:
    return compile(framework(name))


def print_errors(errors: Iterable[AnswerError | FrameworkError], limit: int = 200) -> None:
    """A table of faults on stderr: row/column/value/reason, or file/path/reason."""
    errors = list(errors)
    if errors and isinstance(errors[0], FrameworkError):
        table = Table("file", "path", "reason", title=f"{len(errors)} error(s)", title_justify="left")
        for e in errors[:limit]:
            table.add_row(*(escape(str(x)) for x in (e.file or "", e.path, e.reason)))
    else:
        table = Table("sheet", "row", "column", "value", "reason", title=f"{len(errors)} error(s)",
                      title_justify="left")
        for e in errors[:limit]:
            table.add_row(*(escape(str(x)) for x in (e.sheet or "", e.row, e.column, "" if e.value is None else e.value,
                                                     e.reason)))
    err.print(table)
    if len(errors) > limit:
        err.print(f"… and {len(errors) - limit} more")


def check_files(files: Iterable[Path], validate: Callable[[Path], list[FrameworkError]]) -> None:
    """``ok`` for each valid data file, then every fault of the others as file, path and reason; exit 1
    if there is any (``validate`` is the kind's own, e.g. :func:`ronghe.core.frameworks.validate`)."""
    faults = []
    for f in files:
        errors = validate(f)
        faults.extend(errors)
        if not errors:
            out.print(f"[green]ok[/] {text(f)}")
    if faults:
        print_errors(faults)
        raise typer.Exit(1)
