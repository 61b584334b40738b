"""``manage.py api_tokens``: create, list and revoke API tokens.

    manage.py api_tokens create USER --name NAME [--days 90]   # prints the key, once
    manage.py api_tokens list [--user USER]
    manage.py api_tokens revoke ID
"""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from ronghe.apps.accounts import services
from ronghe.apps.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Create (the key is printed once), list and revoke API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print its key (stored hashed, shown only now)")
        create.add_argument("username")
        create.add_argument("--name", default="integration")
        create.add_argument("--days", type=int, default=None, help="lifetime (default RONGHE_API_TOKEN_DAYS)")
        listing = sub.add_parser("list", help="list tokens: id, user, name, created, last used, expires, state")
        listing.add_argument("--user", default=None)
        revoke = sub.add_parser("revoke", help="revoke a token by id")
        revoke.add_argument("id", type=int)

    def handle(self, *args, action: str, **options):
        if action == "create":
            user = self._user(options["username"])
            try:
                _, key = services.create_token(user, options["name"], days=options["days"])
            except services.TokenError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(key)
        elif action == "list":
            tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
            if options["user"]:
                tokens = tokens.filter(user=self._user(options["user"]))
            for t in tokens:
                state = "active" if t.active else ("revoked" if t.revoked_at else "expired")
                last = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
                self.stdout.write(f"{t.pk}\t{t.user.get_username()}\t{t.name}\tcreated {t.created_at:%Y-%m-%d}\t"
                                  f"used {last}\texpires {t.expires_at:%Y-%m-%d}\t{state}")
        else:
            token = ApiToken.objects.filter(pk=options["id"]).first()
            if token is None:
                raise CommandError(f"no token {options['id']}")
            services.revoke_token(token)
            self.stdout.write(f"revoked token {token.pk} ({token.name}) of {token.user.get_username()}")

    @staticmethod
    def _user(username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"no user {username!r}") from exc
