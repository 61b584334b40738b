"""The assessment workflow. Each step checks the state it starts from, runs in one transaction and
writes the audit log; scoring calls the same core as the CLI (``score_one``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ronghe import uploads
from ronghe.apps.assessments.models import Assessment, Score
from ronghe.apps.assessments.signals import assessment_scored
from ronghe.apps.audit.models import log_many
from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.apps.notifications.services import notify
from ronghe.apps.organizations.models import Organization
from ronghe.core.errors import AnswerError, AnswerFileError, RongheError
from ronghe.core.frameworks.compile import compile
from ronghe.core.scoring import score
from ronghe.core.scoring.answers import encode, encode_one
from ronghe.core.scoring.diagnosis import diagnose

Status = Assessment.Status


class WorkflowError(RongheError):
    """The step does not apply to the assessment's current state (or to the person asking)."""


class InputError(RongheError):
    """A value given to a step is outside what it accepts (a year outside the framework's range …)."""


MAX_VALUE_CHARS = 200
"""No valid answer is longer (option ids, numbers, a few options joined by commas)."""


def _expect(a: Assessment, *states: str) -> None:
    if a.status not in states:
        raise WorkflowError(_("This assessment is %(state)s; this step needs it to be %(needed)s.") % {
            "state": a.get_status_display(), "needed": _(" or ").join(str(Status(s).label) for s in states)})


def check_year(framework: FrameworkVersion, year: int) -> None:
    """Refuse a reference year outside the framework's ``years`` or after next year."""
    from ronghe.core.io.xlsx import year_range

    first, last = year_range(compile(framework.loaded()), timezone.localdate().year)
    if not first <= year <= last:
        raise InputError(_("The year must be from %(first)s to %(last)s.") % {"first": first, "last": last})


def start(enterprise: Organization, framework: FrameworkVersion, year: int, *, by: Any = None) -> Assessment:
    """The enterprise's open draft for this framework and year, or a new one."""
    check_year(framework, year)
    with transaction.atomic():
        open_draft = Assessment.objects.filter(enterprise=enterprise, framework=framework, year=year,
                                               status=Status.DRAFT).first()
        if open_draft:
            return open_draft
        if Assessment.objects.filter(enterprise=enterprise, framework=framework, year=year).exists():
            raise WorkflowError(_("%(enterprise)s already has a %(year)s assessment; revise a rejected one instead.")
                                % {"enterprise": enterprise, "year": year})
        a = Assessment.objects.create(enterprise=enterprise, framework=framework, year=year, created_by=by)
        a.log("assessment.started", by, year=year, framework=framework.slug, version=framework.version)
    return a


def check_answers(a: Assessment, answers: dict[str, Any]) -> list[AnswerError]:
    """Every bad value among ``answers`` (row 1), for inline validation; nothing is stored."""
    return encode_one(compile(a.framework.loaded()), answers).errors


def _clean(compiled, answers: dict[str, Any]) -> tuple[dict[str, Any], list[AnswerError]]:
    """Answers fit to store, and the problems: unknown items are dropped, values are checked by their
    item's type; an invalid value is returned as a problem and stored as no answer (so a draft
    never holds "NaN" for a percentage, and never grows beyond its questionnaire)."""
    problems: list[AnswerError] = []
    clean: dict[str, Any] = {}
    known = set(compiled.item_ids)
    for key, value in answers.items():
        if key not in known:
            problems.append(AnswerError(1, str(key)[:64], None, _("not an item of this framework; ignored"),
                                        code="answer.ignored"))
            continue
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        if isinstance(value, str):
            value = value.strip()
        if value is not None and not isinstance(value, str | int | float | bool):
            problems.append(AnswerError(1, key, None, _("an answer is text or a number"), code="answer.type"))
            value = None
        elif isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
            problems.append(AnswerError(1, key, value[:50] + "…",
                                        _("longer than %(n)s characters") % {"n": MAX_VALUE_CHARS},
                                        code="answer.too_long"))
            value = None
        clean[key] = value
    given = {k: v for k, v in clean.items() if v not in (None, "")}
    for e in encode_one(compiled, given).errors:
        problems.append(e)
        clean[e.column] = None
    return clean, problems


