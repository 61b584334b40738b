"""docs/deployment.md lists every setting ronghe reads from the environment."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_it_documents_every_environment_variable():
    read = set()
    for path in ("ronghe/settings.py", "ronghe/gunicorn_conf.py", "ronghe/granian_conf.py",
                 "ronghe/cli/__init__.py"):
        text = (ROOT / path).read_text(encoding="utf-8")
        read |= set(re.findall(r'(?:environ\.get\(|environ\[|_flag\(|_list\(|envvar=)\s*"([A-Z][A-Z0-9_]+)"', text))
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", (ROOT / "docs" / "deployment.md").read_text(
        encoding="utf-8"), re.M))
    assert read and read <= documented, f"undocumented settings: {sorted(read - documented)}"
