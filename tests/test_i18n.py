"""Every message of the interface has its 简体中文 translation: the catalogue has no untranslated or
fuzzy entry (makemessages adds new strings untranslated; this fails until they are translated)."""

import shutil
import subprocess
from pathlib import Path

import pytest

CATALOGUES = sorted((Path(__file__).resolve().parents[1] / "ronghe").rglob("zh_Hans/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_it_translates_every_message_of_the_catalogue(po):
    if shutil.which("msgfmt") is None:
        pytest.fail("msgfmt is missing: `make test` installs gettext")
    stats = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True,
                           check=True).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, f"{po}: {stats.strip()}"
