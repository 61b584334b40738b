import pytest

from ronghe.core.messages import use_locale


@pytest.fixture(autouse=True)
def _chinese_messages():
    """Refusals are checked in 简体中文; the core's locale is per context and another test may have left English."""
    with use_locale("zh-Hans"):
        yield
