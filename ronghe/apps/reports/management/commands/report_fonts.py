"""``manage.py report_fonts``: build the reduced copies of the Noto CJK faces the PDF reports use
(:mod:`ronghe.core.reports.fonts`) into ``var/fonts``, once; ``make install`` runs it. Reports work
without them, only slower and twice as large."""

from django.core.management.base import BaseCommand

from ronghe.apps.reports.services import font_dir
from ronghe.core.reports import fonts


class Command(BaseCommand):
    help = "Build the reduced CJK faces of the PDF reports (once; --force builds them again)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="build even where a copy exists")

    def handle(self, *args, force: bool = False, **options) -> None:
        target = font_dir()
        say = self.stdout.write if options.get("verbosity", 1) > 0 else (lambda _text: None)
        for family, file in fonts.FILES.items():
            if (target / file).exists() and not force:
                say(f"{family}: {target / file} (kept)")
                continue
            if not (fonts.SYSTEM_DIR / fonts.FACES[family][0]).exists():
                self.stderr.write(
                    f"{family}: {fonts.SYSTEM_DIR / fonts.FACES[family][0]} is missing "
                    "(fonts-noto-cjk); reports use whatever fontconfig finds"
                )
                continue
            built = fonts.build(family, target)
            say(f"{family}: {built}")
