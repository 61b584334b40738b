"""Every API schema has a name of its own: django-ninja names an OpenAPI component after its class, so
two apps' classes of the same name would share one component and one would be validated against the
other's fields."""

import inspect
from collections import defaultdict

from ninja import Schema


def test_no_two_api_schemas_share_a_name():
    from ronghe.api import api

    api.get_openapi_schema()  # imports every router and its schemas
    seen = defaultdict(set)
    for cls in _subclasses(Schema):
        module = inspect.getmodule(cls).__name__
        if module.startswith("ronghe."):
            seen[cls.__name__].add(module)
    assert {name: mods for name, mods in seen.items() if len(mods) > 1} == {}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)
