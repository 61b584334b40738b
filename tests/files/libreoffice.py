"""Real spreadsheets for tests, written by LibreOffice from the CSV files beside this module.

Tests must read files written by another program, not only by openpyxl. Each conversion runs
`soffice --headless --convert-to xlsx` with a private user profile (two soffice processes
sharing a profile block each other) and reads the CSV as UTF-8.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

HERE = Path(__file__).parent


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_xlsx(csv_path: Path, out_dir: Path) -> Path:
    """Convert ``csv_path`` to ``out_dir/<stem>.xlsx`` with LibreOffice Calc."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: run `make test`, which installs it")
    profile = out_dir / f"lo-profile-{uuid.uuid4().hex}"
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx",
         "--infilter=CSV:44,34,76,1", "--outdir", str(out_dir), str(csv_path)],
        check=True, capture_output=True, timeout=180,
    )
    shutil.rmtree(profile, ignore_errors=True)
    out = out_dir / f"{csv_path.stem}.xlsx"
    if not out.exists():
        raise RuntimeError(f"LibreOffice did not write {out}")
    return out
