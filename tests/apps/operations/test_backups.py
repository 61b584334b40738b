"""An export of one installation restores into an empty one: every row, score and evaluation."""

import io
import zipfile

import pytest
from django.core.management import call_command

from ronghe import pagecache
from ronghe.apps.assessments import services as assessments
from ronghe.apps.assessments.models import Assessment, Score
from ronghe.apps.audit.models import AuditEvent
from ronghe.apps.frameworks.services import register_files
from ronghe.apps.operations.services import BackupError, import_data
from ronghe.apps.organizations.models import Organization
from ronghe.apps.regions import services as regions
from ronghe.apps.regions.models import Evaluation
from tests.apps.regions.helpers import write_data
from tests.conftest import FILES

pytestmark = pytest.mark.django_db(transaction=True)
FULL = {"a1": "C", "a2": "是", "b1": "CAD,PDM", "b2": 60, "b3": 35}


def test_it_exports_and_restores_an_installation(world, tmp_path):
    (version, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    a = assessments.start(world.a, version, 2025, by=world.ent_a)
    assessments.save_draft(a, FULL)
    assessments.submit(a, by=world.ent_a)
    score = assessments.approve(a, by=world.city_authority)
    evaluation = regions.run_evaluation(world.city_authority.memberships.get().organization, "lianghua-regional",
                                        [write_data(tmp_path / "d.csv", ["330106", "330102"])], runs=50)
    before = {"orgs": Organization.objects.count(), "audit": AuditEvent.objects.count()}
    archive = tmp_path / "export.zip"
    call_command("export_data", "--out", str(archive), stdout=io.StringIO())
    manifest = zipfile.ZipFile(archive).read("manifest.json").decode()
    assert '"assessments.Score": 1' in manifest

    call_command("flush", "--noinput", verbosity=0)  # a new, empty installation
    assert not Assessment.objects.exists() and not Organization.objects.exists()
    cached = {topic: pagecache.versions(**{topic: None}) for topic in pagecache.TOPICS}
    call_command("import_data", str(archive), stdout=io.StringIO())
    assert all(pagecache.versions(**{t: None}) != v for t, v in cached.items())  # no cached page outlives it
    restored = Score.objects.get(assessment__enterprise__name="杭州甲机械有限公司")
    assert (restored.total, restored.stage_label, restored.nodes) == (score.total, score.stage_label, score.nodes)
    assert Evaluation.objects.get(pk=evaluation.pk).results == evaluation.results
    assert {"orgs": Organization.objects.count(), "audit": AuditEvent.objects.count()} == before
    # the restored installation goes on working: new rows get new ids
    again = assessments.start(Organization.objects.get(name="杭州甲机械有限公司"), version, 2024)
    assert again.pk > restored.assessment_id
    with pytest.raises(BackupError, match="already holds assessments"):
        import_data(archive)


def test_it_refuses_a_damaged_archive(tmp_path):
    damaged = tmp_path / "damaged.zip"
    call_command("export_data", "--out", str(damaged), stdout=io.StringIO())
    parts = {n: zipfile.ZipFile(damaged).read(n) for n in zipfile.ZipFile(damaged).namelist()}
    parts["organizations.Organization.json"] += b" "
    with zipfile.ZipFile(damaged, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    with pytest.raises(BackupError, match="checksum"):
        import_data(damaged)
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(BackupError, match="not a ronghe export"):
        import_data(tmp_path / "junk.zip")
