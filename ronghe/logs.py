"""Structured logs: one JSON object per line, each with the id of the request (or job) it belongs to.

The request id comes from a trusted proxy's ``X-Request-ID`` (when it looks like an id) or is made
here; it is sent back in the response's ``X-Request-ID`` header, kept in a context variable for
the whole request, and copied onto background jobs, so one user action can be followed from the
app server to the worker.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import datetime

request_id: ContextVar[str] = ContextVar("ronghe_request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):  # the access log passes its own (the request has ended)
            record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """``{"at", "level", "logger", "request_id", "message", …extra fields, "exc"}`` per line. ``at`` is
    ISO 8601 with milliseconds and the UTC offset of the server's time zone (Asia/Shanghai by default), so
    lines from machines in any zone sort and join in a log store without guessing."""

    _STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}

    def format(self, record: logging.LogRecord) -> str:
        out = {"at": datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
               "level": record.levelname, "logger": record.name,
               "request_id": getattr(record, "request_id", request_id.get()), "message": record.getMessage()}
        out.update({k: v for k, v in vars(record).items() if k not in self._STANDARD and not k.startswith("_")})
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)
