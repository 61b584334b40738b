"""Django settings, configured from the environment (every variable is listed in docs/deployment.md).

Two ways to run, one settings file:

- **embedded** (``make run``): SQLite under ``var/``, the database as cache, task queue and
  session store, one server process with a worker beside it; no other service needed;
- **deployment**: ``DATABASE_URL=postgres://…`` and ``REDIS_URL=redis://…`` (cache, sessions,
  login throttle and — with ``RONGHE_TASKS=rq`` — the task queue), any number of app servers and
  workers, uploads through Django's storage API (``RONGHE_MEDIA_ROOT`` or an object-storage backend).

DEBUG is off unless ``RONGHE_DEBUG=1``: no user ever sees Django's debug page.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("RONGHE_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file, uploads in progress, static files


def _flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


def _secret_key() -> str:
    """``RONGHE_SECRET_KEY``, else a key made once for this installation and kept in
    ``var/secret_key`` (readable by the owner only). A deployment sets the variable (every app
    server must share the same key); the embedded default needs no setting and no shared default."""
    if os.environ.get("RONGHE_SECRET_KEY"):
        return os.environ["RONGHE_SECRET_KEY"]
    path = Path(os.environ.get("RONGHE_SECRET_KEY_FILE", VAR_DIR / "secret_key"))
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


DEBUG = _flag("RONGHE_DEBUG")
SECRET_KEY = _secret_key()
if len(SECRET_KEY) < 50:
    raise RuntimeError("RONGHE_SECRET_KEY must have at least 50 characters")
ALLOWED_HOSTS = _list("RONGHE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _list("RONGHE_CSRF_TRUSTED_ORIGINS")

# Behind TLS (RONGHE_HTTPS=1): cookies only over HTTPS, HSTS, and the proxy's X-Forwarded-Proto trusted.
HTTPS = _flag("RONGHE_HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and _flag("RONGHE_SSL_REDIRECT", "1")
SECURE_HSTS_SECONDS = int(os.environ.get("RONGHE_HSTS_SECONDS", 31_536_000)) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes speak plain HTTP inside the cluster

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # its templates and static files: /api/docs served from the site itself, no CDN
    "django_tasks",
    "django_tasks_db",
    "ronghe.apps.audit",
    "ronghe.apps.frameworks",
    "ronghe.apps.organizations",
    "ronghe.apps.accounts",
    "ronghe.apps.assessments",
    "ronghe.apps.regions",
    "ronghe.apps.benchmarking",
    "ronghe.apps.jobs",
    "ronghe.apps.operations",
    "ronghe.apps.certification",
    "ronghe.apps.notifications",
    "ronghe.apps.programs",
    "ronghe.apps.providers",
    "ronghe.apps.registrations",
    "ronghe.apps.reports",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

MIDDLEWARE = [
    "ronghe.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
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
            "builtins": ["ronghe.numbers"],  # {{ x|num:1 }} on every page, without a {% load %}
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ronghe.context.navigation",
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
# Browser libraries installed from npm by `make install`, served locally (never from a CDN): only the
# files the pages use (ronghe/staticfiles.py), not the packages' 50 MB of other builds.
_NPM = PROJECT_DIR / "node_modules"
RONGHE_VENDOR_FILES = {
    "vendor/echarts": (_NPM / "echarts" / "dist", ["echarts.min.js"]),
    "vendor/geojson": (_NPM / "china-geojson" / "src" / "geojson", ["*.json"]),
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "ronghe.staticfiles.VendorFinder",
]
STATIC_ROOT = Path(os.environ.get("RONGHE_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Static files are served by the app itself (WhiteNoise): compressed, cache-busting names, far-future
# expiry, so that no separate web server is needed. `make install` runs collectstatic.
STORAGES = {
    "default": {"BACKEND": os.environ.get("RONGHE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Source maps (ninja's swagger-ui and redoc ship 5 MB of them) are read only by a browser's developer tools:
# they are served as they are, not compressed. Brotli at its highest level spent over half of collectstatic's
# CPU on them (about 35 of 60 s: every file is compressed under its plain and its hashed name).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
MEDIA_ROOT = Path(os.environ.get("RONGHE_MEDIA_ROOT", VAR_DIR / "media"))  # uploads kept for background work
MEDIA_URL = "/media/"  # never served publicly: files are read back through views that check access

CSRF_FAILURE_VIEW = "ronghe.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# The cache holds the login throttle, so every server process must see the same one: the database
# (a table made by `manage.py createcachetable`) for the embedded default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "ronghe.redis_cache.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": os.environ.get("RONGHE_CACHE_PREFIX", "ronghe")}}
    # Sessions in the shared cache, written through to the database so a Redis restart logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ronghe_cache"}}

# ---------------------------------------------------------------------------------- background work
# One way to run long work: Django's Tasks API (the django-tasks backport on Django 5.2). The queue is
# the database by default (`manage.py db_worker`), RQ on Redis when RONGHE_TASKS=rq (`manage.py rqworker
# --job-class django_tasks_rq.Job`); the task code is the same. Workers can run on any number of machines.
RONGHE_TASKS = os.environ.get("RONGHE_TASKS", "db")
if RONGHE_TASKS == "rq":
    if not REDIS_URL:
        raise RuntimeError("RONGHE_TASKS=rq needs REDIS_URL")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": int(os.environ.get("RONGHE_TASK_TIMEOUT", 6 * 3600))}}
elif RONGHE_TASKS == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    raise RuntimeError("RONGHE_TASKS is db or rq")
# The production web server `manage.py serve` starts: granian, HTTP in Rust (ronghe/granian_conf.py; the load
# benchmark's p95 290 against 630 ms, docs/benchmarks.md), or gunicorn (ronghe/gunicorn_conf.py); both read
# WEB_CONCURRENCY, RONGHE_THREADS, RONGHE_KEEPALIVE, RONGHE_PRELOAD_APP.
RONGHE_SERVER = os.environ.get("RONGHE_SERVER", "granian")
if RONGHE_SERVER not in {"gunicorn", "granian"}:
    raise RuntimeError("RONGHE_SERVER is gunicorn or granian")
# The CPU priority of background work: a Unix nice increment for the task worker processes, so that
# an import or a Monte Carlo uses the cores the pages leave idle (0: the same priority as the pages).
RONGHE_TASK_NICE = max(0, min(19, int(os.environ.get("RONGHE_TASK_NICE", 10))))
# Work larger than these runs in the background (a job with progress); smaller work answers at once.
RONGHE_INLINE_MAX_BYTES = int(os.environ.get("RONGHE_INLINE_MAX_BYTES", 256 * 1024))  # uploaded files together
RONGHE_INLINE_MAX_RUNS = int(os.environ.get("RONGHE_INLINE_MAX_RUNS", 1000))  # Monte Carlo runs of an evaluation
RONGHE_INLINE_EXPORT_ROWS = int(os.environ.get("RONGHE_INLINE_EXPORT_ROWS", 20_000))  # larger exports are jobs
RONGHE_INLINE_EXPORT_CELLS = int(os.environ.get("RONGHE_INLINE_EXPORT_CELLS", 300_000))  # and wider ones too
RONGHE_JOB_CHUNK_RUNS = int(os.environ.get("RONGHE_JOB_CHUNK_RUNS", 2000))  # Monte Carlo runs per task
RONGHE_JOB_CHUNK_ROWS = int(os.environ.get("RONGHE_JOB_CHUNK_ROWS", 100_000))  # answer rows per task

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
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
# 贯标/评定 (apps/certification); evidence files go through STORAGES["default"] like every upload.
RONGHE_EVIDENCE_MAX_BYTES = int(os.environ.get("RONGHE_EVIDENCE_MAX_BYTES", 20 * _MB))  # one evidence file
RONGHE_CERT_VALID_YEARS = int(os.environ.get("RONGHE_CERT_VALID_YEARS", 3))  # validity (generic practice, [U])
RONGHE_CERT_SURVEILLANCE_MONTHS = int(os.environ.get("RONGHE_CERT_SURVEILLANCE_MONTHS", 12))  # between surveillances
RONGHE_CERT_NOTICE_DAYS = int(os.environ.get("RONGHE_CERT_NOTICE_DAYS", 7))  # public notice (ronghe default, [U])
# when `manage.py scheduler` submits the daily 评定 run (expiries, overdue surveillance): cron, TIME_ZONE
RONGHE_CERT_DAILY_SCHEDULE = os.environ.get("RONGHE_CERT_DAILY_SCHEDULE", "15 1 * * *")
RONGHE_RESET_RATE = os.environ.get("RONGHE_RESET_RATE", "5/3600")  # password-reset requests per client
RONGHE_SIGNUP_RATE = os.environ.get("RONGHE_SIGNUP_RATE", "5/3600")  # enterprise registrations per client
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # seconds a reset link stays valid (the e-mail says 3 days)
RONGHE_VERIFY_RATE = os.environ.get("RONGHE_VERIFY_RATE", "30/60")  # public look-ups per client: count/seconds
RONGHE_SITE_URL = os.environ.get("RONGHE_SITE_URL", "http://127.0.0.1:8000")  # links in e-mails
# Benchmarking (docs/benchmarking.md): the smallest peer group ever shown, and how many snapshot rows a
# server process keeps decoded in memory (about 400 bytes each with every indicator, 150 without).
RONGHE_BENCHMARK_MIN_GROUP = int(os.environ.get("RONGHE_BENCHMARK_MIN_GROUP", 10))
RONGHE_BENCHMARK_CACHE_ROWS = int(os.environ.get("RONGHE_BENCHMARK_CACHE_ROWS", 2_000_000))
# Seconds the web server may spend at start decoding the snapshot (newest years first) and computing the
# peer groups and the nation's and provinces' dashboards before it takes requests; 0: decode on demand.
RONGHE_BENCHMARK_WARM = float(os.environ.get("RONGHE_BENCHMARK_WARM", 60))
# Seconds a rendered peer panel stays cached; its key changes with the snapshot, so this only bounds memory.
RONGHE_PANEL_CACHE_SECONDS = int(os.environ.get("RONGHE_PANEL_CACHE_SECONDS", 3600))
# Seconds a rendered part of a page (list, result, header badges) stays cached; its key holds the versions of
# the data it shows (ronghe/pagecache.py), so this only bounds memory.
RONGHE_PAGE_CACHE_SECONDS = int(os.environ.get("RONGHE_PAGE_CACHE_SECONDS", 600))
EMAIL_BACKEND = os.environ.get("RONGHE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("RONGHE_FROM_EMAIL", "ronghe@localhost")

# Logs are JSON lines on stderr, each with the request id (also sent back as X-Request-ID), so that one
# request can be followed across the app servers and the worker; ronghe.requests logs every request.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ronghe.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "ronghe.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("RONGHE_LOG_LEVEL", "WARNING")},
    "loggers": {"ronghe.requests": {"level": os.environ.get("RONGHE_ACCESS_LOG_LEVEL", "INFO"),
                                    "handlers": ["console"], "propagate": False}},
}
