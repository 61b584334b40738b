"""docs/certification.md shows the lifecycle table as declared (regenerate with `make docs`)."""

import shutil
from pathlib import Path

from ronghe.core.certification.lifecycle import MACHINES, update_docs

DOC = Path(__file__).resolve().parents[3] / "docs" / "certification.md"


def test_it_keeps_the_state_graphs_in_the_docs_current(tmp_path):
    copy = tmp_path / "certification.md"
    shutil.copy(DOC, copy)
    assert not update_docs(str(copy)), "docs/certification.md is stale: run `make docs`"
    text = DOC.read_text(encoding="utf-8")
    for name, machine in MACHINES.items():
        assert f"<!-- lifecycle:{name} -->" in text
        for t in machine.transitions:
            assert f"| `{t.name}` " in text
