"""``manage.py scheduler``: submit the periodic background jobs at their times (any task backend).

Run it as one long-lived process beside the workers (``manage.py serve`` starts one), or call it
with ``--once`` from a system timer (cron, a systemd timer, a Kubernetes CronJob): each call submits
every scheduled kind whose latest time has come and has no job yet. The jobs are then run by the
workers of the configured queue — ``db_worker`` (``RONGHE_TASKS=db``) or ``rqworker``
(``RONGHE_TASKS=rq``). Two schedulers never submit the same time twice.
"""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand, CommandError

from ronghe.apps.jobs import periodic, services


class Command(BaseCommand):
    help = "Submit the periodic background jobs (expiry of certificates …) at their scheduled times."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true",
                            help="submit what is due now and exit (for cron or a systemd timer)")
        parser.add_argument("--now", metavar="KIND", action="append", default=[],
                            help="submit this scheduled kind at once, outside its schedule (repeatable)")
        parser.add_argument("--list", action="store_true", dest="show",
                            help="list the scheduled kinds and their next time")
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between checks (default 30)")

    def handle(self, *args, once: bool, now: list[str], show: bool, interval: float, **options):
        if show:
            for kind in periodic.scheduled():
                self.stdout.write(f"{kind.name}\t{kind.schedule}\tnext {periodic.next_slot(kind):%Y-%m-%d %H:%M}")
            return
        if now:
            for name in now:
                try:
                    job = periodic.submit_now(name)
                except services.JobError as exc:
                    raise CommandError(str(exc)) from exc
                self.stdout.write(f"submitted {job.kind} (job {job.pk})")
            return
        stopping: list[bool] = []
        if not once:
            signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
            signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
            kinds = ", ".join(f"{k.name} ({k.schedule})" for k in periodic.scheduled())
            self.stdout.write(f"scheduler: {kinds or 'no scheduled kind'}; checking every {interval:g} s")
        while True:
            for job in periodic.submit_due():
                self.stdout.write(f"submitted {job.kind} for {job.params['slot']} (job {job.pk})")
            if once:
                return
            waited = 0.0
            while waited < interval and not stopping:
                time.sleep(min(0.5, interval))
                waited += 0.5
            if stopping:
                return
