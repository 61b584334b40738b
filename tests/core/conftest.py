"""The core's tests read its messages in English (their codes are stable; the 简体中文 texts are
checked by the tests of the messages themselves)."""

import pytest


@pytest.fixture(autouse=True)
def _core_language():
    from ronghe.core.messages import use_locale

    with use_locale("en"):
        yield
