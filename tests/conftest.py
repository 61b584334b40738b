"""Shared fixtures. Database tests carry ``@pytest.mark.django_db`` so that ``make test`` can run
exactly them a second time on PostgreSQL (``pytest -m django_db``)."""

from pathlib import Path

import pytest

FILES = Path(__file__).parent / "files"


@pytest.fixture
def files() -> Path:
    """The folder of test input files."""
    return FILES


@pytest.fixture
def mini_path() -> Path:
    """A small framework with every item type, a condition and three stages."""
    return FILES / "frameworks" / "mini.yaml"
