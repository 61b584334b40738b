"""Moving a whole installation: an archive of its data that a new installation can import.

The archive is a zip of Django's own serialisation (``dumpdata`` with natural keys for content
types, so it loads into any database engine) plus a manifest: the ronghe version, when, and for
every part its row count and sha256. Import checks the manifest, refuses an installation that
already holds assessments (ids would collide), and loads everything in one transaction.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from ronghe import __version__, pagecache
from ronghe.core.errors import RongheError

# In dependency order: what a restored installation needs to show every score and evaluation again.
MODELS = [
    "organizations.Region", "organizations.Industry", "frameworks.FrameworkVersion", "auth.User",
    "organizations.Organization", "organizations.AccessGrant", "accounts.Membership", "assessments.Assessment",
    "assessments.Score", "regions.Evaluation", "audit.AuditEvent",
]
FORMAT = "ronghe-export/1"


class BackupError(RongheError):
    """The archive cannot be imported (damaged, from an unknown format, or the target is not empty)."""


def export_data(path: str | Path) -> dict[str, int]:
    """Write the archive to ``path``; return the row count of every model."""
    path = Path(path)
    counts, digests = {}, {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for label in MODELS:
            out = io.StringIO()
            call_command("dumpdata", label, format="json", natural_foreign=True, stdout=out)
            data = out.getvalue().encode()
            name = f"{label}.json"
            zf.writestr(name, data)
            counts[label] = apps.get_model(label).objects.count()
            digests[name] = hashlib.sha256(data).hexdigest()
        manifest = {"format": FORMAT, "ronghe": __version__, "exported_at": timezone.now().isoformat(),
                    "models": MODELS, "counts": counts, "sha256": digests}
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return counts


def import_data(path: str | Path) -> dict[str, int]:
    """Load an archive made by :func:`export_data` into this (new) installation; all or nothing."""
    try:
        zf = zipfile.ZipFile(path)
        manifest: dict[str, Any] = json.loads(zf.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise BackupError(f"{Path(path).name}: not a ronghe export ({exc})") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown export format {manifest.get('format')!r}")
    from ronghe.apps.assessments.models import Assessment

    if Assessment.objects.exists():
        raise BackupError("this installation already holds assessments; import into a new one")
    with zf, tempfile.TemporaryDirectory() as tmp:
        files = []
        for label in manifest["models"]:
            name = f"{label}.json"
            data = zf.read(name)
            if hashlib.sha256(data).hexdigest() != manifest["sha256"].get(name):
                raise BackupError(f"{name} does not match its checksum: the archive is damaged")
            (Path(tmp) / name).write_bytes(data)
            files.append(str(Path(tmp) / name))
        with transaction.atomic():
            # loaddata also moves PostgreSQL's id sequences past the loaded ids
            call_command("loaddata", *files, verbosity=0)
            counts = {label: apps.get_model(label).objects.count() for label in manifest["models"]}
            if counts != manifest["counts"]:
                raise BackupError(f"the loaded rows {counts} differ from the manifest {manifest['counts']}")
            pagecache.changed_everything()
    return counts
