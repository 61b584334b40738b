"""``manage.py benchmark_recompute``: rebuild the benchmark snapshot from the stored scores.

Approvals keep the snapshot current one row at a time; this rebuilds it whole (after a restore, a
bulk load, or to check it), all frameworks and years or one of each, in one transaction."""

import time

from django.core.management.base import BaseCommand, CommandError

from ronghe.apps.benchmarking import services
from ronghe.apps.frameworks.models import FrameworkVersion


class Command(BaseCommand):
    help = "Rebuild the benchmark snapshot from the stored scores (all, or one framework and/or year)."

    def add_arguments(self, parser):
        parser.add_argument("--framework", help="framework short name (its active version)")
        parser.add_argument("--year", type=int, help="one reference year")

    def handle(self, *args, framework=None, year=None, **options):
        version = None
        if framework:
            version = FrameworkVersion.objects.filter(slug=framework, is_active=True).first()
            if version is None:
                raise CommandError(f"no active framework {framework!r}")
        started = time.perf_counter()
        written = services.recompute(version, year)
        for (fw, yr), n in sorted(written.items()):
            self.stdout.write(f"framework {fw} {yr}: {n} scored assessments")
        self.stdout.write(f"{sum(written.values())} rows in {len(written)} snapshot(s), "
                          f"{time.perf_counter() - started:.1f} s")
