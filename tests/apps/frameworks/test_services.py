import pytest

from ronghe.apps.audit.models import AuditEvent
from ronghe.apps.frameworks import services
from ronghe.apps.frameworks.models import FrameworkVersion
from ronghe.core.errors import FrameworkFileError
from ronghe.core.frameworks import load, shipped

pytestmark = pytest.mark.django_db


def _variant(src, tmp_path, name, **replace):
    text = src.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_registers_a_file_once_and_logs_it(mini_path):
    (row, created), = services.register_files([mini_path])
    assert created and row.slug == "mini" and row.version == 1
    assert row.sha256 == load(mini_path).sha256
    assert bytes(row.content) == mini_path.read_bytes()
    assert [e.action for e in row.history()] == ["framework.registered"]
    (again, created), = services.register_files([mini_path])
    assert not created and again.pk == row.pk
    assert FrameworkVersion.objects.count() == 1


def test_it_refuses_changed_content_under_the_same_version(mini_path, tmp_path):
    services.register_files([mini_path])
    changed = _variant(mini_path, tmp_path, "mini.yaml", **{"score: 40}": "score: 45}"})
    with pytest.raises(services.FrameworkConflict, match="version 2"):
        services.register_files([changed])
    assert FrameworkVersion.objects.count() == 1


def test_it_refuses_an_older_version_and_deactivates_the_superseded_one(mini_path, tmp_path):
    v2 = _variant(mini_path, tmp_path, "mini2.yaml", **{"version: 1": "version: 2"})
    v3 = _variant(mini_path, tmp_path, "mini3.yaml", **{"version: 1": "version: 3"})
    services.register_files([mini_path, v2])
    assert services.get_version("mini").version == 2
    assert not FrameworkVersion.objects.get(version=1).is_active
    changed_v1 = _variant(mini_path, tmp_path, "mini1.yaml", **{"score: 40}": "score: 41}"})
    with pytest.raises(services.FrameworkConflict, match="publish the change as version 3"):
        services.register_files([changed_v1])
    FrameworkVersion.objects.filter(version=1).delete()
    services.register_files([v3])
    with pytest.raises(services.FrameworkConflict, match="version 1 is older than registered version 3"):
        services.register_files([mini_path])


def test_it_registers_nothing_when_one_file_of_a_batch_is_invalid(mini_path, tmp_path):
    bad = _variant(mini_path, tmp_path, "bad.yaml", **{"weight: 0.6\n": "weight: 0.7\n"})
    with pytest.raises(FrameworkFileError) as exc:
        services.register_files([mini_path, bad])
    assert [(e.file, e.path, e.code) for e in exc.value.errors] == [("bad.yaml", "nodes/B2", "framework.weights_items")]
    assert FrameworkVersion.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_it_syncs_every_shipped_framework():
    rows = services.sync_shipped()
    assert {r.slug for r, _ in rows} == {p.stem for p in shipped()}
    assert all(created for _, created in rows)
    assert not any(created for _, created in services.sync_shipped())


def test_it_keeps_audit_events_append_only(mini_path):
    (row, _), = services.register_files([mini_path])
    event = row.history().get()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
