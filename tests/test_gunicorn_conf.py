"""The web server's master, once it has loaded and warmed the app, freezes what it holds out of the
garbage collector's reach before forking its workers (ronghe/gunicorn_conf.py)."""

import gc
import logging
from types import SimpleNamespace

import pytest

from ronghe import gunicorn_conf


@pytest.mark.django_db
def test_the_master_freezes_the_loaded_app_before_it_forks():
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        gunicorn_conf.when_ready(SimpleNamespace(log=logging.getLogger("test")))
        assert gc.get_freeze_count() > 10_000  # Django and the app: a full collection no longer walks them
    finally:
        gc.unfreeze()
