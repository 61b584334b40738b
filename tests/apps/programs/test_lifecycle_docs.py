"""docs/programs.md shows the call's, the declaration's and the request's tables as declared."""

import shutil
from pathlib import Path

from ronghe.core import lifecycle
from ronghe.core.programs.lifecycle import MACHINES as PROGRAMS
from ronghe.core.providers.lifecycle import MACHINES as PROVIDERS

DOC = Path(__file__).resolve().parents[3] / "docs" / "programs.md"
MACHINES = {**PROGRAMS, **PROVIDERS}


def test_it_keeps_the_state_graphs_in_the_docs_current(tmp_path):
    copy = tmp_path / "programs.md"
    shutil.copy(DOC, copy)
    assert not lifecycle.update_docs(copy, MACHINES), "docs/programs.md is stale: run `make docs`"
    text = DOC.read_text(encoding="utf-8")
    for name, machine in MACHINES.items():
        assert f"<!-- lifecycle:{name} -->" in text
        for t in machine.transitions:
            assert f"| `{t.name}` " in text
