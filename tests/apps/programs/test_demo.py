import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from ronghe.apps.accounts import access
from ronghe.apps.frameworks.services import sync_shipped
from ronghe.apps.programs.models import Call, Declaration
from ronghe.apps.providers import services as providers
from ronghe.apps.providers.models import ServiceRequest
from tests.base import load_test_codes

pytestmark = pytest.mark.django_db


def test_it_loads_calls_in_several_states_a_panel_providers_requests_and_ratings(tmp_path, capsys, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_test_codes(tmp_path)
    sync_shipped()
    call_command("load_demo", enterprises=40)
    out = capsys.readouterr().out
    assert "demo_expert" in out and "demo_provider" in out
    assert {"published", "reviewing", "open", "draft"} <= set(Call.objects.values_list("state", flat=True))
    states = set(Declaration.objects.values_list("state", flat=True))
    assert {"winner", "not_selected", "accepted", "draft", "submitted", "returned", "withdrawn"} <= states
    expert = User.objects.get(username="demo_expert")
    assert access.assignments_for_user(expert).filter(submitted_at__isnull=True, call__state="reviewing").exists()
    city = User.objects.get(username="demo_city")
    open_call = Call.objects.get(state="open")
    assert any(d.at_authority.memberships.filter(user=city).exists()
               for d in Declaration.objects.filter(call=open_call, state="submitted"))
    assert {"rated", "answered", "sent"} <= set(ServiceRequest.objects.values_list("state", flat=True))
    provider = User.objects.get(username="demo_provider")
    assert access.service_requests_for_user(provider).exists()
    assert providers.ratings(ServiceRequest.objects.values_list("offering", flat=True))
