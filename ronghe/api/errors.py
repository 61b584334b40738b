"""One error protocol for the whole API.

Every error answers with :class:`ErrorOut`: a stable machine ``code`` (``not_found``,
``invalid``, ``conflict`` …), a ``message`` in the user's language and a ``details`` list that
names the place of each fault (row, field, value, reason), the way the pages and the CLI do.
Every operation declares the error statuses it can answer (:func:`responses`), so that the
OpenAPI schema is the truth a client can rely on (a schemathesis run in the suite checks it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from ronghe.core.errors import AnswerError, AnswerFileError
from ronghe.workflow import InputError, Refused


class ErrorDetail(Schema):
    """One fault: where (row of a file, field or item id) and why."""

    row: int | None = None
    field: str | None = None
    value: str | None = None
    reason: str


class ErrorOut(Schema):
    code: str
    """Stable identifier of the kind of error, for programs: not_found, unauthorized, invalid, bad_request,
    conflict, too_large, throttled."""
    message: str
    """What went wrong, in the user's language (简体中文 unless ``Accept-Language``/cookie says otherwise)."""
    details: list[ErrorDetail] = []


class ApiError(Exception):
    """An error a route raises on purpose; rendered as :class:`ErrorOut` with ``status``."""

    def __init__(self, status: int, code: str, message: str, details: Iterable[dict[str, Any]] = ()):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, list(details)


_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict",
          413: "too_large", 422: "invalid", 429: "throttled"}


def responses(ok: Any, *errors: int) -> dict[int, Any]:
    """The ``response=`` mapping of an operation: its success schema(s) and its error statuses.

    ``ok`` is a schema (status 200) or a ``{status: schema}`` mapping. Every operation may answer 400
    (a body that is not JSON) and 422 (a parameter outside its bounds), so those two are always declared.
    """
    out = dict(ok) if isinstance(ok, dict) else {200: ok}
    for status in {400, 422, *errors}:
        out[status] = ErrorOut
    return out


def answer_details(errors: Iterable[AnswerError], limit: int | None = None) -> list[dict[str, Any]]:
    """Answer faults as ``details`` rows (the first ``limit``)."""
    rows = []
    for k, e in enumerate(errors):
        if limit is not None and k >= limit:
            break
        rows.append({"row": e.row or None, "field": e.column or None,
                     "value": None if e.value is None else str(e.value)[:200], "reason": e.reason})
    return rows


def step_error(exc: Refused | InputError) -> ApiError:
    """A workflow step's error (:mod:`ronghe.workflow`) as an answer: a refusal is 409 with its stable code, a
    value outside the step's bounds 422 with each of its ``faults`` (place, reason) in ``details``."""
    if isinstance(exc, Refused):
        return ApiError(409, exc.code, str(exc))
    return ApiError(422, "invalid", str(exc), [{"field": p, "reason": r} for p, r in exc.faults])


@contextmanager
def step_errors() -> Iterator[None]:
    """Run one workflow step; its :class:`~ronghe.workflow.Refused` or :class:`~ronghe.workflow.InputError`
    becomes the answer :func:`step_error` gives (nothing was written)."""
    try:
        yield
    except (Refused, InputError) as exc:
        raise step_error(exc) from exc


def upload_error(exc: AnswerFileError) -> ApiError:
    """A refused upload as an answer: 413 when it is too large, else 422; the first three reasons as the
    message and the first 20 faults in ``details``."""
    too_large = any(e.code == "file.too_large" for e in exc.errors)
    return ApiError(413 if too_large else 422, "too_large" if too_large else "invalid",
                    "; ".join(dict.fromkeys(e.reason for e in exc.errors[:3])), answer_details(exc.errors, 20))


def _body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details or []}


def install(api) -> None:
    """Render every error of ``api`` as :class:`ErrorOut`."""

    def respond(request, status: int, message: str, details=None, code: str | None = None):
        return api.create_response(request, _body(code or _CODES.get(status, "error"), message, details),
                                   status=status)

    @api.exception_handler(ApiError)
    def on_api_error(request, exc: ApiError):
        return respond(request, exc.status, exc.message, exc.details, exc.code)

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return respond(request, 404, _("Not found, or not visible to you."))

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request, exc):
        return respond(request, 404, _("Not found, or not visible to you."))

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc):
        return respond(request, 401, _("Sign in, or send an API token as 'Authorization: Bearer <key>'."))

    @api.exception_handler(ValidationError)
    def on_invalid(request, exc: ValidationError):
        details = [{"field": ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path"))
                    or None, "reason": str(e.get("msg", ""))} for e in exc.errors[:100]]
        return respond(request, 422, _("Some values are not valid."), details)

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        message = _("The request body is not valid JSON.") if exc.status_code == 400 else str(exc)
        return respond(request, exc.status_code, message)

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request, exc):
        return respond(request, 413, _("The request body is too large."))

    @api.exception_handler(TooManyFilesSent)
    def on_too_many_files(request, exc):  # Django answers 400 too, but as an HTML page
        return respond(request, 400, _("Too many files in one request (at most %(n)s).")
                       % {"n": django_settings.DATA_UPLOAD_MAX_NUMBER_FILES})
