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
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file, uploads in progress, static files

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
    "ronghe.apps.benchmarking",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "organizations:enterprises"
LOGOUT_REDIRECT_URL = "home"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ronghe.middleware.ChosenLanguageMiddleware",
    "ronghe.middleware.BoundedRequestMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must survive concurrent writers (a threaded server, a worker): WAL lets
    # readers go on while one writes; IMMEDIATE takes the write lock when a transaction begins, so a
    # reader never has to upgrade to a writer mid-transaction (the "database is locked" that a busy
    # timeout cannot wait out); the timeout lets writers queue instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 30, "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
    # Tests use a file too (not Django's shared in-memory database), so that a live server's threads
    # hold their own connections, as in production.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["ronghe.apps.accounts.throttle.ThrottledModelBackend"]  # locks guessed user names
RONGHE_API_TOKEN_DAYS = int(os.environ.get("RONGHE_API_TOKEN_DAYS", 90))  # default lifetime of an API token

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

# The cache holds the login throttle, so every server process must see the same one: the database
# (a table made by `manage.py createcachetable`) for the embedded default, Redis when REDIS_URL is set.
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"], "KEY_PREFIX": "ronghe"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ronghe_cache"}}

# ---------------------------------------------------------------------------------- input bounds
# Every input is bounded before it is trusted (docs/architecture.md, "Bounded input"). Sizes in bytes.
_MB = 1 << 20
RONGHE_UPLOAD_MAX_BYTES = int(os.environ.get("RONGHE_UPLOAD_MAX_BYTES", 100 * _MB))  # one uploaded file
RONGHE_UPLOAD_MAX_UNZIPPED = int(os.environ.get("RONGHE_UPLOAD_MAX_UNZIPPED", 1024 * _MB))  # an xlsx unpacked
RONGHE_UPLOAD_MAX_RATIO = float(os.environ.get("RONGHE_UPLOAD_MAX_RATIO", 250))  # unpacked ÷ packed, per part
RONGHE_UPLOAD_MAX_ROWS = int(os.environ.get("RONGHE_UPLOAD_MAX_ROWS", 500_000))  # a national import
RONGHE_UPLOAD_MAX_COLUMNS = int(os.environ.get("RONGHE_UPLOAD_MAX_COLUMNS", 500))  # a template: ~90
RONGHE_UPLOAD_MAX_CELLS = int(os.environ.get("RONGHE_UPLOAD_MAX_CELLS", 30_000_000))  # rows × columns of a sheet
RONGHE_UPLOAD_MAX_LINE_BYTES = int(os.environ.get("RONGHE_UPLOAD_MAX_LINE_BYTES", _MB))  # one CSV line
RONGHE_DRAFT_MAX_BYTES = int(os.environ.get("RONGHE_DRAFT_MAX_BYTES", 64 * 1024))  # a draft's answers as JSON
RONGHE_MAX_ERRORS_SHOWN = int(os.environ.get("RONGHE_MAX_ERRORS_SHOWN", 200))  # faults listed on a page or API
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("RONGHE_MAX_BODY_BYTES", 2 * _MB))  # a form or JSON body
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_TEMP_DIR = str(VAR_DIR / "tmp")  # uploads above 2.5 MB, and the files readers open
# Benchmarking (docs/benchmarking.md): the smallest peer group ever shown, and how many snapshot rows a
# server process keeps decoded in memory (about 400 bytes each with every indicator, 150 without).
RONGHE_BENCHMARK_MIN_GROUP = int(os.environ.get("RONGHE_BENCHMARK_MIN_GROUP", 10))
RONGHE_BENCHMARK_CACHE_ROWS = int(os.environ.get("RONGHE_BENCHMARK_CACHE_ROWS", 2_000_000))
EMAIL_BACKEND = os.environ.get("RONGHE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("RONGHE_FROM_EMAIL", "ronghe@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("RONGHE_LOG_LEVEL", "WARNING")},
}
