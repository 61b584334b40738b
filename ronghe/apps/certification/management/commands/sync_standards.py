"""``manage.py sync_standards``: register the shipped GB/T 23001 / 23006 files (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from ronghe.apps.certification import services
from ronghe.core.errors import FrameworkFileError


class Command(BaseCommand):
    help = "Register the management-system standards shipped in ronghe/data/standards."

    def handle(self, *args, **options):
        try:
            rows = services.sync_standards()
        except (FrameworkFileError, services.InputError) as exc:
            raise CommandError(str(exc)) from exc
        for row, created in rows:
            state = "registered" if created else "unchanged "
            self.stdout.write(f"{state} {row.code} v{row.version} {row.sha256[:12]}")
