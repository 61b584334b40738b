"""``manage.py sync_frameworks``: register every shipped framework file (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from ronghe.apps.frameworks.services import FrameworkConflict, sync_shipped
from ronghe.core.errors import FrameworkFileError


class Command(BaseCommand):
    help = "Register the framework files shipped in ronghe/data/frameworks (all or nothing)."

    def handle(self, *args, **options):
        try:
            rows = sync_shipped()
        except (FrameworkFileError, FrameworkConflict) as exc:
            raise CommandError(str(exc)) from exc
        for row, created in rows:
            state = "registered" if created else "unchanged"
            self.stdout.write(f"{state:10} {row.slug} v{row.version} sha256 {row.sha256[:12]}")