def save_draft(a: Assessment, answers: dict[str, Any], *, by: Any = None) -> list[AnswerError]:
    """Merge ``answers`` into the draft (blank values clear an answer) and return the problems.

    Values are checked by their item's type (see ``_clean``); a valid value is stored as typed, an
    invalid one clears the answer and is returned as a problem, with every unknown item. A draft is
    never larger than ``RONGHE_DRAFT_MAX_BYTES``. Raises :class:`WorkflowError` once the assessment
    has been submitted (an autosave that arrives after the submit).
    """
    clean, problems = _clean(compile(a.framework.loaded()), answers)
    with transaction.atomic():
        a = Assessment.objects.select_for_update().only("status", "answers").get(pk=a.pk)
        _expect(a, Status.DRAFT)
        merged = {**a.answers, **clean}
        merged = {k: v for k, v in merged.items() if v not in (None, "")}
        size = len(json.dumps(merged, ensure_ascii=False).encode())
        if size > settings.RONGHE_DRAFT_MAX_BYTES:
            raise InputError(_("The draft would be %(size)s bytes, more than %(limit)s.")
                             % {"size": f"{size:,}", "limit": f"{settings.RONGHE_DRAFT_MAX_BYTES:,}"})
        # The row is locked and a draft. The write states the rule Assessment.save checks (a submitted
        # assessment's answers never change) in its WHERE, instead of reading the row once more.
        if Assessment.objects.filter(pk=a.pk, status=Status.DRAFT).update(
                answers=merged, updated_at=timezone.now()) != 1:
            raise PermissionError("a submitted assessment's answers never change; revise it as a new version")
    return problems


def submit(a: Assessment, *, by: Any = None) -> Assessment:
    """Submit for review: every value valid and every required question answered."""
    compiled = compile(a.framework.loaded())
    with transaction.atomic():
        a = Assessment.objects.select_for_update().get(pk=a.pk)
        _expect(a, Status.DRAFT)
        encoded = encode_one(compiled, a.answers)
        if encoded.errors:
            raise AnswerFileError(encoded.errors)
        missing = score(compiled, encoded).row(compiled, 0).missing
        if missing:
            raise AnswerFileError([AnswerError.of(1, m, None, "answer.required") for m in missing])
        a.status, a.submitted_at = Status.SUBMITTED, timezone.now()
        a.save(update_fields=["status", "submitted_at", "updated_at"])
        a.log("assessment.submitted", by)
        _tell_reviewers(a)
    return a


def _independent(a: Assessment, by: Any) -> None:
    """Separation of duties: nobody reviews an assessment of an enterprise they work for, nor one
    they created or submitted themselves (an authority's own bulk import included)."""
    from ronghe.apps.accounts.access import works_for

    if by is None or not getattr(by, "pk", None):
        return
    if works_for(by, a.enterprise):
        raise WorkflowError(_("You work for this enterprise, so its assessments are reviewed by someone else."))
    submitters = set(a.history().filter(action__in=["assessment.submitted", "assessment.imported"])
                     .values_list("actor_id", flat=True))
    if by.pk == a.created_by_id or by.pk in submitters:
        raise WorkflowError(_("You created or submitted this assessment, so someone else reviews it."))


def approve(a: Assessment, *, by: Any = None) -> Score:
    """Approve a submitted assessment and store its score (with the framework file's sha256)."""
    _independent(a, by)
    loaded = a.framework.loaded()
    compiled = compile(loaded)
    with transaction.atomic():
        a = Assessment.objects.select_for_update().get(pk=a.pk)
        _expect(a, Status.SUBMITTED)
        scores = score(compiled, encode_one(compiled, a.answers))
        result, diag = scores.row(compiled, 0), diagnose(compiled, scores, 0)
        s = Score.objects.create(assessment=a, framework_sha256=loaded.sha256, total=result.total,
                                 stage=result.stage, stage_label=result.stage_label, complete=result.complete,
                                 nodes=_finite(result.nodes), rates=_finite(result.rates), diagnosis=asdict(diag))
        a.status, a.reviewed_by, a.reviewed_at = Status.SCORED, by, timezone.now()
        a.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
        a.log("assessment.approved", by, total=round(result.total, 2), stage=result.stage, sha256=loaded.sha256)
        assessment_scored.send(sender=Assessment, score=s)
        notify(_workers(a.enterprise), "assessment.approved",
               _("Your %(year)s self-assessment was approved") % {"year": a.year},
               _("%(enterprise)s: total %(total)s, stage %(stage)s.") % {
                   "enterprise": a.enterprise.name, "total": f"{result.total:.1f}", "stage": result.stage_label},
               reverse("assessments:result", args=[a.pk]))
    return s


