"""Careless and hostile values in every form field and query parameter: never a server error.

Each page that takes input gets, field by field, text where a number is expected, numbers beyond
64 bits, negative numbers, NUL characters, 5,000-character strings and the texts NaN and 1e999,
posted as a browser does (multipart) and URL-encoded; every answer must be below 500.
"""

import pytest

from ronghe.apps.assessments import services
from ronghe.apps.frameworks.services import register_files
from tests.conftest import FILES

pytestmark = pytest.mark.django_db

VALUES = ["abc", str(2**70), "-1", "0", "x\x00y", "x" * 5000, "", "1e999", "NaN", "../../etc/passwd"]
FULL = {"a1": "C", "a2": "是", "b1": "CAD,PDM", "b2": 60, "b3": 35}


@pytest.fixture
def pages(world):
    (version, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    draft = services.start(world.a, version, 2025, by=world.ent_a)
    submitted = services.start(world.a, version, 2024, by=world.ent_a)
    services.save_draft(submitted, FULL)
    services.submit(submitted, by=world.ent_a)
    a = world.a.pk
    return [  # (persona, method, url, fields)
        ("ent_a", "post", f"/enterprises/{a}/access/", ["consultancy", "action"]),
        ("city_authority", "post", "/accounts/invite/", ["organization", "email", "role"]),
        ("ent_a", "post", f"/assessments/enterprise/{a}/", ["framework", "year"]),
        ("ent_a", "post", f"/assessments/{draft.pk}/", ["q_a1", "q_b2", "q_zz", "action"]),
        ("city_authority", "post", f"/assessments/{submitted.pk}/review/", ["action", "reason"]),
        ("city_authority", "post", "/assessments/import/", ["framework", "year"]),
        ("city_authority", "post", "/regions/run/", ["authority", "definition", "title"]),
        ("city_authority", "get", "/enterprises/", ["region", "industry", "size", "page"]),
        ("ent_a", "post", "/accounts/tokens/", ["name"]),
        ("anonymous", "post", "/accounts/login/", ["username", "password"]),
        ("anonymous", "post", "/admin/login/", ["username", "password"]),
        ("ent_a", "get", "/api/frameworks/mini", ["version", "locale"]),
        ("ent_a", "get", "/api/assessments/", ["page", "page_size", "year", "enterprise"]),
    ]


def test_it_never_answers_a_hostile_value_with_a_server_error(client, world, pages):
    users = world.personas()
    for persona, method, url, fields in pages:
        client.logout()
        if users[persona] is not None:
            client.force_login(users[persona])
        for field in fields:
            for value in VALUES:
                for encoding in ("multipart", "urlencoded"):
                    if method == "get":
                        response = client.get(url, {field: value})
                    elif encoding == "multipart":
                        response = client.post(url, {field: value})
                    else:
                        from urllib.parse import urlencode

                        response = client.post(url, urlencode({field: value}),
                                               content_type="application/x-www-form-urlencoded")
                    assert response.status_code < 500, (persona, method, url, field, value[:20], encoding)


def test_it_refuses_numbers_in_urls_beyond_the_key_range(client, world):
    client.force_login(world.admin)
    for url in (f"/assessments/{2**70}/", f"/enterprises/{10**19}/", f"/frameworks/mini/v{10**10}/",
                f"/regions/{2**64}/"):
        assert client.get(url).status_code == 404, url
