"""``manage.py create_api_token USER --name NAME``: print a new API key (shown only once)."""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from ronghe.apps.accounts.services import create_token


class Command(BaseCommand):
    help = "Create an API token for a user and print its key (it is stored hashed and shown only now)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="integration")

    def handle(self, *args, username: str, name: str, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"no user {username!r}") from exc
        _, key = create_token(user, name)
        self.stdout.write(key)