def reject(a: Assessment, reason: str, *, by: Any = None) -> Assessment:
    """Send a submitted assessment back with a reason (required)."""
    _independent(a, by)
    if not reason.strip():
        raise WorkflowError(_("A rejection needs a reason."))
    if len(reason) > 2000 or "\x00" in reason:
        raise InputError(_("A reason has at most 2,000 characters."))
    with transaction.atomic():
        a = Assessment.objects.select_for_update().get(pk=a.pk)
        _expect(a, Status.SUBMITTED)
        a.status, a.reviewed_by, a.reviewed_at, a.review_reason = Status.REJECTED, by, timezone.now(), reason.strip()
        a.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason", "updated_at"])
        a.log("assessment.rejected", by, reason=a.review_reason)
        notify(_workers(a.enterprise), "assessment.rejected",
               _("Your %(year)s self-assessment was returned") % {"year": a.year},
               _("Reason: %(reason)s") % {"reason": a.review_reason}, reverse("assessments:edit", args=[a.pk]))
    return a


def revise(a: Assessment, *, by: Any = None) -> Assessment:
    """A new draft version of a rejected assessment, starting from its answers."""
    with transaction.atomic():
        a = Assessment.objects.select_for_update().get(pk=a.pk)
        _expect(a, Status.REJECTED)
        newer = Assessment.objects.filter(previous=a).first()
        if newer is not None:  # revised already (a second click, another tab, an API retry)
            raise WorkflowError(_("This assessment was already revised as version %(version)s.")
                                % {"version": newer.version})
        new = Assessment.objects.create(enterprise=a.enterprise, framework=a.framework, year=a.year,
                                        version=a.version + 1, previous=a, answers=dict(a.answers), created_by=by)
        new.log("assessment.revised", by, previous=a.pk)
    return new


def delete_draft(a: Assessment, *, by: Any = None) -> None:
    """Delete a draft nobody else has seen (submitted, reviewed and scored assessments are kept for
    ever: a later version replaces them). The deletion, with the answers it held, is in the audit log."""
    from django.db.models import ProtectedError

    with transaction.atomic():
        a = Assessment.objects.select_for_update().get(pk=a.pk)
        _expect(a, Status.DRAFT)
        a.log("assessment.deleted", by, enterprise=a.enterprise_id, year=a.year, version=a.version,
              framework=str(a.framework), answers=a.answers)
        try:
            a.delete()
        except ProtectedError as exc:
            raise WorkflowError(_("This draft is referred to elsewhere and cannot be deleted.")) from exc


