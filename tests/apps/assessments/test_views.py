import json

import pytest
from django.urls import reverse

from ronghe.apps.assessments import services
from ronghe.apps.assessments.models import Assessment
from ronghe.apps.frameworks.services import register_files
from tests.conftest import FILES

pytestmark = pytest.mark.django_db


def test_it_walks_an_enterprise_and_its_authority_through_the_whole_workflow(client, world, mini_version):
    client.force_login(world.ent_a)
    r = client.post(reverse("assessments:list", kwargs={"pk": world.a.pk}), {"framework": mini_version.pk,
                                                                            "year": 2025})
    a = Assessment.objects.get(enterprise=world.a)
    assert r.status_code == 302 and r["Location"] == reverse("assessments:edit", kwargs={"pk": a.pk})
    page = client.get(r["Location"]).content.decode()
    assert 'name="q_a1"' in page and "仅当" not in page  # conditions travel as JSON for the script
    assert json.loads(page.split('id="conditions" type="application/json">')[1].split("</script>")[0]) == {
        "b3": {"item": "a2", "op": "eq", "value": True}}
    auto = client.post(r["Location"], {"q_a1": "Z", "action": "autosave"}).json()
    assert auto == {"errors": [{"item": "a1", "reason": "a1 没有这个选项；请从 A, B, C, D 中选择"}]}
    answers = {"q_a1": "C", "q_a2": "是", "q_b1": ["", "CAD", "PDM"], "q_b2": "60", "q_b3": "35"}
    r = client.post(reverse("assessments:edit", kwargs={"pk": a.pk}), {**answers, "action": "submit"})
    a.refresh_from_db()
    assert r.status_code == 302 and a.status == "submitted" and a.answers["b1"] == "CAD,PDM"
    client.force_login(world.city_authority)
    assert 'id="review"' in client.get(reverse("assessments:edit", kwargs={"pk": a.pk})).content.decode()
    r = client.post(reverse("assessments:review", kwargs={"pk": a.pk}), {"action": "approve"})
    assert r["Location"] == reverse("assessments:result", kwargs={"pk": a.pk})
    result = client.get(r["Location"])
    body = result.content.decode()
    assert "84.9" in body and "集成提升" in body and "vendor/echarts/echarts.min.js" in body
    assert result.context["radar"]["names"] == ["基础建设", "单项应用"]
    assert result.context["radar"]["values"] == [90.0, 81.5]


def test_it_shows_rejection_reasons_and_revises(client, world, mini_version):
    a = services.start(world.a, mini_version, 2025)
    services.save_draft(a, {"a1": "C", "a2": "否", "b1": "CAD", "b2": 50})
    services.submit(a)
    client.force_login(world.other_province)
    assert client.post(reverse("assessments:review", kwargs={"pk": a.pk}), {"action": "approve"}).status_code == 404
    client.force_login(world.city_authority)
    client.post(reverse("assessments:review", kwargs={"pk": a.pk}), {"action": "reject", "reason": "数据有误"})
    client.force_login(world.ent_a)
    assert "数据有误" in client.get(reverse("assessments:edit", kwargs={"pk": a.pk})).content.decode()
    r = client.post(reverse("assessments:revise", kwargs={"pk": a.pk}))
    v2 = Assessment.objects.get(previous=a)
    assert r["Location"] == reverse("assessments:edit", kwargs={"pk": v2.pk}) and v2.version == 2


def test_it_refuses_edits_by_read_only_roles_and_after_submission(client, world, mini_version):
    a = services.start(world.a, mini_version, 2025)
    url = reverse("assessments:edit", kwargs={"pk": a.pk})
    client.force_login(world.city_authority)
    assert client.get(url).status_code == 404  # a draft is the enterprise's own until submitted
    assert client.post(url, {"q_a1": "A", "action": "save"}).status_code == 404  # and may not write
    client.force_login(world.consultant)
    assert client.post(url, {"q_a1": "A", "action": "save"}).status_code == 200  # granted consultancy may
    a.refresh_from_db()
    assert a.answers == {"a1": "A"}
    services.save_draft(a, {"a2": "是", "b1": "CAD", "b2": 50})
    client.force_login(world.ent_a)
    client.get(url)
    services.submit(a, by=world.ent_a)  # submitted in another tab while this page still autosaves
    late = client.post(url, {"q_a1": "B", "action": "autosave"})
    assert late.status_code == 409 and "待审核" in late.json()["message"]
    client.force_login(world.city_authority)
    assert client.get(url).status_code == 200  # from submission on, the authority reads it
    assert client.post(url, {"q_a1": "A", "action": "save"}).status_code == 404


