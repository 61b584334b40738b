"""Language selection: 简体中文 unless the user chose another language.

Django's LocaleMiddleware follows the browser's Accept-Language, which would show English to
anyone whose browser prefers it. ronghe is a Chinese product with an English option: only the
language cookie set by the language switch (``/i18n/setlang/``) changes the language.
"""

from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
