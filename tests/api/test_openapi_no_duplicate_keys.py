"""The OpenAPI document is strict JSON: Swagger UI parses it with a YAML parser that refuses a
repeated key (a route that declared status 200 both as a number and as a string once broke /api/docs)."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_it_serves_an_openapi_document_without_repeated_keys(client):
    repeated = []

    def pairs_hook(pairs):
        keys = [k for k, _ in pairs]
        repeated.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(pairs)

    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    json.loads(r.content, object_pairs_hook=pairs_hook)
    assert repeated == []
