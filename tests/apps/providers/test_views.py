"""Catalogue pages: the panel on the result page, the matches with a request form for the enterprise's
members only, a provider's console, the diagnosis shown to the provider only when sent, coverage."""

import pytest
from django.urls import reverse

from ronghe.apps.providers import services
from ronghe.apps.providers.models import Offering, ServiceRequest
from tests.apps.certification.helpers import scored
from tests.apps.providers.helpers import catalogue

pytestmark = pytest.mark.django_db


def test_the_result_page_lists_providers_for_the_weakest_indicators(client, world):
    catalogue(world)
    a = scored(world.a, 1)
    client.force_login(world.ent_a)
    body = client.get(reverse("assessments:result", args=[a.pk])).content.decode()
    assert 'id="providers-panel"' in body and "数字化研发设计上云" in body and "生产管控系统" not in body
    page = client.get(reverse("providers:matches", args=[a.pk])).content.decode()
    assert page.count('class="send"') == 3
    client.force_login(world.consultant)  # sees the assessment, may not send on the enterprise's behalf
    page = client.get(reverse("providers:matches", args=[a.pk])).content.decode()
    assert "数字化研发设计上云" in page and 'class="send"' not in page


def test_a_request_with_the_diagnosis_then_one_without(client, world):
    _hz, _bj, offers = catalogue(world)
    a = scored(world.a, 1)
    client.force_login(world.ent_a)
    url = reverse("providers:send", args=[offers["hz_rd"].pk])
    r = client.post(url, {"enterprise": world.a.pk, "assessment": a.pk, "share": "on", "message": "研发上云"})
    shared = ServiceRequest.objects.get()
    assert r["Location"] == reverse("providers:request", args=[shared.pk])
    client.post(url, {"enterprise": world.a.pk, "assessment": a.pk, "message": "不附诊断"})
    plain = ServiceRequest.objects.exclude(pk=shared.pk).get()
    client.force_login(world.provider)
    assert 'id="diagnosis"' in client.get(reverse("providers:request", args=[shared.pk])).content.decode()
    body = client.get(reverse("providers:request", args=[plain.pk])).content.decode()
    assert 'id="no-diagnosis"' in body and "研发" not in body.split('id="no-diagnosis"')[0].split("<h2>")[-1]
    assert client.get(reverse("assessments:result", args=[a.pk])).status_code == 404  # never the assessment
    client.post(reverse("providers:request_transition", args=[plain.pk]), {"name": "answer", "answer": "可以"})
    assert ServiceRequest.objects.get(pk=plain.pk).state == "answered"
    client.force_login(world.other_provider)
    assert client.get(reverse("providers:request", args=[plain.pk])).status_code == 404


def test_a_provider_keeps_its_catalogue_entry_and_offerings(client, world):
    catalogue(world)
    client.force_login(world.provider)
    body = client.get(reverse("providers:manage")).content.decode()
    assert "数字化研发设计上云" in body and 'id="inbox"' in body
    r = client.post(reverse("providers:new_offering"), {"name": "质量追溯", "kind": "service",
                                                         "tags": ["mini:B2"], "regions": "330100，330200",
                                                         "industries": "", "listed": "on"})
    o = Offering.objects.get(name="质量追溯")
    assert r["Location"] == reverse("providers:offering", args=[o.pk])
    assert set(o.regions.values_list("code", flat=True)) == {"330100", "330200"}
    r = client.post(reverse("providers:new_offering"), {"name": "无标签", "kind": "service", "nationwide": "on"},
                    follow=True)
    assert not Offering.objects.filter(name="无标签").exists()
    client.force_login(world.other_provider)
    assert client.get(reverse("providers:offering", args=[o.pk])).status_code == 404


def test_an_authority_sees_where_providers_are_few(client, world):
    catalogue(world)
    scored(world.a, 1)
    client.force_login(world.city_authority)
    body = client.get(reverse("providers:coverage"), {"framework": "mini"}).content.decode()
    assert '<tr data-node="A" class="overdue">' in body  # weak at A, one provider only: flagged
    assert client.get(reverse("providers:coverage"), {"framework": "nope"}).status_code == 404
    assert services.coverage(world.hangzhou, "mini")["enterprises"] == 1
