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
        parser.add_argument("--background", metavar="USER",
                            help="submit it as a background job owned by USER instead of running it here")

    def handle(self, *args, framework=None, year=None, background=None, **options):
        version = None
        if framework:
            version = FrameworkVersion.objects.filter(slug=framework, is_active=True).first()
            if version is None:
                raise CommandError(f"no active framework {framework!r}")
        if background:
            from django.contrib.auth.models import User

            from ronghe.apps.jobs import services as jobs

            owner = User.objects.filter(username=background).first()
            if owner is None:
                raise CommandError(f"no user {background!r}")
            job = jobs.submit("benchmarking.recompute", owner, "benchmark snapshot recompute",
                              {"framework": version.pk if version else None, "year": year})
            self.stdout.write(f"submitted background job {job.pk}")
            return
        started = time.perf_counter()
        written = services.recompute(version, year)
        for (fw, yr), n in sorted(written.items()):
            self.stdout.write(f"framework {fw} {yr}: {n} scored assessments")
        self.stdout.write(f"{sum(written.values())} rows in {len(written)} snapshot(s), "
                          f"{time.perf_counter() - started:.1f} s")
