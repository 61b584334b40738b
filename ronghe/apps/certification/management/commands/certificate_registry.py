"""``manage.py certificate_registry OUT.xlsx|OUT.csv``: the certificate registry for batch users (all
certificates, or those of one body / region), written formula-safe and recorded in the audit log."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ronghe.apps.certification import services
from ronghe.apps.certification.models import Certificate


class Command(BaseCommand):
    help = "Export the certificate registry to .xlsx or .csv."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path)
        parser.add_argument("--body", type=int, help="only this assessment body's certificates (its id)")
        parser.add_argument("--region", help="only enterprises in this GB/T 2260 code prefix (33, 3301 …)")

    def handle(self, *args, out: Path, body=None, region=None, **options):
        if out.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("the registry is written as .xlsx or .csv")
        qs = Certificate.objects.order_by("number")
        if body is not None:
            qs = qs.filter(body_id=body)
        if region:
            qs = qs.filter(region__code__startswith=region)
        services.export_registry(qs, out)
        self.stdout.write(f"{qs.count()} certificates → {out}")