def import_answers(enterprises, framework: FrameworkVersion, year: int, path, *, by: Any = None,
                   progress: Callable[..., None] | None = None) -> list[Assessment]:
    """Create submitted assessments from an answers file, one per row, all or nothing.

    Rows name their enterprise by ``credit_code``, which must be among ``enterprises`` (the
    uploader's import scope). Every value must be valid and every required question answered;
    any fault anywhere raises :class:`AnswerFileError` listing all of them and writes nothing.
    ``progress(done, total, message)`` is told how far the work is (rows checked, then written);
    the writes are one transaction at the end, so a cancelled or failed import leaves nothing.
    """
    from ronghe.core.io.xlsx import read_answers

    report = progress or (lambda *a, **k: None)
    compiled = compile(framework.loaded())
    check_year(framework, year)
    report(0, None, _("reading the file"))
    table = read_answers(path, compiled, limits=uploads.limits())
    n = len(table.frame)
    report(0, 2 * n, _("checking the answers"))
    errors: list[AnswerError] = []
    if "credit_code" not in table.ids:
        raise AnswerFileError([AnswerError(1, "credit_code", None, _("the credit_code column names each enterprise"),
                                           table.sheet, "import.credit_code_column")])
    encoded = encode(compiled, table.frame, rows=table.rows, sheet=table.sheet)
    errors.extend(encoded.errors)
    scored = score(compiled, encoded)
    codes = [str(c).strip().upper() if c is not None else "" for c in table.ids["credit_code"]]
    known: dict[str, Organization] = {}
    distinct = sorted(set(codes))
    for start in range(0, len(distinct), 5000):  # bounded IN lists (SQLite allows 32,766 parameters)
        known.update((e.credit_code, e) for e in enterprises.filter(credit_code__in=distinct[start:start + 5000]))
    taken = set(Assessment.objects.filter(enterprise__in=known.values(), framework=framework, year=year)
                .values_list("enterprise__credit_code", flat=True))
    for i, (row, code) in enumerate(zip(table.rows, codes, strict=True)):
        if code not in known:
            errors.append(AnswerError(row, "credit_code", code, _("no enterprise with this credit code in your view"),
                                      table.sheet, "import.unknown_enterprise"))
        elif code in taken:
            errors.append(AnswerError(row, "credit_code", code,
                                      _("this enterprise already has a %(year)s assessment") % {"year": year},
                                      table.sheet, "import.taken"))
        if scored.missing[i] and not encoded.invalid[i]:
            for j in np.flatnonzero(scored.missing_mask[i]):
                errors.append(AnswerError.of(row, compiled.item_ids[j], None, "answer.required", table.sheet))
        if i % 5000 == 0:
            report(i, 2 * n)
    if errors:
        raise AnswerFileError(sorted(errors, key=lambda e: (e.row, e.column)))
    now = timezone.now()
    records = table.frame.to_dict("records")
    new = [Assessment(enterprise=known[code], framework=framework, year=year, status=Status.SUBMITTED,
                      submitted_at=now, created_by=by,
                      answers={k: (v.item() if hasattr(v, "item") else v) for k, v in raw.items()
                               if v is not None and v == v})
           for code, raw in zip(codes, records, strict=True)]
    report(n, 2 * n, _("writing"))
    with transaction.atomic():
        created = Assessment.objects.bulk_create(new, batch_size=2000)
        log_many(created, "assessment.imported", by, [{"row": r} for r in table.rows])
        _tell_reviewers_of_import(created)
    report(2 * n, 2 * n)
    return created


def _workers(enterprise: Organization):
    """The people who fill in the enterprise's assessments: its members and its consultancies'."""
    from django.contrib.auth.models import User
    from django.db.models import Q

    return User.objects.filter(Q(memberships__organization=enterprise) | Q(
        memberships__organization__grants_received__enterprise=enterprise,
        memberships__organization__grants_received__revoked_at__isnull=True)).distinct()


def _tell_reviewers(a: Assessment) -> None:
    from ronghe.apps.accounts.access import reviewers_of

    notify(reviewers_of(a.enterprise.region_id), "assessment.submitted",
           _("%(enterprise)s submitted its %(year)s self-assessment") % {"enterprise": a.enterprise.name,
                                                                         "year": a.year},
           _("It waits for your review."), reverse("assessments:edit", args=[a.pk]))


def _tell_reviewers_of_import(created: list[Assessment]) -> None:
    """One notification per reviewing desk for a bulk import, with how many assessments wait for it."""
    from collections import Counter

    from ronghe.apps.accounts.access import reviewers_of

    by_desk: Counter = Counter()
    desks = {}
    for region, n in Counter(a.enterprise.region_id for a in created).items():
        users = tuple(sorted(reviewers_of(region).values_list("pk", flat=True)))
        by_desk[users] += n
        desks[users] = reviewers_of(region)
    for users, n in by_desk.items():
        notify(desks[users], "assessment.imported", _("%(n)s imported self-assessments wait for review") % {"n": n},
               "", reverse("organizations:enterprises") + "?status=submitted")


def history(enterprise: Organization):
    """Every assessment of the enterprise, newest year and version first, with scores."""
    return (enterprise.assessments.select_related("framework", "score").defer("framework__content")
            .order_by("-year", "-version"))


def _finite(values: dict[str, float]) -> dict[str, float | None]:
    """JSON has no NaN: a not-applicable score is stored as null."""
    return {k: (None if v != v else round(v, 4)) for k, v in values.items()}
