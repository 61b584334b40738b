"""Provider services on the database: matching a diagnosis to the offerings that serve the enterprise, a
request with or without the diagnosis, its lifecycle to a rating, coverage of a region, tags checked."""

import pytest

from ronghe.apps.accounts import access
from ronghe.apps.audit.models import AuditEvent
from ronghe.apps.providers import services
from ronghe.apps.providers.models import ServiceRequest
from ronghe.core.providers.matching import Offer, match
from tests.apps.certification.helpers import scored
from tests.apps.providers.helpers import catalogue

pytestmark = pytest.mark.django_db


def test_it_lists_offerings_that_serve_the_enterprise_and_address_its_weakest_indicators(world):
    _hz, _bj, offers = catalogue(world)
    a = scored(world.a, 1)  # 杭州, machinery (34)
    weak = services.weak_of(a)
    assert {w.node for w in weak} == {"A", "B1", "B2"}
    found = services.matches(a)
    names = [m["offering"].name for m in found]
    assert set(names) == {"数字化研发设计上云", "单项应用诊断与实施", "两化融合基础建设咨询"}  # not 北京's 生产管控系统
    parents = {"L": None, "A": "L", "B": "L", "B1": "B", "B2": "B"}
    expected = match(weak, parents, [Offer(offers[k].pk, frozenset(t.node for t in offers[k].tags.all()))
                                     for k in ("hz_rd", "hz_apps", "bj_base")])
    assert [m["offering"].pk for m in found] == [m.offer for m in expected]
    addresses = {m["offering"].name: set(m["addresses"]) for m in found}
    assert addresses["单项应用诊断与实施"] == {"研发", "生产"}  # the aspect's offering helps both of its indicators
    b = scored(world.b, 1)  # 北京, electronics (39): the machinery-only and 浙江 offerings do not serve it
    assert {m["offering"].name for m in services.matches(b)} == {"两化融合基础建设咨询", "生产管控系统"}


def test_it_sends_the_diagnosis_only_when_the_enterprise_chooses_to(world):
    _hz, _bj, offers = catalogue(world)
    a = scored(world.a, 1)
    plain = services.send_request(world.a, offers["hz_rd"], message="想了解研发上云", by=world.ent_a)
    shared = services.send_request(world.a, offers["hz_rd"], message="附诊断", assessment=a, share=True,
                                   by=world.ent_a)
    assert plain.shared_diagnosis == {} and plain.state == "sent"
    assert shared.shared_diagnosis["total"] == round(a.score.total, 1)
    assert {w["node"] for w in shared.shared_diagnosis["weakest"]} == {"A", "B1", "B2"}
    assert set(access.service_requests_for_user(world.provider)) == {plain, shared}
    assert not access.service_requests_for_user(world.other_provider).exists()  # only its own
    assert not access.service_requests_for_user(world.city_authority).exists()
    with pytest.raises(services.Refused):  # a consultancy is not the enterprise
        services.send_request(world.a, offers["hz_rd"], message="x", by=world.consultant)


def test_it_takes_a_request_from_answer_to_rating(world):
    _hz, _bj, offers = catalogue(world)
    r = services.send_request(world.a, offers["bj_base"], message="需要贯标咨询", by=world.ent_a)
    with pytest.raises(services.Refused) as exc:
        services.request_transition(r, "answer", by=world.other_provider)
    assert exc.value.code == "providers.answer.missing"
    with pytest.raises(services.Refused) as exc:
        services.request_transition(r, "answer", by=world.ent_a, answer="x")
    assert exc.value.code == "providers.transition.role"
    r = services.request_transition(r, "answer", by=world.other_provider, answer="报价 12 万元，周期 6 个月")
    r = services.request_transition(r, "engage", by=world.ent_a)
    r = services.request_transition(r, "complete", by=world.other_provider)
    with pytest.raises(services.Refused) as exc:
        services.request_transition(r, "rate", by=world.ent_a, rating=9)
    assert exc.value.code == "providers.rating.missing"
    r = services.request_transition(r, "rate", by=world.ent_a, rating=4, review="交付及时")
    assert (r.state, r.rating, r.review) == ("rated", 4, "交付及时")
    assert services.ratings([offers["bj_base"].pk]) == {offers["bj_base"].pk: (4.0, 1)}
    assert [e.action for e in r.history().order_by("at", "id")] == [
        "request.send", "request.answer", "request.engage", "request.complete", "request.rate"]


