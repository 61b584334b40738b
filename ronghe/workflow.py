"""A workflow step — of 贯标 and 评定, a pilot programme, a service request: what its service raises,
and how a page shows it.

The services of ``apps.certification``, ``apps.programs`` and ``apps.providers`` take their steps
with the same pieces: :func:`check` asks a lifecycle table (:mod:`ronghe.core.lifecycle`) and raises
:class:`Refused` with the table's code and message; :func:`clean_text` bounds a person's text; a value
outside what a step accepts raises :class:`InputError`. Each of those ``services`` modules re-exports
the two errors, so views, API, commands and tests catch ``services.Refused`` and
``services.InputError``.

On a page, :func:`step` turns those errors (and a refused file) into a message on the page the form
came from — nothing was written — :func:`form_errors` does the same for a form that is not valid, and
:func:`take_step` takes a posted form's step with both. The API answers them with
:func:`ronghe.api.errors.step_errors` (409 for a refusal, 422 for bad input).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib import messages
from django.utils.translation import gettext as _

from ronghe.core.errors import AnswerFileError, RongheError
from ronghe.core.lifecycle import Machine, Refusal, refusal, refuse

MAX_TEXT = 5000
"""Characters of a text a person gives a step (a reason, an answer, a report) unless it says less."""


class Refused(RongheError):
    """A step the lifecycle (or a service rule) refuses; ``code`` is stable, the message is for people."""

    def __init__(self, problem: Refusal):
        self.code = problem.code
        super().__init__(problem.message)

    @classmethod
    def of(cls, code: str, **params: Any) -> Refused:
        """The refusal ``code`` with its catalogue message (:mod:`ronghe.core.messages`)."""
        return cls(refuse(code, **params))


class InputError(RongheError):
    """A value outside what a step accepts (a date in the future, an unknown clause …); ``faults`` lists
    (place, reason) when there are several (the API answers them as ``details``)."""

    def __init__(self, message: str, faults: list[tuple[str, str]] | None = None):
        self.faults = faults or []
        super().__init__(message)


ERRORS = (Refused, InputError)
"""What a step raises on purpose: nothing was written."""


def check(machine: Machine, state: str, name: str, roles: set[str], facts: Any) -> None:
    """Raise :class:`Refused` unless transition ``name`` may be taken (:func:`ronghe.core.lifecycle.refusal`)."""
    problem = refusal(machine, state, name, roles, facts)
    if problem is not None:
        raise Refused(problem)


def clean_text(value: str, what: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    """``value`` stripped; :class:`InputError` naming ``what`` when it is longer than ``limit``, holds a
    NUL or is empty though ``required``."""
    value = (value or "").strip()
    if "\x00" in value or len(value) > limit:
        raise InputError(_("%(what)s: at most %(limit)s characters, no NUL") % {"what": what, "limit": limit})
    if required and not value:
        raise InputError(_("%(what)s: required") % {"what": what})
    return value


def within(value: float, field: str, low: float, high: float) -> float:
    """``value`` when ``low ≤ value ≤ high``; else :class:`InputError` naming ``field`` and the range (a NaN
    is outside every range)."""
    if not low <= value <= high:
        raise InputError(_("%(field)s: from %(low)s to %(high)s") % {"field": field, "low": low, "high": high})
    return value


# ------------------------------------------------------------------------------------- on a page
@contextmanager
def step(request) -> Iterator[None]:
    """Run one service step; a refusal becomes a message for the person (nothing was written)."""
    try:
        yield
    except ERRORS as exc:
        messages.error(request, str(exc))
    except AnswerFileError as exc:
        messages.error(request, "；".join(e.reason for e in exc.errors[:3]))


def form_errors(request, form) -> None:
    """A form's errors as one message: each field's label (none for a field without one, such as a
    hidden action) and its errors."""
    messages.error(request, " ".join(f"{(form.fields[k].label or '') if k in form.fields else ''} {m}".strip()
                                     for k, ms in form.errors.items() for m in ms))


def take_step(request, form, service: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
    """A posted form's step: the form's errors as a message, or ``service(*args, **kwargs,
    **form.cleaned_data)`` in a :func:`step`."""
    if not form.is_valid():
        form_errors(request, form)
        return
    with step(request):
        service(*args, **kwargs, **form.cleaned_data)
