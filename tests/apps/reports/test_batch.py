"""A batch draws many reports in one process with state kept between them (font configuration, the
parsed print stylesheet, the collector frozen after the first report): every PDF must still be its
own enterprise's report, as the single download draws it, and the process must be left as it was."""

import gc
import re
import zipfile

import pytest

from ronghe.apps.assessments.models import Assessment
from ronghe.apps.organizations import services as orgs
from ronghe.apps.reports import services
from ronghe.core.reports import numbers as num
from tests.apps.reports.conftest import FULL, scored
from tests.apps.reports.helpers import pdf_text
from tests.base import credit_code

pytestmark = pytest.mark.django_db


def _words(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_a_batch_draws_each_enterprises_own_report_as_the_single_download_does(reports_world, tmp_path):
    w = reports_world
    others = []
    for k, answers in enumerate(({**FULL, "a1": "A", "b2": 10}, {**FULL, "b1": "CAD", "b3": 90})):
        e = orgs.create_organization(
            kind="enterprise",
            name=f"批量测试{'甲乙'[k]}有限公司",
            credit_code=credit_code("330106", 80 + k),
            region_id="330106",
            industry_id="34",
            size="300人以下",
        )
        others.append(scored(e, w.version, 2025, answers, w.ent_a, w.admin))
    ids = [w.scored.pk, w.earlier.pk, *(a.pk for a in others)]
    path = tmp_path / "batch.zip"
    seen = []
    assert services.write_batch(ids, path, lambda done, total=None, message="": seen.append(done)) == 4
    assert seen == [0, 1, 2, 3, 4] and gc.get_freeze_count() == 0  # the collector has everything back
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        pdfs = [z.read(n) for n in names]
    assert len(set(names)) == 4 and len(set(pdfs)) == 4
    texts = [_words(pdf_text(p, tmp_path)) for p in pdfs]
    for pk, text in zip(ids, texts, strict=True):
        a = Assessment.objects.select_related("enterprise", "framework", "score").get(pk=pk)
        alone = _words(pdf_text(services.enterprise_pdf(a), tmp_path))
        assert text == alone  # the same report as drawn alone, in a fresh state
        assert a.enterprise.name in text and f"{a.year}年度" in text and num.fixed(a.score.total) in text
    assert "批量测试甲有限公司" not in texts[3] and "批量测试乙有限公司" not in texts[2]


def test_a_cancelled_batch_leaves_the_collector_as_it_was(reports_world, tmp_path):
    w = reports_world

    def cancel(done, total=None, message=""):
        if done == 2:
            raise RuntimeError("cancelled")

    with pytest.raises(RuntimeError):
        services.write_batch([w.scored.pk, w.earlier.pk, w.scored.pk], tmp_path / "b.zip", cancel)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
