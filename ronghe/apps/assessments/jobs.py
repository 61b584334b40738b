"""Background work of assessments: a large bulk import, and the scoring of a national answers file
partitioned across workers (parts of rows, scored where a worker is free, put together in order)."""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext as _

from ronghe import uploads
from ronghe.apps.accounts import access
from ronghe.apps.assessments import services
from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.apps.jobs.registry import Kind, register
from ronghe.apps.jobs.services import local_inputs, part_name, save_output
from ronghe.core.errors import AnswerFileError
from ronghe.core.frameworks.compile import compile
from ronghe.core.io.tables import write_tables
from ronghe.core.io.xlsx import AnswerTable, read_answers, results_frame, score_table
from ronghe.core.scoring.answers import encode


def _import(job, progress) -> dict:
    framework = FrameworkVersion.objects.get(pk=job.params["framework"])
    scope = access.enterprises_for_import(job.owner)  # the owner's scope now, not when submitted
    with local_inputs(job) as (path,):
        created = services.import_answers(scope, framework, job.params["year"], path, by=job.owner,
                                          progress=progress)
    return {"created": len(created),
            "summary": _("%(n)s assessments imported and submitted for review.") % {"n": len(created)},
            "url": reverse("organizations:enterprises")}


register(Kind("assessments.import", run=_import))


def _export(job, progress) -> dict:
    """A large export of answers and scores, in the language of the request that asked for it."""
    from django.utils import translation

    from ronghe.apps.assessments import exports

    with translation.override(job.params.get("language")), tempfile.TemporaryDirectory(dir=uploads.temp_dir()) as tmp:
        path = Path(tmp) / "assessments.xlsx"
        rows = exports.write_assessments(job.owner, job.params["filters"], path, progress)
        save_output(job, path, exports.file_name())
        return {"rows": rows, "summary": _("%(n)s assessments exported.") % {"n": rows}}


register(Kind("assessments.export", run=_export))


# --------------------------------------------------------------------------- partitioned scoring
def _compiled(job):
    return compile(FrameworkVersion.objects.get(pk=job.params["framework"]).loaded())


def _plan_scoring(job, progress) -> int:
    """Read and check the whole file once (every fault is reported before any part runs), then keep
    its rows in parts of ``RONGHE_JOB_CHUNK_ROWS`` for the workers."""
    compiled = _compiled(job)
    progress(0, None, _("reading the file"))
    with local_inputs(job) as (path,):
        table = read_answers(path, compiled, limits=uploads.limits())
    errors = encode(compiled, table.frame, rows=table.rows, sheet=table.sheet).errors
    if errors:
        raise AnswerFileError(errors)
    size = settings.RONGHE_JOB_CHUNK_ROWS
    parts = math.ceil(len(table.frame) / size)
    progress(0, len(table.frame), _("scoring in %(n)s parts") % {"n": parts})
    for k in range(parts):
        rows = slice(k * size, (k + 1) * size)
        body = {"ids": table.ids.iloc[rows].to_json(orient="split", force_ascii=False),
                "frame": table.frame.iloc[rows].to_json(orient="split", force_ascii=False),
                "rows": table.rows[rows], "sheet": table.sheet}
        name = part_name(job, k, ".in.json")
        default_storage.delete(name)
        default_storage.save(name, ContentFile(json.dumps(body, ensure_ascii=False).encode()))
    return parts


def _read_part(job, k: int, suffix: str) -> dict:
    with default_storage.open(part_name(job, k, suffix), "rb") as fh:
        return json.loads(fh.read())


def _frame(text: str) -> pd.DataFrame:
    """A table written with ``to_json(orient="split")``, values as they were (no type guessing)."""
    body = json.loads(text)
    return pd.DataFrame(body["data"], columns=body["columns"], dtype=object)


def _score_part(job, k: int, progress) -> None:
    compiled = _compiled(job)
    body = _read_part(job, k, ".in.json")
    table = AnswerTable(ids=_frame(body["ids"]), frame=_frame(body["frame"]), rows=body["rows"], sheet=body["sheet"])
    results = results_frame(score_table(table, compiled), compiled)
    name = part_name(job, k, ".out.json")
    default_storage.delete(name)
    default_storage.save(name, ContentFile(results.to_json(orient="split", force_ascii=False).encode()))
    progress(len(table.frame), None)


def _merge_scoring(job, progress) -> dict:
    frames = []
    for k in range(job.parts_total):
        with default_storage.open(part_name(job, k, ".out.json"), "rb") as fh:
            frames.append(_frame(fh.read().decode()))
    results = pd.concat(frames, ignore_index=True).infer_objects()
    progress(len(results), len(results), _("writing the results"))
    with tempfile.TemporaryDirectory(dir=uploads.temp_dir()) as tmp:
        out = Path(tmp) / "results.csv"
        write_tables(out, {"结果": results})
        label = Path(job.inputs[0]["label"]).stem + "-results.csv" if job.inputs else "results.csv"
        save_output(job, out, label)
    stages = results["stage"].value_counts().sort_index().to_dict() if "stage" in results else {}
    return {"rows": len(results), "stages": {str(k): int(v) for k, v in stages.items()},
            "summary": _("%(rows)s rows scored in %(parts)s parts.") % {"rows": len(results), "parts": job.parts_total}}


register(Kind("assessments.score_file", plan=_plan_scoring, run_part=_score_part, merge=_merge_scoring))
