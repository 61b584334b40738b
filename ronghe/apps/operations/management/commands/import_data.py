"""``manage.py import_data FILE.zip``: load an export into this new installation, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from ronghe.apps.operations.services import BackupError, import_data


class Command(BaseCommand):
    help = "Import an archive made by export_data into a new (migrated, empty) installation."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive: str, **options):
        try:
            counts = import_data(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("imported " + ", ".join(f"{k} {v}" for k, v in counts.items()))
