"""Shared fixtures. Database tests carry ``@pytest.mark.django_db`` so that ``make test`` can run
exactly them a second time on PostgreSQL (``pytest -m django_db``)."""

import os
from pathlib import Path

import pytest

# Rich reads the terminal width once, when a console is made (ronghe.cli.common builds its consoles
# on import); without a terminal it wraps tables at 80 columns. Set it before anything imports the CLI.
os.environ["COLUMNS"] = "250"

FILES = Path(__file__).parent / "files"


def pytest_collection_modifyitems(items):
    """Tests marked ``early`` run first (in their own order), the rest as collected. pytest-xdist hands the
    tests out in collection order, the first ones in one batch to each process: a long test collected last
    (``tests/test_production_server.py``) ran alone at the end while the other process had finished."""
    items.sort(key=lambda item: item.get_closest_marker("early") is None)


@pytest.fixture
def files() -> Path:
    """The folder of test input files."""
    return FILES


@pytest.fixture
def mini_path() -> Path:
    """A small framework with every item type, a condition and three stages."""
    return FILES / "frameworks" / "mini.yaml"


@pytest.fixture(scope="session")
def lo_files(tmp_path_factory):
    """LibreOffice-written xlsx versions of tests/files/answers/*.csv, made once per run."""
    from tests.files.libreoffice import to_xlsx

    out = tmp_path_factory.mktemp("libreoffice")
    return {p.stem: to_xlsx(p, out) for p in sorted((FILES / "answers").glob("*.csv"))}


@pytest.fixture(scope="session")
def mini():
    """The compiled mini framework."""
    from ronghe.core.frameworks import load
    from ronghe.core.frameworks.compile import compile

    return compile(load(FILES / "frameworks" / "mini.yaml"))


@pytest.fixture
def mini_version(db):
    """The mini framework registered in the database (its FrameworkVersion row)."""
    from ronghe.apps.frameworks.services import register_files

    (row, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    return row


@pytest.fixture
def unrecorded_templates(monkeypatch):
    """Templates render as in production, without the test environment's recording: Django's test setup
    makes every template render send a signal on which the test client copies the whole context, for
    ``response.context``. For tests that read only status codes of thousands of answers (hostile values):
    on forms whose every widget and option is a template, the recording was a fifth of their time."""
    from django.template import Template
    from django.test.utils import _TestState, instrumented_test_render

    assert Template._render is instrumented_test_render  # as django.test.utils.setup_test_environment left it
    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)


from tests.base import world  # noqa: E402,F401  (the personas fixture, shared by app tests)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow on purpose; the personas' passwords in tests need no such protection."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    """Each test keeps its uploads and job files apart: the test processes have databases of their own
    whose ids start at 1 alike, so job 1's parts of two processes would meet in one shared folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Pages in tests find static files without `collectstatic` (the manifest storage needs it)."""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(autouse=True)
def _core_language():
    """Each test starts in 简体中文, the default, in the core and in Django alike: a CLI test may have switched
    the core, and a request with ``Accept-Language: en`` leaves its language active in the test's thread
    (the middleware activates each request's language and, for streamed downloads, leaves it so)."""
    from django.conf import settings
    from django.utils import translation

    from ronghe.core.messages import use_locale

    translation.activate(settings.LANGUAGE_CODE)
    with use_locale(None):
        yield


@pytest.fixture(autouse=True)
def _fresh_benchmark_caches():
    """The benchmark snapshot is cached per process by snapshot id and state; a rolled-back test
    database hands out the same ids again, so every test starts with empty caches."""
    from ronghe.apps.benchmarking.services import clear_caches

    clear_caches()
    yield
