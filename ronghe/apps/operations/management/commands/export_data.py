"""``manage.py export_data --out FILE.zip``: an archive of this installation that a new one imports."""

from django.core.management.base import BaseCommand

from ronghe.apps.operations.services import export_data


class Command(BaseCommand):
    help = "Export frameworks, organisations, people, assessments with scores, evaluations and the audit log."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the .zip to write")

    def handle(self, *args, out: str, **options):
        counts = export_data(out)
        self.stdout.write(f"wrote {out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
