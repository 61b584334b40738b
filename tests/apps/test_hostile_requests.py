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
    from ronghe.apps.certification import services as certification
    from tests.apps.certification.helpers import drive, ready_project

    project = ready_project(world.a, by=world.ent_a)
    cert = drive(certification.apply(project, world.body, by=world.ent_a), world, "issue").certificate
    case = drive(certification.apply(project, world.body, by=world.ent_a, previous_certificate=cert), world,
                 "complete_stage2")
    finding = certification.raise_finding(case, severity="minor", clause="9", description="d", evidence="e",
                                          by=world.assessor)
    p, c = project.pk, case.pk
    from ronghe.apps.programs import services as programs
    from tests.apps.programs.helpers import close, open_call
    from tests.apps.providers.helpers import catalogue

    _hz, _bj, offers = catalogue(world)
    call = open_call(world, panel_size=1, min_reviewers=1)
    d = programs.declare(call, world.a, title="贯标试点", by=world.ent_a)
    review = open_call(world, title="评审中", panel_size=1, min_reviewers=1, materials=[])
    r = programs.declare(review, world.a, title="评审", by=world.ent_a)
    from tests.apps.certification.helpers import scored

    scored(world.a, 3)
    r = programs.declaration_transition(r, "submit", by=world.ent_a)
    r = programs.declaration_transition(r, "recommend", by=world.city_authority)
    r = programs.declaration_transition(r, "accept", by=world.province)
    close(review, world.province)
    programs.draw_panel(review, by=world.province, seed=1)
    programs.call_transition(review, "start_review", by=world.province)
    sheet = r.assignments.get(expert__user=world.expert).pk
    o = offers["hz_rd"].pk
    call_fields = ["program", "title", "year", "declare_from", "industries", "sizes", "min_stage", "min_total",
                   "min_grade", "assessed_since", "criteria", "materials", "places", "pass_mark", "quota",
                   "spread_limit", "avoid_level", "owner"]
    return [  # (persona, method, url, fields)
        ("province", "post", "/programs/new/", call_fields),
        ("province", "post", f"/programs/{call.pk}/edit/", call_fields),
        ("province", "post", f"/programs/{call.pk}/transition/", ["name", "reason", "date"]),
        ("province", "post", f"/programs/{call.pk}/quota/", ["authority", "number"]),
        ("ent_a", "post", f"/programs/{call.pk}/declare/", ["enterprise", "title", "contact"]),
        ("ent_a", "post", f"/programs/declarations/{d.pk}/", ["title", "summary", "contact"]),
        ("ent_a", "post", f"/programs/declarations/{d.pk}/materials/", ["kind", "file"]),
        ("city_authority", "post", f"/programs/declarations/{d.pk}/transition/", ["name", "reason", "next"]),
        ("province", "post", "/programs/experts/", ["username", "region", "organization", "authority"]),
        ("expert", "post", f"/programs/reviews/{sheet}/", ["c_c1", "c_c2", "comment", "action"]),
        ("province", "get", "/programs/figures/", ["authority", "call"]),
        ("province", "get", "/programs/export/", ["what", "format", "call", "authority"]),
        ("anonymous", "get", "/programs/", ["page"]),
        ("anonymous", "get", "/providers/", ["category", "node", "region", "industry", "q", "page", "framework"]),
        ("provider", "post", "/providers/manage/", ["category", "website", "summary"]),
        ("provider", "post", "/providers/offerings/new/", ["name", "kind", "tags", "regions", "industries",
                                                           "price_from", "price_to"]),
        ("ent_a", "post", f"/providers/offerings/{o}/request/", ["enterprise", "assessment", "share", "message"]),
        ("city_authority", "get", "/providers/coverage/", ["authority", "framework"]),
        ("anonymous", "get", "/api/programs/calls", ["year", "page", "page_size"]),
        ("anonymous", "get", "/api/providers/catalogue", ["category", "node", "region", "industry", "q", "framework"]),
        ("province", "get", "/api/programs/figures", ["authority", "call"]),
        ("ent_a", "post", f"/certification/enterprise/{a}/", ["standard", "title", "capability_grade", "consultancy"]),
        ("ent_a", "post", f"/certification/projects/{p}/milestones/", ["kind", "owner", "planned_on", "done_on"]),
        ("ent_a", "post", f"/certification/projects/{p}/clauses/", ["clause", "conformity", "due_on", "evidence"]),
        ("ent_a", "post", f"/certification/projects/{p}/evidence/", ["evidence_date", "clauses", "evidence"]),
        ("ent_a", "post", f"/certification/projects/{p}/apply/", ["body", "previous_certificate"]),
        ("assessor", "post", f"/certification/cases/{c}/transition/", ["name", "date", "grade", "reason", "report"]),
        ("assessor", "post", f"/certification/cases/{c}/assign/", ["user", "role"]),
        ("assessor", "post", f"/certification/cases/{c}/findings/", ["severity", "clause", "due_on", "description"]),
        ("ent_a", "post", f"/certification/findings/{finding.pk}/", ["name", "answer", "reason"]),
        ("committee", "post", f"/certification/certificates/{cert.pk}/transition/", ["name", "date", "scope"]),
        ("anonymous", "get", "/certification/verify/", ["q"]),
        ("city_authority", "get", "/certification/figures/", ["authority"]),
        ("ent_a", "get", "/certification/certificates/export/", ["format"]),
        ("ent_a", "get", "/api/certification/verify", ["q", "page"]),
        ("city_authority", "get", "/api/certification/figures", ["authority", "expiring_days"]),
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


def test_it_never_answers_a_hostile_value_with_a_server_error(client, world, pages, unrecorded_templates):
    users = world.personas()
    for persona, method, url, fields in pages:
        client.logout()
        if users[persona] is not None:
            client.force_login(users[persona])
        for field in fields:
            for value in VALUES:
                for encoding in ("query",) if method == "get" else ("multipart", "urlencoded"):  # a GET has one
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
                f"/regions/{2**64}/", f"/certification/cases/{10**19}/", f"/certification/evidence/{2**70}/",
                f"/programs/{10**19}/", f"/programs/declarations/{2**70}/", f"/providers/requests/{10**19}/"):
        assert client.get(url).status_code == 404, url


def test_an_api_parameter_given_twice_is_refused_not_guessed(client, world):
    """`?page_size=null&page_size=300` must not be read as 300 (nor as the first value): 400, naming it."""
    client.force_login(world.city_authority)
    r = client.get("/api/registrations/?page_size=null&page_size=300")
    assert r.status_code == 400 and r.json()["code"] == "bad_request" and "page_size" in r.json()["message"]
    assert client.get("/api/registrations/?page_size=30").status_code == 200
    assert client.get("/enterprises/?q=a&q=b").status_code == 200  # pages keep Django's last-value reading
