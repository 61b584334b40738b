"""``manage.py export_assessments --user NAME --out FILE.xlsx [filters]``: the answers and scores a user
may see, as the page and ``GET /api/assessments/export`` give them (the same service, the same audit
record), without the inline size limit: a command is not a web request."""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ronghe.apps.assessments import exports


class Command(BaseCommand):
    help = ("Export the answers and scores of the assessments a user may see (an enterprise its own, an "
            "authority its jurisdiction's) to an .xlsx, headers in the chosen language.")

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="the user whose view is exported (and who is audited)")
        parser.add_argument("--out", required=True, help="the .xlsx to write")
        parser.add_argument("--lang", default="zh-hans", choices=["zh-hans", "en"], help="language of the headers")
        parser.add_argument("--framework", default="", help="framework short name, e.g. gbt23020-discrete")
        parser.add_argument("--year", type=int, help="reference year")
        parser.add_argument("--region", default="", help="region code: its subtree")
        parser.add_argument("--industry", default="", help="GB/T 4754 section (A–T) or division (2 digits)")
        parser.add_argument("--size", default="", help="size band, e.g. 300-1000人")
        parser.add_argument("--status", default="", choices=["", "draft", "submitted", "rejected", "scored"])
        parser.add_argument("--enterprise", type=int, help="one enterprise's id")

    def handle(self, *args, user: str, out: str, lang: str, **options):
        if not out.lower().endswith(".xlsx"):
            raise CommandError("the export is an .xlsx file")
        try:
            who = User.objects.get(username=user, is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"no active user {user!r}") from exc
        filters = {k: options[k] for k in exports.FILTERS}
        with translation.override(lang):
            rows = exports.write_assessments(who, filters, out, progress=self._progress)
        self.stdout.write(f"wrote {out}: {rows} assessments")

    def _progress(self, done: int, total: int | None = None) -> None:
        if total and done < total:
            self.stderr.write(f"{done}/{total}", ending="\r")