def test_a_provider_that_served_the_enterprise_is_a_conflict_for_its_experts(world):
    from ronghe.apps.programs import services as programs
    from tests.apps.programs.helpers import expert

    _hz, _bj, offers = catalogue(world)
    e = expert(world, "平台专家", "110105", organization=world.provider_org)
    assert programs.conflicts(e, world.a, "county") == []
    r = services.send_request(world.a, offers["hz_rd"], message="x", by=world.ent_a)
    r = services.request_transition(r, "answer", by=world.provider, answer="可以")
    assert programs.conflicts(e, world.a, "county") == []  # answered is not served
    services.request_transition(r, "engage", by=world.ent_a)
    assert programs.conflicts(e, world.a, "county") == [
        "所在单位杭州融合工业互联网平台有限公司与申报企业存在关联或服务关系"]


def test_it_shows_an_authority_which_weak_indicators_have_few_providers(world):
    catalogue(world)
    scored(world.a, 1)
    c = services.coverage(world.hangzhou, "mini", few=2)
    rows = {r.node: r for r in c["rows"]}
    assert c["enterprises"] == 1
    assert (rows["A"].weak, rows["A"].providers, rows["A"].few) == (1, 1, True)  # 北京's, nationwide
    assert (rows["B1"].weak, rows["B1"].providers, rows["B1"].few) == (1, 1, True)  # 杭州's, on B1 and on B
    assert rows["B2"].providers == 1  # 杭州's aspect offering; 北京's B2 serves 北京 only
    assert services.coverage(world.hangzhou, "mini", few=1)["rows"][0].few is False


def test_it_refuses_tags_that_are_not_indicators_of_the_framework(world):
    hz, _bj, _ = catalogue(world)
    with pytest.raises(services.Refused) as exc:
        services.save_offering(hz, name="x", nationwide=True, tags=[("mini", "ZZ9")], by=world.provider)
    assert exc.value.code == "providers.tag.unknown"
    with pytest.raises(services.InputError):
        services.save_offering(hz, name="x", tags=[("mini", "A")], by=world.provider)  # no region, not nationwide
    with pytest.raises(services.InputError):
        services.save_offering(hz, name="x", nationwide=True, tags=[], by=world.provider)
    assert not ServiceRequest.objects.exists() and AuditEvent.objects.filter(action="offering.saved").count() == 4


def test_each_step_of_a_request_is_told_to_the_other_side(world):
    from ronghe.apps.notifications.models import Notification

    def told(user):
        return list(Notification.objects.filter(user=user).order_by("pk").values_list("verb", flat=True))

    _hz, _bj, offers = catalogue(world)
    r = services.send_request(world.a, offers["bj_base"], message="需要贯标咨询", by=world.ent_a)
    assert told(world.other_provider) == ["providers.request.send"] and told(world.ent_a) == []
    assert told(world.ent_a_member) == []  # the enterprise's own people are not the other side
    r = services.request_transition(r, "answer", by=world.other_provider, answer="报价 12 万元，周期 6 个月")
    note = Notification.objects.get(user=world.ent_a)
    assert (note.verb, note.body, note.url) == ("providers.request.answer", "报价 12 万元，周期 6 个月",
                                                f"/providers/requests/{r.pk}/")
    assert offers["bj_base"].name in note.title and world.a.name in note.title
    r = services.request_transition(r, "engage", by=world.ent_a)
    r = services.request_transition(r, "complete", by=world.other_provider)
    services.request_transition(r, "rate", by=world.ent_a, rating=4, review="交付及时")
    assert told(world.other_provider) == ["providers.request.send", "providers.request.engage",
                                          "providers.request.rate"]
    assert told(world.ent_a) == ["providers.request.answer", "providers.request.complete"]
