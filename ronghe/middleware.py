"""Language selection: 简体中文 unless the user chose another language.

Django's LocaleMiddleware follows the browser's Accept-Language, which would show English to
anyone whose browser prefers it. ronghe is a Chinese product with an English option: only the
language cookie set by the language switch (``/i18n/setlang/``) changes the language.
"""

import logging
import re
import time
import uuid

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from ronghe.apps.accounts import access
from ronghe.core.messages import set_locale, size
from ronghe.logs import request_id

access_log = logging.getLogger("ronghe.requests")
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id (``X-Request-ID``), log it with its outcome as one JSON line
    (method, path, status, duration, user), and send the id back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = given if _GOOD_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        request.request_id = rid
        started = time.perf_counter()
        try:
            with access.request_memo():  # roles are read once per request (accounts/access.py)
                response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = rid
        user = getattr(request, "user", None)
        access_log.info("request", extra={
            "request_id": rid, "method": request.method, "path": request.path[:300],
            "status": response.status_code, "ms": round((time.perf_counter() - started) * 1000, 1),
            "user": user.pk if user is not None and user.is_authenticated else None})
        return response


class ChosenLanguageMiddleware:
    """The language of the answer: the one chosen on the site (its cookie), else 简体中文. A program
    calling the API (``/api/``) chooses with ``Accept-Language`` instead, as HTTP clients do."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in self.supported and request.path.startswith("/api/"):
            chosen = translation.get_language_from_request(request)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        set_locale(language)  # the core's messages (bad cells, file limits) in the same language
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class BoundedRequestMiddleware:
    """Refuse, before any view reads it, what no page or endpoint accepts.

    - A body larger than allowed answers 413: an upload (multipart) up to ``RONGHE_UPLOAD_MAX_BYTES``
      plus 1 MB for its form fields, any other body up to ``DATA_UPLOAD_MAX_MEMORY_SIZE``. Judged from
      ``Content-Length`` (a WSGI server gives no body without one), so nothing is read.
    - A NUL character in the query string, a form field or a JSON body answers 400: no text a user
      means contains one, and PostgreSQL cannot store it. Multipart forms are left to their views,
      which check permission first and validate their fields with Django forms (which refuse NUL).
    - A query parameter of the API given twice answers 400: every API parameter takes one value, and
      taking the first or the last would be a guess.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type = request.META.get("CONTENT_TYPE", "")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        multipart = content_type.startswith("multipart/")
        limit = settings.RONGHE_UPLOAD_MAX_BYTES + (1 << 20) if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            message = (_("The upload is larger than the limit of %(limit)s.") % {
                "limit": size(settings.RONGHE_UPLOAD_MAX_BYTES)} if multipart else
                _("The request is too large (limit %(limit)s).") % {"limit": size(limit)})
            return refusal(request, 413, "too_large", message)
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            return refusal(request, 400, "bad_request", _("The request contains a NUL character."))
        if request.path.startswith("/api/"):  # every API parameter takes one value: a repeated one is ambiguous
            repeated = next((key for key, values in request.GET.lists() if len(values) > 1), None)
            if repeated is not None:
                return refusal(request, 400, "bad_request", _("The query parameter %(name)s is given more than once.")
                               % {"name": repeated[:50]})
        if not multipart and length and request.method in {"POST", "PUT", "PATCH"}:
            body = request.body
            encoded_nul = b"%00" if content_type.startswith("application/x-www-form-urlencoded") else b"\\u0000"
            if b"\x00" in body or encoded_nul in body.lower():
                return refusal(request, 400, "bad_request", _("The request contains a NUL character."))
        return self.get_response(request)


def refusal(request, status: int, code: str, message: str):
    """A refusal in the form the client expects: ErrorOut JSON for the API, a page otherwise."""
    from django.http import JsonResponse
    from django.shortcuts import render

    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": message, "details": []}, status=status)
    return render(request, "error.html", {"status": status, "message": message}, status=status)
