"""Django settings, configured from the environment.

``DATABASE_URL`` selects the database (default: embedded SQLite under ``var/``; production:
``postgres://…``). ``RONGHE_SECRET_KEY`` and ``RONGHE_DEBUG`` behave as their names say; the
development defaults are safe only on 127.0.0.1.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("RONGHE_VAR_DIR", PROJECT_DIR / "var"))

DEBUG = os.environ.get("RONGHE_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("RONGHE_SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("set RONGHE_SECRET_KEY when RONGHE_DEBUG=0")
ALLOWED_HOSTS = [h for h in os.environ.get("RONGHE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ronghe.apps.audit",
    "ronghe.apps.frameworks",
    "ronghe.apps.organizations",
    "ronghe.apps.accounts",
    "ronghe.apps.assessments",
    "ronghe.apps.regions",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "organizations:enterprises"
LOGOUT_REDIRECT_URL = "home"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ronghe.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ronghe.urls"
WSGI_APPLICATION = "ronghe.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'ronghe.sqlite3'}",
        conn_max_age=int(os.environ.get("RONGHE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# browser libraries installed from npm by `make install`, served locally (never from a CDN)
if (PROJECT_DIR / "node_modules" / "echarts" / "dist").exists():
    STATICFILES_DIRS.append(("vendor/echarts", PROJECT_DIR / "node_modules" / "echarts" / "dist"))
if (PROJECT_DIR / "node_modules" / "china-geojson" / "src" / "geojson").exists():
    STATICFILES_DIRS.append(("vendor/geojson", PROJECT_DIR / "node_modules" / "china-geojson" / "src" / "geojson"))
STATIC_ROOT = VAR_DIR / "static"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Login throttling counts failures in the cache. Local memory is per process: a deployment with
# several worker processes should configure a shared cache here.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = os.environ.get("RONGHE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("RONGHE_FROM_EMAIL", "ronghe@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("RONGHE_LOG_LEVEL", "WARNING")},
}
