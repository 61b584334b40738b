"""Browser libraries from npm, served locally: only the files the pages use.

``node_modules/echarts/dist`` alone is 51 MB (every build, source maps, extensions); collecting
and compressing all of it for one ``echarts.min.js`` made ``collectstatic`` take minutes. The
``VendorFinder`` exposes just the files named in ``RONGHE_VENDOR_FILES`` — ``{url prefix:
(folder, [glob patterns])}`` — under their prefix, to ``{% static %}``, ``collectstatic`` and
the test server alike.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


class VendorFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = []
        for prefix, (folder, patterns) in getattr(settings, "RONGHE_VENDOR_FILES", {}).items():
            folder = Path(folder)
            if folder.is_dir():
                storage = FileSystemStorage(location=folder)
                storage.prefix = prefix
                self.entries.append((prefix, folder, list(patterns), storage))

    def _files(self, folder: Path, patterns: list[str]):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = path.relative_to(folder).as_posix()
            if any(fnmatch.fnmatch(relative, pattern) for pattern in patterns):
                yield relative

    def find(self, path, find_all=False, **kwargs):
        matches = []
        for prefix, folder, patterns, _ in self.entries:
            if path.startswith(prefix + "/"):
                relative = path[len(prefix) + 1:]
                candidate = folder / relative
                if candidate.is_file() and any(fnmatch.fnmatch(relative, p) for p in patterns):
                    if not find_all:
                        return str(candidate)
                    matches.append(str(candidate))
        return matches

    def list(self, ignore_patterns):
        for _, folder, patterns, storage in self.entries:
            for relative in self._files(folder, patterns):
                yield relative, storage
