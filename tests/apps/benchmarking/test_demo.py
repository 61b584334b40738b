import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from ronghe.apps.assessments.models import Assessment
from ronghe.apps.benchmarking import services
from ronghe.apps.frameworks.services import sync_shipped
from tests.base import load_test_codes

pytestmark = pytest.mark.django_db


def test_the_demo_gives_panels_and_dashboards_real_figures(tmp_path):
    load_test_codes(tmp_path)
    sync_shipped()
    call_command("load_demo", enterprises=40)  # the benchmarking part adds 20 浙江 enterprises
    extra = Assessment.objects.filter(enterprise__name__startswith="演示企业Z")
    assert extra.filter(status="scored").values("year").distinct().count() == 3
    assert extra.filter(status="submitted").exists()  # a work queue
    first = Assessment.objects.filter(enterprise__name__startswith="演示企业001", year=2025).get()
    panel = services.peer_panel(first)
    assert panel["available"] and all(g["shown"] for g in panel["groups"] if g["kind"] in ("province", "all"))
    d = services.dashboard_for(User.objects.get(username="demo_province"), None)
    assert d["totals"]["n"] > 20 and d["waiting"] > 0 and d["totals"]["submission_rate"] < 100
    assert len([r for r in d["by_industry"] if r["n"]]) > 3 and d["map"]["names"]
    assert services.dashboard_for(User.objects.get(username="demo_national"), None)["scope"]["code"] == "000000"
