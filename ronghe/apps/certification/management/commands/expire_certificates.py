"""``manage.py expire_certificates``: record the expiry of certificates past their validity (run daily)."""

from django.core.management.base import BaseCommand

from ronghe.apps.certification import services


class Command(BaseCommand):
    help = "Mark certificates past their validity as expired (the audit log records each)."

    def handle(self, *args, **options):
        self.stdout.write(f"{services.expire_certificates()} certificates expired")
