"""Every page of the organisation layer, requested as every persona: allowed or denied.

The matrix is checked against the URLconf, so a new named URL of these apps without a row fails.
"""

import pytest
from django.urls import get_resolver, reverse

from tests.base import as_each, call_api

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "ent_a", "ent_a_member", "ent_b", "consultant", "assessor", "city_authority",
            "other_province", "admin"]
LOGIN = 302  # anonymous users are sent to the login page

# (url name, kwargs maker, method, expected status per persona in PERSONAS order)
MATRIX = [
    ("organizations:enterprises", lambda w: {}, "get", [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("organizations:enterprise", lambda w: {"pk": w.a.pk}, "get", [LOGIN, 200, 200, 404, 200, 404, 200, 404, 200]),
    ("organizations:enterprise", lambda w: {"pk": w.b.pk}, "get", [LOGIN, 404, 404, 200, 404, 404, 404, 200, 200]),
    ("organizations:access", lambda w: {"pk": w.a.pk}, "post", [LOGIN, 302, 404, 404, 404, 404, 404, 404, 302]),
    ("accounts:login", lambda w: {}, "get", [200] * 9),
    ("regions:list", lambda w: {}, "get", [200] * 9),
    ("regions:run", lambda w: {}, "get", [LOGIN, 404, 404, 404, 404, 404, 200, 200, 404]),
    ("regions:detail", lambda w: {"pk": w.evaluation.pk}, "get", [404, 404, 404, 404, 404, 404, 200, 404, 200]),
    ("regions:publish", lambda w: {"pk": w.evaluation.pk}, "post", [LOGIN, 404, 404, 404, 404, 404, 302, 404, 404]),
    ("regions:publish", lambda w: {"pk": w.evaluation.pk}, "get", [LOGIN, 404, 404, 404, 404, 404, 200, 404, 404]),
    ("regions:template", lambda w: {}, "get", [LOGIN, 404, 404, 404, 404, 404, 200, 200, 404]),
    ("regions:runs", lambda w: {"pk": w.evaluation.pk}, "get", [404, 404, 404, 404, 404, 404, 200, 404, 200]),
    ("regions:sample", lambda w: {}, "get", [LOGIN, 404, 404, 404, 404, 404, 200, 200, 404]),
    ("regions:export", lambda w: {"pk": w.evaluation.pk}, "get", [404, 404, 404, 404, 404, 404, 200, 404, 200]),
    ("frameworks:catalogue", lambda w: {}, "get", [200] * 9),  # published content: public
    ("frameworks:detail", lambda w: {"slug": "mini"}, "get", [200] * 9),
    ("frameworks:version", lambda w: {"slug": "mini", "version": 1}, "get", [200] * 9),
    ("accounts:invite", lambda w: {}, "get", [LOGIN, 404, 404, 404, 404, 404, 200, 200, 200]),
    ("accounts:accept", lambda w: {"token": "1:forged:sig"}, "get", [404] * 9),
    ("accounts:tokens", lambda w: {}, "get", [LOGIN] + [200] * 8),  # each user's own tokens
    ("accounts:me", lambda w: {}, "get", [LOGIN] + [200] * 8),  # each user's own account
    ("accounts:password_change", lambda w: {}, "get", [LOGIN] + [200] * 8),
    # forgotten passwords: public pages, a forged link shows "no longer valid"
    ("accounts:password_reset", lambda w: {}, "get", [200] * 9),
    ("accounts:password_reset_done", lambda w: {}, "get", [200] * 9),
    ("accounts:password_reset_confirm", lambda w: {"uidb64": "MQ", "token": "forged-token"}, "get", [200] * 9),
    ("accounts:password_reset_complete", lambda w: {}, "get", [200] * 9),
    ("accounts:revoke_token", lambda w: {"pk": w.token.pk}, "post", [LOGIN, 302, 404, 404, 404, 404, 404, 404, 404]),
    # bulk import needs an import scope: the assessor has none, so nothing of its request is read
    ("assessments:import", lambda w: {}, "get", [LOGIN, 200, 200, 200, 200, 404, 200, 200, 200]),
    ("assessments:list", lambda w: {"pk": w.a.pk}, "get", [LOGIN, 200, 200, 404, 200, 404, 200, 404, 200]),
    # scoring a national answers file (a background job) is for authorities
    ("assessments:score_file", lambda w: {}, "get", [LOGIN, 404, 404, 404, 404, 404, 200, 200, 200]),
    # background jobs: each user's own (staff: all)
    ("jobs:list", lambda w: {}, "get", [LOGIN] + [200] * 8),
    ("jobs:detail", lambda w: {"pk": w.job.pk}, "get", [LOGIN, 200, 404, 404, 404, 404, 404, 404, 200]),
    ("jobs:status", lambda w: {"pk": w.job.pk}, "get", [LOGIN, 200, 404, 404, 404, 404, 404, 404, 200]),
    ("jobs:output", lambda w: {"pk": w.job.pk}, "get", [LOGIN, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("jobs:retry", lambda w: {"pk": w.job.pk}, "post", [LOGIN, 302, 404, 404, 404, 404, 404, 404, 302]),
    ("jobs:cancel", lambda w: {"pk": w.job.pk}, "post", [LOGIN, 302, 404, 404, 404, 404, 404, 404, 302]),
    # notifications: each user's own, nobody else's (not even staff's)
    ("notifications:list", lambda w: {}, "get", [LOGIN] + [200] * 8),
    ("notifications:open", lambda w: {"pk": w.notification.pk}, "post", [LOGIN, 302] + [404] * 7),
    # a draft belongs to the enterprise (and the consultancy it granted): authorities see it from submission on
    ("assessments:edit", lambda w: {"pk": w.draft.pk}, "get", [LOGIN, 200, 200, 404, 200, 404, 404, 404, 200]),
    ("assessments:edit", lambda w: {"pk": w.submitted.pk}, "get", [LOGIN, 200, 200, 404, 200, 404, 200, 404, 200]),
    ("assessments:review", lambda w: {"pk": w.draft.pk}, "post", [LOGIN, 404, 404, 404, 404, 404, 404, 404, 302]),
    # reviewers are independent: members of the enterprise and its consultancy never review it
    ("assessments:review", lambda w: {"pk": w.submitted.pk}, "post",
     [LOGIN, 404, 404, 404, 404, 404, 302, 404, 302]),
    # deleting: only a draft, only by who may write it (a submitted one is refused with a message)
    ("assessments:delete", lambda w: {"pk": w.submitted.pk}, "post", [LOGIN, 302, 302, 404, 302, 404, 404, 404, 302]),
    ("assessments:revise", lambda w: {"pk": w.draft.pk}, "post", [LOGIN, 302, 302, 404, 302, 404, 404, 404, 302]),
    ("assessments:result", lambda w: {"pk": w.draft.pk}, "get", [LOGIN, 302, 302, 404, 302, 404, 404, 404, 302]),
    ("assessments:result", lambda w: {"pk": w.submitted.pk}, "get",
     [LOGIN, 302, 302, 404, 302, 404, 302, 404, 302]),
    # dashboards: authorities (their jurisdiction, by default) and staff; enterprises have none
    ("benchmarking:dashboard", lambda w: {}, "get", [LOGIN, 404, 404, 404, 404, 404, 200, 200, 200]),
    ("benchmarking:export", lambda w: {}, "get", [LOGIN, 404, 404, 404, 404, 404, 200, 200, 200]),
    # answers and scores as xlsx: everyone signed in, each exactly the assessments they may see
    ("assessments:export", lambda w: {}, "get", [LOGIN] + [200] * 8),
    # the questionnaire import template is public content, like the framework it is made from
    ("frameworks:template", lambda w: {"slug": "mini"}, "get", [200] * 9),
    ("frameworks:version_template", lambda w: {"slug": "mini", "version": 1}, "get", [200] * 9),
]
# 贯标 and 评定: the personas above plus the committee and another body's assessor. A's project has an
# open re-assessment case assigned to the world's body (with a nonconformity) and a certified first case.
CERT_PERSONAS = [*PERSONAS, "committee", "other_assessor"]
W, R, N = 200, 302, 404  # seen; a step was tried (refused or taken) and the page redirects; not visible
CERT_MATRIX = [
    # start page: everyone signed in; an authority is sent to its figures
    ("certification:home", lambda w: {}, "get", [LOGIN, W, W, W, W, W, R, R, W, W, W]),
    ("certification:verify", lambda w: {}, "get", [W] * 11),  # public
    ("certification:enterprise", lambda w: {"pk": w.a.pk}, "get", [LOGIN, W, W, N, W, N, N, N, W, N, N]),
    ("certification:enterprise", lambda w: {"pk": w.b.pk}, "get", [LOGIN, N, N, W, N, N, N, N, W, N, N]),
    # the project: the enterprise and its consultancy; read-only, the body with a case on it
    ("certification:project", lambda w: {"pk": w.project.pk}, "get", [LOGIN, W, W, N, W, W, N, N, W, N, N]),
    ("certification:clauses", lambda w: {"pk": w.project.pk}, "get", [LOGIN, W, W, N, W, W, N, N, W, N, N]),
    ("certification:clauses", lambda w: {"pk": w.project.pk}, "post", [LOGIN, R, R, N, R, N, N, N, R, N, N]),
    ("certification:milestone", lambda w: {"pk": w.project.pk}, "post", [LOGIN, R, R, N, R, N, N, N, R, N, N]),
    ("certification:upload_evidence", lambda w: {"pk": w.project.pk}, "post",
     [LOGIN, R, R, N, R, N, N, N, R, N, N]),
    ("certification:apply", lambda w: {"pk": w.project.pk}, "post", [LOGIN, R, R, N, R, N, N, N, R, N, N]),
    ("certification:evidence_file", lambda w: {"pk": w.evidence.pk}, "get", [LOGIN, W, W, N, W, W, N, N, W, N, N]),
    # a case: the enterprise (and its consultancy, read-only), the assigned body — not another body — and
    # the committee once the case was submitted for compliance review
    ("certification:case", lambda w: {"pk": w.case.pk}, "get", [LOGIN, W, W, N, W, W, N, N, W, N, N]),
    ("certification:case", lambda w: {"pk": w.certified.pk}, "get", [LOGIN, W, W, N, W, W, N, N, W, W, N]),
    ("certification:audit", lambda w: {"pk": w.case.pk}, "get", [LOGIN, W, W, N, W, W, N, N, W, N, N]),
    ("certification:transition", lambda w: {"pk": w.case.pk}, "post", [LOGIN, R, R, N, R, R, N, N, R, N, N]),
    ("certification:assign", lambda w: {"pk": w.case.pk}, "post", [LOGIN, N, N, N, N, R, N, N, N, N, N]),
    ("certification:raise_finding", lambda w: {"pk": w.case.pk}, "post", [LOGIN, R, R, N, R, R, N, N, R, N, N]),
    ("certification:finding", lambda w: {"pk": w.finding.pk}, "post", [LOGIN, R, R, N, R, R, N, N, R, N, N]),
    # certificates: the registry in each one's view (list pages answer to everyone signed in)
    ("certification:certificates", lambda w: {}, "get", [LOGIN] + [W] * 10),
    ("certification:export", lambda w: {}, "get", [LOGIN] + [W] * 10),
    ("certification:certificate", lambda w: {"pk": w.certificate.pk}, "get", [LOGIN, W, W, N, N, W, W, N, W, W, N]),
    ("certification:certificate_transition", lambda w: {"pk": w.certificate.pk}, "post",
     [LOGIN, R, R, N, N, R, R, N, R, R, N]),
    ("certification:figures", lambda w: {}, "get", [LOGIN, N, N, N, N, N, W, W, N, N, N]),
]
COVERED = {name for name, *_ in MATRIX} | {name for name, *_ in CERT_MATRIX} | {"accounts:logout"}
# the report pages and routes have their rows in tests/apps/reports/test_permissions.py (they need scored data)
from tests.apps.reports.test_permissions import API_TEMPLATES as REPORT_API_TEMPLATES  # noqa: E402
from tests.apps.reports.test_permissions import COVERED as REPORT_COVERED  # noqa: E402

COVERED |= REPORT_COVERED


@pytest.fixture
def world(world):
    """The personas plus a draft assessment of enterprise A."""
    from ronghe.apps.assessments import services
    from ronghe.apps.frameworks.services import register_files
    from tests.conftest import FILES

    (version, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    world.draft = services.start(world.a, version, 2025)
    from ronghe.apps.accounts.services import create_token
    from ronghe.apps.jobs.models import Job

    world.token, _ = create_token(world.ent_a, "matrix")
    from ronghe.apps.notifications.services import notify

    world.notification, = notify([world.ent_a], "test.matrix", "一条通知", url="/")
    world.job = Job.objects.create(kind="assessments.import", owner=world.ent_a, title="导入答卷 a.xlsx")
    world.submitted = services.start(world.a, version, 2024, by=world.ent_a)
    services.save_draft(world.submitted, {"a1": "C", "a2": "是", "b1": "CAD,PDM", "b2": 60, "b3": 35})
    services.submit(world.submitted, by=world.ent_a)
    import tempfile
    from pathlib import Path

    from ronghe.apps.regions.services import run_evaluation
    from tests.apps.regions.helpers import write_data

    with tempfile.TemporaryDirectory() as tmp:
        data = write_data(Path(tmp) / "d.csv", ["330106", "330102"])
        world.evaluation = run_evaluation(world.city_authority.memberships.get().organization,
                                          "lianghua-regional", [data], runs=10)  # a draft: its authority only
    return world


def test_it_has_a_row_for_every_named_url_of_the_organisation_layer():
    names = set()
    for ns in ("organizations", "accounts", "assessments", "frameworks", "regions", "jobs", "certification", "programs",
               "providers", "notifications", "benchmarking", "reports"):
        resolver = get_resolver().namespace_dict[ns][1]
        names |= {f"{ns}:{n}" for n in resolver.reverse_dict if isinstance(n, str)}
    assert names <= COVERED, f"pages without a permission row: {sorted(names - COVERED)}"


@pytest.mark.parametrize(("name", "kwargs", "method", "expected"), MATRIX,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(MATRIX)])
def test_it_allows_and_denies_each_persona(client, world, name, kwargs, method, expected):
    url = reverse(name, kwargs=kwargs(world))
    users = world.personas()
    data = {"consultancy": world.consultancy.pk, "action": "grant"} if method == "post" else None
    as_each(client, users, PERSONAS, expected, lambda: getattr(client, method)(url, data), f"{method.upper()} {url}")


def test_it_lists_only_the_enterprises_in_each_personas_view(client, world):
    seen = {}
    for persona, user in world.personas().items():
        if user is None:
            continue
        client.force_login(user)
        body = client.get(reverse("organizations:enterprises")).content.decode()
        seen[persona] = {n for n in ("杭州甲机械有限公司", "北京乙电子有限公司") if n in body}
    assert seen == {
        "ent_a": {"杭州甲机械有限公司"}, "ent_a_member": {"杭州甲机械有限公司"}, "ent_b": {"北京乙电子有限公司"},
        "consultant": {"杭州甲机械有限公司"}, "assessor": set(), "city_authority": {"杭州甲机械有限公司"},
        "other_province": {"北京乙电子有限公司"}, "admin": {"杭州甲机械有限公司", "北京乙电子有限公司"},
        "committee": set(), "other_assessor": set(), "province": {"杭州甲机械有限公司"}, "provider": set(),
        "other_provider": set(), "expert": set(),
    }


def test_it_logs_in_with_a_password_and_keeps_authorities_read_only(client, world):
    from ronghe.apps.accounts import access
    from tests.base import PASSWORD

    r = client.post(reverse("accounts:login"), {"username": "city_authority", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == reverse("home")  # each role's home is its work
    assert list(access.enterprises_for_user(world.city_authority, write=True)) == []
    assert list(access.enterprises_for_user(world.consultant, write=True)) == [world.a]
    bad = client.post(reverse("accounts:login"), {"username": "ent_a", "password": "wrong"})
    assert (bad.status_code == 200 and "Wrong user name or password" in bad.content.decode()) or "密码" in \
        bad.content.decode()


# API endpoints: (method, path maker, body maker, expected status per persona), session-authenticated
API_MATRIX = [
    ("get", lambda w: "/api/frameworks/", None, [200] * 9),
    ("get", lambda w: "/api/frameworks/mini", None, [200] * 9),
    ("get", lambda w: "/api/frameworks/mini/template", None, [200] * 9),
    ("get", lambda w: "/api/assessments/", None, [401, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("get", lambda w: f"/api/assessments/{w.draft.pk}", None, [401, 200, 200, 404, 200, 404, 404, 404, 200]),
    ("get", lambda w: f"/api/assessments/{w.submitted.pk}", None, [401, 200, 200, 404, 200, 404, 200, 404, 200]),
    ("get", lambda w: "/api/jobs/", None, [401] + [200] * 8),
    ("get", lambda w: f"/api/jobs/{w.job.pk}", None, [401, 200, 404, 404, 404, 404, 404, 404, 200]),
    ("post", lambda w: f"/api/jobs/{w.job.pk}/retry", lambda w: {}, [401, 409, 404, 404, 404, 404, 404, 404, 409]),
    ("post", lambda w: f"/api/jobs/{w.job.pk}/cancel", lambda w: {}, [401, 200, 404, 404, 404, 404, 404, 404, 409]),
    ("get", lambda w: "/api/notifications/", None, [401] + [200] * 8),
    ("post", lambda w: f"/api/notifications/{w.notification.pk}/read", lambda w: {}, [401, 200] + [404] * 7),
    ("post", lambda w: "/api/assessments/", lambda w: {"enterprise": w.a.pk, "framework": "mini", "year": 2025,
                                                      "answers": {"a1": "B"}},
     [401, 200, 200, 404, 200, 404, 404, 404, 200]),
    # an assessment's peer panel: whoever may see the assessment (aggregates only); dashboards: authorities
    ("get", lambda w: f"/api/benchmarking/assessments/{w.submitted.pk}/panel", None,
     [401, 200, 200, 404, 200, 404, 200, 404, 200]),
    ("get", lambda w: f"/api/benchmarking/assessments/{w.draft.pk}/panel", None,
     [401, 200, 200, 404, 200, 404, 404, 404, 200]),
    ("get", lambda w: "/api/benchmarking/dashboard", None, [401, 404, 404, 404, 404, 404, 200, 200, 200]),
    ("get", lambda w: "/api/benchmarking/dashboard?region=330000", None, [401, 404, 404, 404, 404, 404, 404, 404, 200]),
    ("get", lambda w: "/api/benchmarking/breakdown?by=size", None, [401, 404, 404, 404, 404, 404, 200, 200, 200]),
    ("get", lambda w: "/api/benchmarking/targets", None, [401, 404, 404, 404, 404, 404, 200, 200, 200]),
    # organisations: the enterprise list and one enterprise as on the pages; access changed by its managers
    ("get", lambda w: "/api/organizations/enterprises", None, [401] + [200] * 8),
    ("get", lambda w: f"/api/organizations/enterprises/{w.a.pk}", None, [401, 200, 200, 404, 200, 404, 200, 404, 200]),
    ("post", lambda w: f"/api/organizations/enterprises/{w.a.pk}/access",
     lambda w: {"consultancy": w.consultancy.pk, "action": "grant"}, [401, 200, 404, 404, 404, 404, 404, 404, 200]),
    ("get", lambda w: "/api/organizations/memberships", None, [401] + [200] * 8),
    # members: the organisation's managers and whoever may invite people to it (its authority, staff)
    ("get", lambda w: f"/api/organizations/{w.a.pk}/members", None, [401, 200, 404, 404, 404, 404, 200, 404, 200]),
    ("post", lambda w: f"/api/organizations/{w.a.pk}/invitations", lambda w: {"email": "x@example.com"},
     [401, 404, 404, 404, 404, 404, 201, 404, 201]),
    # assessments: export (each one's own view), result (409 until scored), review by the independent authority
    ("get", lambda w: "/api/assessments/export", None, [401] + [200] * 8),
    ("get", lambda w: f"/api/assessments/{w.submitted.pk}/result", None,
     [401, 409, 409, 404, 409, 404, 409, 404, 409]),
    ("post", lambda w: f"/api/assessments/{w.submitted.pk}/approve", lambda w: {},
     [401, 404, 404, 404, 404, 404, 200, 404, 409]),  # staff comes after the city: already approved
    ("post", lambda w: f"/api/assessments/{w.submitted.pk}/return", lambda w: {"reason": "数据不全"},
     [401, 404, 404, 404, 404, 404, 200, 404, 409]),
    ("post", lambda w: f"/api/assessments/{w.draft.pk}/revise", lambda w: {},
     [401, 409, 409, 404, 409, 404, 404, 404, 409]),  # only a returned one is revised
    ("delete", lambda w: f"/api/assessments/{w.submitted.pk}", None,
     [401, 409, 409, 404, 409, 404, 404, 404, 409]),  # only a draft is deleted, only by who may write it
    # evaluations: published ones public, a draft its authority's (and staff's); only the authority publishes
    ("get", lambda w: "/api/regions/evaluations", None, [200] * 9),
    ("get", lambda w: f"/api/regions/evaluations/{w.evaluation.pk}", None, [404] * 6 + [200, 404, 200]),
    ("post", lambda w: f"/api/regions/evaluations/{w.evaluation.pk}/publish", lambda w: {},
     [401, 404, 404, 404, 404, 404, 200, 404, 404]),
    # running and the data template: an authority's members only (a JSON body carries no files: 422)
    ("post", lambda w: "/api/regions/evaluations", lambda w: {}, [401, 404, 404, 404, 404, 404, 422, 422, 404]),
    ("get", lambda w: "/api/regions/template", None, [401, 404, 404, 404, 404, 404, 200, 200, 404]),
]
API_TEMPLATES = {("get", "/api/frameworks/"), ("get", "/api/frameworks/{slug}"), ("get", "/api/assessments/"),
                 ("get", "/api/assessments/{assessment_id}"), ("post", "/api/assessments/"), ("get", "/api/jobs/"),
                 ("get", "/api/jobs/{job_id}"), ("post", "/api/jobs/{job_id}/cancel"),
                 ("post", "/api/jobs/{job_id}/retry"), ("get", "/api/notifications/"),
                 ("post", "/api/notifications/{notification_id}/read"),
                 ("get", "/api/benchmarking/assessments/{assessment_id}/panel"), ("get", "/api/benchmarking/dashboard"),
                 ("get", "/api/benchmarking/breakdown"), ("get", "/api/benchmarking/targets"),
                 ("get", "/api/organizations/enterprises"), ("get", "/api/organizations/enterprises/{enterprise_id}"),
                 ("post", "/api/organizations/enterprises/{enterprise_id}/access"),
                 ("get", "/api/organizations/memberships"), ("get", "/api/organizations/{organization_id}/members"),
                 ("post", "/api/organizations/{organization_id}/invitations"), ("get", "/api/assessments/export"),
                 ("get", "/api/assessments/{assessment_id}/result"),
                 ("post", "/api/assessments/{assessment_id}/approve"),
                 ("post", "/api/assessments/{assessment_id}/return"),
                 ("post", "/api/assessments/{assessment_id}/revise"), ("delete", "/api/assessments/{assessment_id}"),
                 ("get", "/api/frameworks/{slug}/template"),
                 ("get", "/api/regions/evaluations"), ("get", "/api/regions/evaluations/{evaluation_id}"),
                 ("post", "/api/regions/evaluations/{evaluation_id}/publish"), ("post", "/api/regions/evaluations"),
                 ("get", "/api/regions/template")}


C = "/api/certification"
U, X = 401, 409  # not signed in; a step refused by the lifecycle (409) — the caller could see the object
CERT_API_MATRIX = [
    ("get", lambda w: f"{C}/standards", None, [200] * 11),  # published content: public
    ("get", lambda w: f"{C}/standards/gbt23001-2017", None, [200] * 11),
    ("get", lambda w: f"{C}/verify?q=杭州甲", None, [200] * 11),  # public: issued certificates only
    ("get", lambda w: f"{C}/projects", None, [U] + [200] * 10),
    ("get", lambda w: f"{C}/projects/{w.project.pk}", None, [U, 200, 200, N, 200, 200, N, N, 200, N, N]),
    ("post", lambda w: f"{C}/projects/{w.project.pk}/clauses", lambda w: {"clause": "6", "conformity": "partial"},
     [U, 200, 200, N, 200, N, N, N, 200, N, N]),
    # A already has a case in progress: the enterprise's members are refused (409), nobody else may try
    ("post", lambda w: f"{C}/projects/{w.project.pk}/apply", lambda w: {"body": w.body.pk},
     [U, X, X, N, X, N, N, N, X, N, N]),
    ("get", lambda w: f"{C}/projects/{w.project.pk}/evidence", None, [U, 200, 200, N, 200, 200, N, N, 200, N, N]),
    ("get", lambda w: f"{C}/evidence/{w.evidence.pk}/file", None, [U, 200, 200, N, 200, 200, N, N, 200, N, N]),
    ("get", lambda w: f"{C}/cases", None, [U] + [200] * 10),
    ("get", lambda w: f"{C}/cases/{w.case.pk}", None, [U, 200, 200, N, 200, 200, N, N, 200, N, N]),
    ("post", lambda w: f"{C}/cases/{w.case.pk}/transitions", lambda w: {"name": "accept"},
     [U, X, X, N, X, X, N, N, X, N, N]),
    ("post", lambda w: f"{C}/cases/{w.case.pk}/findings",
     lambda w: {"severity": "minor", "clause": "9", "description": "d", "evidence": "e"},
     [U, X, X, N, X, 200, N, N, X, N, N]),
    ("post", lambda w: f"{C}/findings/{w.finding.pk}/transitions", lambda w: {"name": "verify"},
     [U, X, X, N, X, X, N, N, X, N, N]),
    ("get", lambda w: f"{C}/certificates", None, [U] + [200] * 10),
    ("post", lambda w: f"{C}/certificates/{w.certificate.pk}/transitions", lambda w: {"name": "reinstate",
                                                                                    "reason": "r"},
     [U, X, X, N, N, X, X, N, X, X, N]),
    ("get", lambda w: f"{C}/figures", None, [U, N, N, N, N, N, 200, 200, N, N, N]),
]
API_TEMPLATES |= {(m, f"{C}{p}") for m, p in [
    ("get", "/standards"), ("get", "/standards/{slug}"), ("get", "/verify"), ("get", "/projects"),
    ("get", "/projects/{project_id}"), ("post", "/projects/{project_id}/clauses"),
    ("post", "/projects/{project_id}/apply"), ("get", "/projects/{project_id}/evidence"),
    ("post", "/projects/{project_id}/evidence"), ("get", "/evidence/{version_id}/file"),
    ("get", "/cases"), ("get", "/cases/{case_id}"), ("post", "/cases/{case_id}/transitions"),
    ("post", "/cases/{case_id}/findings"), ("post", "/findings/{finding_id}/transitions"), ("get", "/certificates"),
    ("post", "/certificates/{certificate_id}/transitions"), ("get", "/figures")]}


from tests.apps.registrations.matrix import API_TEMPLATES as REGISTRATIONS  # noqa: E402  (rows in that app's tests)

API_TEMPLATES |= REGISTRATIONS
API_TEMPLATES |= REPORT_API_TEMPLATES


def test_it_has_a_row_for_every_api_endpoint():
    from ronghe.api import api

    routes = {(m, p) for p, ops in api.get_openapi_schema()["paths"].items() for m in ops}
    assert routes <= API_TEMPLATES, f"API endpoints without a permission row: {sorted(routes - API_TEMPLATES)}"


@pytest.mark.parametrize(("method", "path", "body", "expected"), API_MATRIX, ids=[f"{m[0]}-{i}" for i, m in
                                                                                   enumerate(API_MATRIX)])
def test_it_allows_and_denies_each_persona_on_the_api(client, world, method, path, body, expected):
    users = world.personas()
    url, data = path(world), body(world) if body else None
    as_each(client, users, PERSONAS, expected, lambda: call_api(client, method, url, data), f"{method.upper()} {url}")


@pytest.fixture
def cert_world(world, settings, tmp_path):
    """The personas with A's 贯标 project: a certified first case, an open re-assessment with a finding."""
    from ronghe.apps.certification import services
    from tests.apps.certification.helpers import PDF, days_ago, drive, ready_project

    settings.MEDIA_ROOT = tmp_path / "media"
    world.project = ready_project(world.a, by=world.ent_a, consultancy=world.consultancy)
    f = tmp_path / "manual.pdf"
    f.write_bytes(PDF)
    world.evidence = services.add_evidence(world.project, f, original_name="manual.pdf", evidence_date=days_ago(3),
                                           clauses=["4.4.3.1"], by=world.ent_a)
    world.certified = drive(services.apply(world.project, world.body, by=world.ent_a), world, "issue")
    world.certificate = world.certified.certificate
    world.case = drive(services.apply(world.project, world.body, by=world.ent_a,
                                      previous_certificate=world.certificate), world, "complete_stage2")
    world.finding = services.raise_finding(world.case, severity="minor", clause="9", description="d", evidence="e",
                                           by=world.assessor)
    return world


@pytest.mark.parametrize(("name", "kwargs", "method", "expected"), CERT_MATRIX,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(CERT_MATRIX)])
def test_it_allows_and_denies_each_persona_certification(client, cert_world, name, kwargs, method, expected):
    url = reverse(name, kwargs=kwargs(cert_world))
    users = cert_world.personas()
    data = {"name": "nothing"} if method == "post" else None
    as_each(client, users, CERT_PERSONAS, expected, lambda: getattr(client, method)(url, data),
            f"{method.upper()} {url}")


@pytest.mark.parametrize(("method", "path", "body", "expected"), CERT_API_MATRIX,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(CERT_API_MATRIX)])
def test_it_allows_and_denies_each_persona_on_the_certification_api(client, cert_world, method, path, body, expected):
    users = cert_world.personas()
    url, data = path(cert_world), body(cert_world) if body else None
    as_each(client, users, CERT_PERSONAS, expected, lambda: call_api(client, method, url, data),
            f"{method.upper()} {url}")


def test_it_lets_only_who_works_on_the_project_upload_evidence_through_the_api(client, cert_world):
    """``POST /api/certification/projects/{id}/evidence`` (multipart): the enterprise's members, its
    granted consultancy and staff; everyone else 404 (401 signed out), before the file is read."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.apps.certification.helpers import PDF, days_ago

    users = cert_world.personas()
    url = f"{C}/projects/{cert_world.project.pk}/evidence"
    as_each(client, users, CERT_PERSONAS, [U, 200, 200, N, 200, N, N, N, 200, N, N], lambda: client.post(url, {
        "file": SimpleUploadedFile("m.pdf", PDF), "evidence_date": days_ago(1).isoformat(), "clauses": ["5.2"]}),
            "upload")


def test_it_shows_the_public_only_issued_certificates_and_an_assessor_only_its_bodys_cases(client, cert_world):
    from ronghe.apps.certification.models import Case

    w = cert_world
    rows = client.get(f"{C}/verify?q=杭州甲").json()["items"]
    assert [r["number"] for r in rows] == [w.certificate.number]  # the open re-assessment shows nowhere
    client.force_login(w.other_assessor)
    assert client.get(f"{C}/cases").json()["count"] == 0
    client.force_login(w.assessor)
    assert {r["id"] for r in client.get(f"{C}/cases").json()["items"]} == set(Case.objects.values_list("pk", flat=True))


# Pilot programmes and service providers: every persona, including the province above 杭州市, the two
# providers and the expert. A's declaration sits with 杭州市 in an open call of 浙江省; a second call is
# under review with A accepted and the expert on its panel; a draft call is 浙江省's own; A sent a request
# to 杭州's provider with its diagnosis.
ALL = [*CERT_PERSONAS, "province", "provider", "other_provider", "expert"]
F = 403


def _row(**allowed):
    """Statuses in ALL's order: ``default`` for everyone signed in, ``anonymous`` for nobody signed in,
    and named personas' own."""
    default, anonymous = allowed.pop("default", N), allowed.pop("anonymous", LOGIN)
    return [anonymous] + [allowed.get(p, default) for p in ALL[1:]]


AUTHORITIES = {"city_authority": W, "other_province": W, "province": W}
A_SIDE = {"ent_a": W, "ent_a_member": W, "consultant": W, "city_authority": W, "province": W, "admin": W}
PROGRAM_MATRIX = [
    ("programs:calls", lambda w: {}, "get", [W] * 15),
    ("programs:new_call", lambda w: {}, "get", _row(**AUTHORITIES)),
    ("programs:call", lambda w: {"pk": w.call.pk}, "get", [W] * 15),
    ("programs:call", lambda w: {"pk": w.draft_call.pk}, "get", _row(anonymous=N, province=W, admin=W)),
    ("programs:edit_call", lambda w: {"pk": w.draft_call.pk}, "get", _row(province=W)),
    ("programs:call_transition", lambda w: {"pk": w.call.pk}, "post", _row(default=R)),
    ("programs:quota", lambda w: {"pk": w.call.pk}, "post", _row(province=R)),
    ("programs:declare", lambda w: {"pk": w.call.pk}, "post", _row(ent_a=R, ent_a_member=R, ent_b=R)),
    ("programs:panel", lambda w: {"pk": w.call.pk}, "get", _row(province=W)),
    ("programs:results", lambda w: {"pk": w.review_call.pk}, "get", _row(province=W, admin=W)),
    ("programs:declaration", lambda w: {"pk": w.declaration.pk}, "get", _row(**A_SIDE)),
    # under review: the assigned expert reads it too
    ("programs:declaration", lambda w: {"pk": w.reviewed.pk}, "get", _row(**A_SIDE, expert=W)),
    ("programs:upload_material", lambda w: {"pk": w.declaration.pk}, "post",
     _row(ent_a=R, ent_a_member=R, consultant=R, admin=R)),
    ("programs:declaration_transition", lambda w: {"pk": w.declaration.pk}, "post",
     _row(**{k: R for k in A_SIDE})),
    ("programs:material_file", lambda w: {"pk": w.material.pk}, "get", _row(**A_SIDE)),
    ("programs:experts", lambda w: {}, "get", _row(**AUTHORITIES)),
    ("programs:reviews", lambda w: {}, "get", _row(expert=W)),
    ("programs:score", lambda w: {"pk": w.assignment.pk}, "get", _row(expert=W)),
    ("programs:figures", lambda w: {}, "get", _row(**AUTHORITIES)),
    ("programs:export", lambda w: {}, "get", _row(**AUTHORITIES)),
    ("providers:catalogue", lambda w: {}, "get", [W] * 15),
    ("providers:provider", lambda w: {"pk": w.hz.pk}, "get", [W] * 15),
    ("providers:manage", lambda w: {}, "get", _row(provider=W, other_provider=W, admin=W)),
    ("providers:new_offering", lambda w: {}, "get", _row(provider=W, other_provider=W, admin=W)),
    ("providers:offering", lambda w: {"pk": w.offers["hz_rd"].pk}, "get", _row(provider=W, admin=W)),
    ("providers:send", lambda w: {"pk": w.offers["hz_rd"].pk}, "post", _row(ent_a=R, ent_a_member=R, ent_b=R)),
    # the matches of A's approved assessment: whoever may see the assessment
    ("providers:matches", lambda w: {"pk": w.scored.pk}, "get", _row(**A_SIDE)),
    ("providers:requests", lambda w: {}, "get", _row(default=W)),
    # a request: the enterprise and the provider it went to, nobody else (staff aside)
    ("providers:request", lambda w: {"pk": w.request.pk}, "get", _row(ent_a=W, ent_a_member=W, provider=W, admin=W)),
    ("providers:request_transition", lambda w: {"pk": w.request.pk}, "post",
     _row(ent_a=R, ent_a_member=R, provider=R, admin=R)),
    ("providers:coverage", lambda w: {}, "get", _row(**AUTHORITIES)),
]
COVERED |= {name for name, *_ in PROGRAM_MATRIX}


@pytest.fixture
def program_world(world, settings, tmp_path):
    from ronghe.apps.programs import services as programs
    from ronghe.apps.providers import services as providers
    from tests.apps.certification.helpers import PDF, scored
    from tests.apps.programs.helpers import close, open_call
    from tests.apps.providers.helpers import catalogue

    settings.MEDIA_ROOT = tmp_path / "media"
    w = world
    w.hz, _bj, w.offers = catalogue(w)
    w.scored = scored(w.a, 3)
    w.call = open_call(w)
    d = programs.declare(w.call, w.a, title="贯标试点", by=w.ent_a)
    f = tmp_path / "a.pdf"
    f.write_bytes(PDF)
    w.material = programs.add_material(d, "m1", f, original_name="申报书.pdf", by=w.ent_a)
    w.declaration = programs.declaration_transition(d, "submit", by=w.ent_a)
    w.draft_call = open_call(w, publish=False, title="草稿")
    w.review_call = open_call(w, title="评审中", panel_size=1, min_reviewers=1)
    r = programs.declare(w.review_call, w.a, title="评审项目", by=w.ent_a)
    programs.add_material(r, "m1", f, original_name="申报书.pdf", by=w.ent_a)
    r = programs.declaration_transition(r, "submit", by=w.ent_a)
    r = programs.declaration_transition(r, "recommend", by=w.city_authority)
    w.reviewed = programs.declaration_transition(r, "accept", by=w.province)
    close(w.review_call, w.province)
    programs.draw_panel(w.review_call, by=w.province, seed=1)
    programs.call_transition(w.review_call, "start_review", by=w.province)
    w.assignment = w.reviewed.assignments.get(expert__user=w.expert)
    w.request = providers.send_request(w.a, w.offers["hz_rd"], message="研发上云", assessment=w.scored, share=True,
                                       by=w.ent_a)
    return w


@pytest.mark.parametrize(("name", "kwargs", "method", "expected"), PROGRAM_MATRIX,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(PROGRAM_MATRIX)])
def test_it_allows_and_denies_each_persona_programs_and_providers(client, program_world, name, kwargs, method,
                                                                  expected):
    url = reverse(name, kwargs=kwargs(program_world))
    users = program_world.personas()
    data = {"name": "nothing"} if method == "post" else None
    as_each(client, users, ALL, expected, lambda: getattr(client, method)(url, data), f"{method.upper()} {url}")


P, V = "/api/programs", "/api/providers"
PROGRAM_API_MATRIX = [
    ("get", lambda w: f"{P}/calls", None, [200] * 15),
    ("get", lambda w: f"{P}/calls/{w.call.pk}", None, [200] * 15),
    ("get", lambda w: f"{P}/calls/{w.draft_call.pk}", None, _row(anonymous=N, province=200, admin=200)),
    ("post", lambda w: f"{P}/calls", lambda w: {"program": "other", "title": "API 通知", "year": 2026,
                                                "declare_from": "2026-01-01", "declare_until": "2026-02-01",
                                                "recommend_until": "2026-03-01"},
     _row(anonymous=U, city_authority=200, other_province=200, province=200)),
    # the owner is refused (declarations are still open); anyone else may not even try
    ("post", lambda w: f"{P}/calls/{w.call.pk}/transitions", lambda w: {"name": "close"},
     _row(anonymous=U, province=X)),
    ("get", lambda w: f"{P}/calls/{w.call.pk}/eligibility", None, _row(anonymous=U, default=200)),
    ("post", lambda w: f"{P}/calls/{w.call.pk}/declarations", lambda w: {"enterprise": w.a.pk, "title": "再次申报"},
     _row(anonymous=U, ent_a=X, ent_a_member=X)),
    ("get", lambda w: f"{P}/declarations", None, _row(anonymous=U, default=200)),
    ("get", lambda w: f"{P}/declarations/{w.declaration.pk}", None, _row(anonymous=U, **{k: 200 for k in A_SIDE})),
    ("post", lambda w: f"{P}/declarations/{w.declaration.pk}/transitions", lambda w: {"name": "accept"},
     _row(anonymous=U, **{k: X for k in A_SIDE})),
    ("get", lambda w: f"{P}/materials/{w.material.pk}/file", None, _row(anonymous=U, **{k: 200 for k in A_SIDE})),
    ("get", lambda w: f"{P}/reviews", None, _row(anonymous=U, default=200)),
    ("post", lambda w: f"{P}/reviews/{w.assignment.pk}", lambda w: {"scores": {}}, _row(anonymous=U, expert=200)),
    ("get", lambda w: f"{P}/calls/{w.review_call.pk}/results", None, _row(anonymous=U, province=200, admin=200)),
    ("get", lambda w: f"{P}/figures", None, _row(anonymous=U, city_authority=200, other_province=200,
                                                 province=200)),
    ("get", lambda w: f"{V}/catalogue", None, [200] * 15),
    ("get", lambda w: f"{V}/catalogue/{w.hz.pk}", None, [200] * 15),
    ("get", lambda w: f"{V}/matches/{w.scored.pk}", None, _row(anonymous=U, **{k: 200 for k in A_SIDE})),
    ("get", lambda w: f"{V}/requests", None, _row(anonymous=U, default=200)),
    ("post", lambda w: f"{V}/requests", lambda w: {"offering": w.offers["hz_rd"].pk, "enterprise": w.a.pk,
                                                  "message": "需要研发上云"},
     _row(anonymous=U, ent_a=200, ent_a_member=200)),
    ("get", lambda w: f"{V}/requests/{w.request.pk}", None,
     _row(anonymous=U, ent_a=200, ent_a_member=200, provider=200, admin=200)),
    ("post", lambda w: f"{V}/requests/{w.request.pk}/transitions", lambda w: {"name": "rate", "rating": 5},
     _row(anonymous=U, ent_a=X, ent_a_member=X, provider=X, admin=X)),
    ("get", lambda w: f"{V}/coverage?framework=mini", None, _row(anonymous=U, city_authority=200,
                                                                 other_province=200, province=200)),
]
API_TEMPLATES |= {(m, f"{P}{p}") for m, p in [
    ("get", "/calls"), ("get", "/calls/{call_id}"), ("post", "/calls"), ("post", "/calls/{call_id}/transitions"),
    ("get", "/calls/{call_id}/eligibility"), ("post", "/calls/{call_id}/declarations"), ("get", "/declarations"),
    ("get", "/declarations/{declaration_id}"), ("post", "/declarations/{declaration_id}/transitions"),
    ("post", "/declarations/{declaration_id}/materials"), ("get", "/materials/{material_id}/file"),
    ("get", "/reviews"), ("post", "/reviews/{assignment_id}"), ("get", "/calls/{call_id}/results"),
    ("get", "/figures")]}
API_TEMPLATES |= {(m, f"{V}{p}") for m, p in [
    ("get", "/catalogue"), ("get", "/catalogue/{provider_id}"), ("get", "/matches/{assessment_id}"),
    ("get", "/requests"), ("post", "/requests"), ("get", "/requests/{request_id}"),
    ("post", "/requests/{request_id}/transitions"), ("get", "/coverage")]}


@pytest.mark.parametrize(("method", "path", "body", "expected"), PROGRAM_API_MATRIX,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(PROGRAM_API_MATRIX)])
def test_it_allows_and_denies_each_persona_on_the_programs_and_providers_api(client, program_world, method, path,
                                                                             body, expected):
    users = program_world.personas()
    url, data = path(program_world), body(program_world) if body else None
    as_each(client, users, ALL, expected, lambda: call_api(client, method, url, data), f"{method.upper()} {url}")


def test_it_lets_only_the_declaring_side_upload_a_material_through_the_api(client, program_world):
    """``POST /api/programs/declarations/{id}/materials`` (multipart): who may write the declaration gets
    as far as the service, which refuses a submitted declaration (409); everyone else 404 (401 signed
    out), before the file is read."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.apps.certification.helpers import PDF

    users = program_world.personas()
    expected = _row(anonymous=U, ent_a=X, ent_a_member=X, consultant=X, admin=X)
    url = f"{P}/declarations/{program_world.declaration.pk}/materials"
    as_each(client, users, ALL, expected, lambda: client.post(url, {"file": SimpleUploadedFile("申报书.pdf", PDF),
                                                                   "kind": "m1"}), "upload")
