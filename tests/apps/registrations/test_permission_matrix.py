"""Every registration page and route, requested as every persona of ``tests/base.py``.

Three pending registrations: one in 西湖区 (杭州市's desk), one in 宁波 海曙区 (no 宁波 authority: 浙江省's
desk) and one in 北京 朝阳区 (北京市's desk). An authority sees and decides only those of its desk;
enterprises, consultancies, assessors, providers and experts see none; staff all. Outsiders get 404.
"""

import pytest
from django.urls import get_resolver, reverse

from tests.apps.registrations.helpers import payload, pending
from tests.apps.registrations.matrix import R
from tests.base import as_each, call_api

pytestmark = pytest.mark.django_db

ALL = ["anonymous", "ent_a", "ent_a_member", "ent_b", "consultant", "assessor", "city_authority", "other_province",
       "admin", "committee", "other_assessor", "province", "provider", "other_provider", "expert"]
W, LOGIN, N, U, X = 200, 302, 404, 401, 409


def _row(**allowed):
    default, anonymous = allowed.pop("default", N), allowed.pop("anonymous", LOGIN)
    return [anonymous] + [allowed.get(p, default) for p in ALL[1:]]


MATRIX = [
    ("registrations:register", lambda w: {}, "get", [W] * 15),  # public
    ("registrations:sent", lambda w: {}, "get", [W] * 15),
    ("registrations:list", lambda w: {}, "get", _row(city_authority=W, other_province=W, province=W, admin=W)),
    ("registrations:detail", lambda w: {"pk": w.hz.pk}, "get", _row(city_authority=W, admin=W)),
    ("registrations:detail", lambda w: {"pk": w.nb.pk}, "get", _row(province=W, admin=W)),
    ("registrations:detail", lambda w: {"pk": w.bj.pk}, "get", _row(other_province=W, admin=W)),
    # deciding redirects to the detail page (the second decider is told it was already decided)
    ("registrations:approve", lambda w: {"pk": w.hz.pk}, "post", _row(city_authority=LOGIN, admin=LOGIN)),
    ("registrations:reject", lambda w: {"pk": w.bj.pk}, "post", _row(other_province=LOGIN, admin=LOGIN)),
]
API_MATRIX = [
    # public: a duplicate credit code is named (422), for anyone, signed in or not
    ("post", lambda w: f"{R}/", lambda w: payload(150, credit_code=w.hz.credit_code), [422] * 15),
    ("get", lambda w: f"{R}/", None, _row(anonymous=U, default=W)),  # everyone signed in: their desk (maybe empty)
    ("get", lambda w: f"{R}/{w.hz.pk}", None, _row(anonymous=U, city_authority=W, admin=W)),
    ("get", lambda w: f"{R}/{w.nb.pk}", None, _row(anonymous=U, province=W, admin=W)),
    ("post", lambda w: f"{R}/{w.hz.pk}/approve", lambda w: {}, _row(anonymous=U, city_authority=W, admin=X)),
    ("post", lambda w: f"{R}/{w.bj.pk}/reject", lambda w: {"reason": "材料不全"},
     _row(anonymous=U, other_province=W, admin=X)),
]


@pytest.fixture
def reg_world(world, settings):
    from django.core.cache import cache

    cache.clear()
    settings.RONGHE_SIGNUP_RATE = "1000/3600"
    world.hz, world.nb, world.bj = pending(160, "330106"), pending(161, "330203"), pending(162, "110105")
    return world


def test_it_has_a_row_for_every_named_registration_page():
    names = {f"registrations:{n}" for n in get_resolver().namespace_dict["registrations"][1].reverse_dict
             if isinstance(n, str)}
    assert names <= {name for name, *_ in MATRIX}, names


@pytest.mark.parametrize(("name", "kwargs", "method", "expected"), MATRIX,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(MATRIX)])
def test_it_allows_and_denies_each_persona(client, reg_world, name, kwargs, method, expected):
    url = reverse(name, kwargs=kwargs(reg_world))
    users = reg_world.personas()
    data = {"reason": "理由"} if method == "post" else None
    as_each(client, users, ALL, expected, lambda: getattr(client, method)(url, data), f"{method.upper()} {url}")


@pytest.mark.parametrize(("method", "path", "body", "expected"), API_MATRIX,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(API_MATRIX)])
def test_it_allows_and_denies_each_persona_on_the_api(client, reg_world, method, path, body, expected):
    users = reg_world.personas()
    url, data = path(reg_world), body(reg_world) if body else None
    as_each(client, users, ALL, expected, lambda: call_api(client, method, url, data), f"{method.upper()} {url}")


def test_it_lists_on_the_api_only_each_desks_registrations(client, reg_world):
    w = reg_world
    seen = {}
    for persona, user in w.personas().items():
        if user is None:
            continue
        client.force_login(user)
        seen[persona] = {r["credit_code"] for r in client.get(f"{R}/").json()["items"]}
    assert seen.pop("city_authority") == {w.hz.credit_code} and seen.pop("province") == {w.nb.credit_code}
    assert seen.pop("other_province") == {w.bj.credit_code}
    assert seen.pop("admin") == {w.hz.credit_code, w.nb.credit_code, w.bj.credit_code}
    assert all(not v for v in seen.values()), seen
