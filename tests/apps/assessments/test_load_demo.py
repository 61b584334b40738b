import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from ronghe.apps.accounts import access
from ronghe.apps.assessments.models import Assessment
from ronghe.apps.frameworks.services import sync_shipped
from tests.base import load_test_codes

pytestmark = pytest.mark.django_db


def test_it_loads_demo_enterprises_accounts_and_three_scored_years(tmp_path, capsys):
    load_test_codes(tmp_path)  # 浙江 and 北京 counties only: demo provinces without counties get none
    sync_shipped()
    call_command("load_demo", enterprises=14)
    out = capsys.readouterr().out
    assert "demo_enterprise" in out and "demo_city" in out
    scored = Assessment.objects.filter(status="scored", enterprise__name__regex=r"^演示企业[0-9]")
    assert scored.values("year").distinct().count() == 3
    assert scored.count() == 3 * 14  # every demo enterprise has three approved years
    city = User.objects.get(username="demo_city")
    seen = access.enterprises_for_user(city)
    assert seen.exists() and all(e.region_id.startswith("3301") for e in seen)
    call_command("load_demo")  # idempotent
    assert "already loaded" in capsys.readouterr().out
