"""Docs that tests keep honest: every API route and item type is documented, docs/cli.md is current."""

import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from ronghe.core.frameworks.schema import ItemType

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _api_paths():
    from ronghe.api import api

    schema = api.get_openapi_schema()
    for path, ops in schema["paths"].items():
        for method in ops:
            yield method.upper(), path


@pytest.mark.parametrize(("method", "path"), sorted(set(_api_paths())))
def test_it_documents_every_api_route(method, path):
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    documented = {(m, p) for m, p in re.findall(r"^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)`", text, re.M)}
    assert (method, path) in documented, f"{method} {path} is missing from docs/api.md"


@pytest.mark.parametrize("item_type", typing.get_args(ItemType))
def test_it_documents_every_item_type(item_type):
    text = (DOCS / "frameworks.md").read_text(encoding="utf-8")
    assert f"| `{item_type}` |" in text, f"item type {item_type} is missing from docs/frameworks.md"


def test_it_keeps_docs_cli_md_current(tmp_path):
    """docs/cli.md is generated from the Typer app (`make docs`); a changed command must regenerate it."""
    out = tmp_path / "cli.md"
    subprocess.run([sys.executable, "-m", "typer", "ronghe.cli", "utils", "docs", "--name", "ronghe",
                    "--output", str(out)], check=True, capture_output=True)
    current = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == current, "docs/cli.md is stale: run `make docs`"


def test_it_documents_every_index_step_and_method():
    from ronghe.core.index.steps import STEPS

    text = (DOCS / "index-method.md").read_text(encoding="utf-8")
    for kind, cls in STEPS.items():
        assert f"### `{kind}`" in text, f"index step {kind} is missing from docs/index-method.md"
        check, _ = cls._parameter_constraints["method"]
        for method in ("none", "group_mean", "previous_year", "regression", "winsorise", "log", "minmax", "zscore",
                       "ratio", "target", "rank", "percentile", "given", "equal", "pca", "entropy", "arithmetic",
                       "geometric", "harmonic"):
            if check(method):
                assert f"| `{method}` |" in text, f"{kind} method {method} is missing from docs/index-method.md"
