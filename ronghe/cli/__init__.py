"""The ``ronghe`` command: one Typer app, a sub-app per command group.

Commands here need neither Django nor a database: they call ``ronghe.core`` directly; ``ronghe
report`` is the exception, it reads the platform's stored results (it starts Django itself).
"""

import typer

from ronghe.cli import assess, frameworks, index, report, targets
from ronghe.core.messages import set_locale

app = typer.Typer(
    name="ronghe",
    help="ronghe 融合: 两化融合 frameworks, enterprise assessment scoring and the regional index.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _options(lang: str = typer.Option("zh-Hans", "--lang", envvar="RONGHE_LANG",
                                      help="language of messages: zh-Hans or en")) -> None:
    set_locale(lang)


app.add_typer(frameworks.app, name="frameworks")
app.add_typer(assess.app, name="assess")
app.add_typer(index.app, name="index")
app.add_typer(targets.app, name="targets")
app.add_typer(report.app, name="report")


def main() -> None:
    app()
