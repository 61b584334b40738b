"""The layout's promises, checked: the core imports no Django, and apps import no other app's
private names."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "ronghe"


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                yield node.module, alias.name


CORE_FILES = sorted((ROOT / "core").rglob("*.py"))


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_it_keeps_django_out_of_the_core(path):
    bad = [m for m, _ in _imports(path) if m == "django" or m.startswith(("django.", "ninja"))]
    assert not bad, f"{path} imports {bad}: ronghe.core must stay free of Django"


def test_it_has_core_files_to_check():
    assert len(CORE_FILES) > 5


APP_FILES = sorted((ROOT / "apps").rglob("*.py"))


@pytest.mark.parametrize("path", APP_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_it_imports_no_private_names_across_apps(path):
    own_app = path.relative_to(ROOT / "apps").parts[0]
    for module, name in _imports(path):
        if not module.startswith("ronghe.apps."):
            continue
        other = module.split(".")[2]
        if other == own_app:
            continue
        private = [p for p in module.split(".")[3:] if p.startswith("_")]
        assert not private and not (name or "").startswith("_"), (
            f"{path} imports private {module}.{name} from app {other}"
        )
