"""``ronghe report``: the reports of the platform's stored results as PDF (or HTML) files.

Unlike the other command groups these read the platform's database, so they start Django with the
settings of the environment (``DATABASE_URL`` …). They call the same services as the pages and the
API. ``--user`` draws a report as that user may see it (a region outside their view is refused
like on the web); without it the command acts as the platform operator, who sees everything.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from ronghe.cli.common import fail, out, text

app = typer.Typer(help="Reports as PDF: an enterprise's diagnosis, a batch of them, monitoring, a regional evaluation.",
                  no_args_is_help=True)

USER = typer.Option(None, "--user", help="draw it as this user may see it (default: the platform operator)")
FORMAT = typer.Option("pdf", "--format", help="pdf or html")


def _django(lang: str | None = None) -> None:
    """Start Django once (the settings read the environment), in the CLI's language."""
    import django
    from django.utils import translation

    from ronghe.core.messages import current_locale

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ronghe.settings")
    django.setup()
    translation.activate("en" if (lang or current_locale()).lower().startswith("en") else "zh-hans")


def _user(name: str | None) -> Any:
    from django.contrib.auth.models import User

    if name is None:
        return User(username="ronghe-cli", is_staff=True)  # not saved: the operator, who sees everything
    user = User.objects.filter(username=name, is_active=True).first()
    if user is None:
        fail(f"no active user {name!r}")
    return user


def _write(context: dict, fmt: str, path: Path, user: Any) -> None:
    from ronghe.apps.reports import services

    if fmt not in services.FORMATS:
        fail(f"--format is pdf or html, not {fmt!r}")
    path.write_bytes(services.export(context, fmt, by=user, via="cli"))  # audited, as on the web
    out.print(f"wrote {text(path)}", highlight=False)


def _refusals() -> tuple[type[Exception], ...]:
    """What a report refuses with: not visible (Http404), not reportable yet (ReportError)."""
    from django.http import Http404

    from ronghe.apps.reports.services import ReportError

    return Http404, ReportError


def _refused(exc: Exception) -> None:
    from django.http import Http404

    fail("not found, or not in the user's view" if isinstance(exc, Http404) else str(exc))


@app.command("enterprise")
def enterprise(assessment_id: int = typer.Argument(..., help="id of an approved assessment"),
               out_path: Path = typer.Option(..., "--out", help="file to write (.pdf, or .html with --format html)"),
               fmt: str = FORMAT, user: str = USER) -> None:
    """The diagnosis report of one approved assessment."""
    _django()
    from ronghe.apps.reports import services

    try:
        who = _user(user)
        a = services.enterprise_for_user(who, assessment_id)
        _write(services.enterprise_context(a), fmt, out_path, who)
    except _refusals() as exc:
        _refused(exc)


@app.command("batch")
def batch(year: int = typer.Option(..., "--year", help="reference year of the assessments"),
          out_path: Path = typer.Option(..., "--out", help="zip file to write: one PDF per enterprise"),
          region: str = typer.Option(None, "--region", help="six-digit region code (default: the user's jurisdiction, "
                                                             "or the country)"),
          framework: str = typer.Option(None, "--framework", help="framework short name (default: any)"),
          user: str = USER) -> None:
    """The diagnosis reports of every enterprise of a region (its latest approved assessment of the
    year), one PDF each in one zip, with a progress bar."""
    _django()
    from ronghe.apps.reports import services

    try:
        who = _user(user)
        ids = services.batch_assessments(who, region, year, framework)
    except _refusals() as exc:
        _refused(exc)
    if not ids:
        fail(f"no approved assessment of {year} in this region")
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=out) as bar:
        task = bar.add_task("reports", total=len(ids))
        services.write_batch(ids, out_path, lambda done, total=None, message="": bar.update(task, completed=done),
                             by=who, via="cli", scope={"region": region, "year": year, "framework": framework})
    out.print(f"wrote {len(ids)} reports to {text(out_path)}", highlight=False)


@app.command("monitoring")
def monitoring(out_path: Path = typer.Option(..., "--out", help="file to write"),
               region: str = typer.Option(None, "--region", help="six-digit region code (default: the user's "
                                                                  "jurisdiction, or the country)"),
               year: int = typer.Option(None, "--year", help="year (default: the latest with data)"),
               framework: str = typer.Option(None, "--framework", help="framework short name (default: the most used)"),
               fmt: str = FORMAT, user: str = USER) -> None:
    """The annual monitoring report of a jurisdiction."""
    _django()
    from ronghe.apps.frameworks.models import FrameworkVersion
    from ronghe.apps.reports import services

    try:
        who = _user(user)
        _write(services.monitoring_context(who, region, framework, year), fmt, out_path, who)
    except FrameworkVersion.DoesNotExist:
        fail(f"no framework {framework!r} with data")
    except _refusals() as exc:
        _refused(exc)


@app.command("region")
def region(evaluation_id: int = typer.Argument(..., help="id of a stored regional evaluation"),
           out_path: Path = typer.Option(..., "--out", help="file to write"), fmt: str = FORMAT,
           user: str = USER) -> None:
    """The report of a stored regional evaluation."""
    _django()
    from ronghe.apps.reports import services

    try:
        who = _user(user)
        _write(services.region_context(services.evaluation_for_user(who, evaluation_id)), fmt, out_path, who)
    except _refusals() as exc:
        _refused(exc)
