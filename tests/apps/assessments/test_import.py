import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ronghe.apps.assessments.models import Assessment

pytestmark = pytest.mark.django_db


def _csv(rows):
    text = "enterprise,credit_code,a1,a2,b1,b2,b3\n" + "\n".join(rows) + "\n"
    return SimpleUploadedFile("answers.csv", text.encode("utf-8"), content_type="text/csv")


def _post(client, version, rows):
    return client.post(reverse("assessments:import"), {"framework": version.pk, "year": 2025, "file": _csv(rows)})


def test_it_imports_a_file_as_submitted_assessments_for_a_consultancy(client, world, mini_version):
    client.force_login(world.consultant)
    r = _post(client, mini_version, [f'甲,{world.a.credit_code},C,是,"CAD,PDM",60,35'])
    assert r.status_code == 200 and len(r.context["created"]) == 1
    a = Assessment.objects.get(enterprise=world.a)
    assert a.status == "submitted" and a.answers["b1"] == "CAD,PDM" and a.answers["b2"] == "60"  # raw cell text


def test_it_imports_nothing_when_any_row_is_bad_and_lists_every_problem(client, world, mini_version):
    client.force_login(world.city_authority)  # an authority collects its region's answers
    r = _post(client, mini_version, [f'甲,{world.a.credit_code},C,是,"CAD,PDM",60,35',
                                     f"乙,{world.b.credit_code},Q,是,CAD,60,35",
                                     f"甲二,{world.a.credit_code.lower()},C,否,,60,"])
    got = [(e.row, e.column, e.reason) for e in r.context["errors"]]
    assert got == [
        (3, "a1", "a1 没有这个选项；请从 A, B, C, D 中选择"),
        (3, "credit_code", "您的权限范围内没有此统一社会信用代码的企业"),  # 北京乙 is outside 杭州
        (4, "b1", "必答题未作答"),
    ]
    assert Assessment.objects.count() == 0
    assert 'id="errors"' in r.content.decode() and 'id="imported"' not in r.content.decode()


def test_it_refuses_enterprise_users_importing_for_others(client, world, mini_version):
    client.force_login(world.ent_b)
    r = _post(client, mini_version, [f'甲,{world.a.credit_code},C,是,"CAD,PDM",60,35'])
    assert [e.reason for e in r.context["errors"]] == ["您的权限范围内没有此统一社会信用代码的企业"]
    assert Assessment.objects.count() == 0