def test_a_draft_is_deleted_by_its_enterprise_and_logged(client, world):
    from ronghe.apps.assessments import services
    from ronghe.apps.assessments.models import Assessment
    from ronghe.apps.audit.models import AuditEvent

    (version, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    draft = services.start(world.a, version, 2025, by=world.ent_a)
    services.save_draft(draft, {"a1": "C"})
    client.force_login(world.ent_a_member)
    page = client.get(reverse("assessments:edit", args=[draft.pk])).content.decode()
    assert 'id="delete-draft"' in page and "data-confirm" in page
    r = client.post(reverse("assessments:delete", args=[draft.pk]), follow=True)
    assert r.redirect_chain[0][0] == reverse("assessments:list", args=[world.a.pk])
    assert not Assessment.objects.filter(pk=draft.pk).exists()
    event = AuditEvent.objects.get(action="assessment.deleted")
    assert event.actor == world.ent_a_member and event.data["answers"] == {"a1": "C"}


def test_a_submitted_assessment_is_never_deleted(client, world):
    from ronghe.apps.assessments import services
    from ronghe.apps.assessments.models import Assessment

    (version, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    a = services.start(world.a, version, 2024, by=world.ent_a)
    services.save_draft(a, {"a1": "C", "a2": "是", "b1": "CAD,PDM", "b2": 60, "b3": 35})
    services.submit(a, by=world.ent_a)
    client.force_login(world.ent_a)
    assert 'id="delete-draft"' not in client.get(reverse("assessments:edit", args=[a.pk])).content.decode()
    r = client.post(reverse("assessments:delete", args=[a.pk]), follow=True)
    assert Assessment.objects.filter(pk=a.pk).exists()
    assert r.redirect_chain[-1][0] == reverse("assessments:edit", args=[a.pk])
    assert '<li class="error"><span role="alert">' in r.content.decode()


def test_the_server_refuses_an_exclusive_option_or_none_beside_another_in_a_clear_message(client, world, mini_version):
    """The page unticks the others, but a hand-made request (or an old tab) is refused by the server too."""
    from ronghe.apps.frameworks.services import get_version, sync_shipped

    sync_shipped()
    client.force_login(world.ent_a)
    a = services.start(world.a, mini_version, 2025)
    url = reverse("assessments:edit", kwargs={"pk": a.pk})
    auto = client.post(url, {"q_b1": ["", "CAD", "无"], "action": "autosave"}).json()
    assert auto == {"errors": [{"item": "b1", "reason": "b1 的“无”不能与其他选项同时选择"}]}
    assert client.post(url, {"q_b1": ["", "无"], "action": "autosave"}).json() == {"errors": []}
    real = services.start(world.a, get_version("gbt23020-discrete"), 2024)
    url = reverse("assessments:edit", kwargs={"pk": real.pk})
    auto = client.post(url, {"q_JC_15": ["", "A", "Z"], "action": "autosave"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert auto["errors"] == [{"item": "JC_15", "reason": "JC_15 的“Z 以上都没有”不能与其他选项同时选择"}]
    client.cookies["django_language"] = "en"
    auto = client.post(url, {"q_JC_15": ["", "A", "Z"], "action": "autosave"}).json()
    assert auto["errors"] == [{"item": "JC_15", "reason": "JC_15: “Z 以上都没有” excludes the other options"}]
    real.refresh_from_db()
    assert "JC_15" not in real.answers  # the refused value is not stored
    page = client.get(url).content.decode()
    assert 'value="Z" data-exclusive="1"' in page  # declared in the framework file, marked for the page


def test_the_result_and_the_dashboard_say_when_weights_are_the_labelled_defaults(client, world, mini_version):
    import numpy as np

    from ronghe.apps.frameworks.services import get_version, sync_shipped
    from ronghe.core.frameworks.synthetic import answers

    sync_shipped()
    framework = get_version("gbt23020-discrete")
    assert framework.placeholder and not mini_version.placeholder
    a = services.start(world.a, framework, 2025)
    row = answers(framework.loaded().framework, 1, seed=3, maturity=np.array([0.5]), blank_rate=0.0).iloc[0]
    services.save_draft(a, {k: v for k, v in row.items() if v is not None and v == v})
    services.submit(a)
    services.approve(a, by=world.city_authority)
    client.force_login(world.ent_a)
    assert 'id="placeholder-notice"' in client.get(reverse("assessments:result", kwargs={"pk": a.pk})).content.decode()
    client.force_login(world.city_authority)
    dashboard = client.get(reverse("benchmarking:dashboard") + "?framework=gbt23020-discrete").content.decode()
    assert 'id="placeholder-notice"' in dashboard and "默认值" in dashboard
    m = services.start(world.b, mini_version, 2025)  # a framework with its own weights says nothing
    services.save_draft(m, {"a1": "C", "a2": "否", "b1": "CAD", "b2": 50})
    services.submit(m)
    services.approve(m, by=world.admin)
    client.force_login(world.ent_b)
    assert "placeholder-notice" not in client.get(reverse("assessments:result", kwargs={"pk": m.pk})).content.decode()


def test_pages_of_an_assessment_read_the_framework_file_once_per_process(client, world, mini_version):
    """A framework's file (the row's largest column) is read once, then served from the process's
    cache by its sha256: the result page, the questionnaire and an autosave do not fetch it again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ronghe.apps.frameworks import models as framework_models

    a = services.start(world.a, mini_version, 2025, by=world.ent_a)
    answers = {"a1": "C", "a2": "是", "b1": "CAD,PDM", "b2": 60, "b3": 35}
    services.save_draft(a, answers, by=world.ent_a)
    services.submit(a, by=world.ent_a)
    services.approve(a, by=world.city_authority)
    framework_models._LOADED.clear()
    client.force_login(world.ent_a)
    first = client.get(reverse("assessments:result", kwargs={"pk": a.pk}))
    assert first.status_code == 200 and "84.9" in first.content.decode()
    assert mini_version.sha256 in framework_models._LOADED
    draft = services.start(world.a, mini_version, 2026, by=world.ent_a)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("assessments:result", kwargs={"pk": a.pk})).status_code == 200
        assert client.get(reverse("assessments:edit", kwargs={"pk": draft.pk})).status_code == 200
        saved = client.post(reverse("assessments:edit", kwargs={"pk": draft.pk}), {"q_a1": "B", "action": "autosave"})
        assert saved.status_code == 200 and saved.json() == {"errors": []}
    reads = [q["sql"] for q in queries.captured_queries if '"content"' in q["sql"]]
    assert reads == []
    fresh = framework_models.FrameworkVersion.objects.get(pk=mini_version.pk)
    assert fresh.loaded() is framework_models._LOADED[mini_version.sha256]  # the same validated framework


def test_an_autosave_reads_the_assessment_once_to_check_who_writes_and_once_locked_to_merge(client, world,
                                                                                          mini_version):
    """The permission to change the assessment is part of the first read (no second query asks it),
    and the write states the draft rule in its WHERE (no re-read of the row before the update)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a = services.start(world.a, mini_version, 2025, by=world.ent_a)
    url = reverse("assessments:edit", kwargs={"pk": a.pk})
    client.force_login(world.ent_a)
    client.post(url, {"q_a1": "A", "action": "autosave"})
    with CaptureQueriesContext(connection) as queries:
        saved = client.post(url, {"q_a1": "B", "action": "autosave"})
    assert saved.status_code == 200 and saved.json() == {"errors": []}
    on_it = [q["sql"] for q in queries.captured_queries if '"assessments_assessment"' in q["sql"]]
    assert len(on_it) == 3 and on_it[2].startswith("UPDATE")  # read, read (locked on PostgreSQL), write
    assert '"status" = ' in on_it[2].split("WHERE")[1]
    a.refresh_from_db()
    assert a.answers == {"a1": "B"}
