"""Schemathesis over the whole OpenAPI schema: generated requests, valid and invalid, through the
real WSGI application and the real database (SQLite and PostgreSQL), as an enterprise and as an
authority. Every answer must be a declared status whose body matches its declared schema, invalid
input must be refused with a 4xx, and nothing may be a server error. Bounded: a fixed number of
derandomised examples per operation and mode."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from ronghe.apps.accounts.services import create_token
from ronghe.apps.assessments import services
from ronghe.apps.frameworks.services import register_files
from tests.conftest import FILES

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
EXAMPLES = 30


@pytest.fixture
def wsgi_schema(world):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from ronghe.wsgi import application

    (version, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    draft = services.start(world.a, version, 2025, by=world.ent_a)
    services.save_draft(draft, {"a1": "C", "a2": "是", "b1": "CAD", "b2": 60})
    from ronghe.apps.certification import services as certification
    from tests.apps.certification.helpers import drive, ready_project

    certified = drive(certification.apply(ready_project(world.a), world.body, by=world.ent_a), world, "issue")
    certification.apply(certified.project, world.body, by=world.ent_a, previous_certificate=certified.certificate)
    from ronghe.apps.programs import services as programs
    from ronghe.apps.providers import services as providers
    from tests.apps.certification.helpers import scored
    from tests.apps.programs.helpers import open_call
    from tests.apps.providers.helpers import catalogue

    _hz, _bj, offers = catalogue(world)  # a call with A's declaration, a catalogue, a request with a diagnosis
    a = scored(world.a, 3)
    programs.declare(open_call(world), world.a, title="贯标试点", by=world.ent_a)
    providers.send_request(world.a, offers["hz_rd"], message="研发上云", assessment=a, share=True, by=world.ent_a)
    # The real WSGI handler closes the database connection around each request; inside the test's
    # transaction it must stay open (Django's test client does the same).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# One case per mode (each is a minute or two): the test processes of `make test` share them, so that
# neither ends the run alone with the whole schema still to go.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_it_answers_every_generated_request_as_its_schema_declares(wsgi_schema, world, mode):
    keys = [create_token(world.ent_a, "schemathesis")[1], create_token(world.city_authority, "schemathesis")[1]]
    operations = [result.ok() for result in wsgi_schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case):
            for key in keys:
                case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)
            case.call_and_validate(checks=CHECKS)  # and without credentials

        call()
