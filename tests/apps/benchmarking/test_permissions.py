"""With scored peers in place: every benchmarking page and route, as every persona. An enterprise sees
its own panel and never a peer's row; an authority only its jurisdiction."""

import pytest

from tests.apps.benchmarking.helpers import populate

pytestmark = pytest.mark.django_db
PERSONAS = ["anonymous", "ent_a", "ent_a_member", "ent_b", "consultant", "assessor", "city_authority",
            "other_province", "admin"]


def test_every_persona_sees_only_what_it_may_and_enterprises_no_peer(client, world):
    peers = populate(world, years=(2025,))
    a, b = peers.a[2025], world.b.assessments.get(year=2025)
    names = [e.name for e in peers.enterprises if e not in (world.a, world.b)]
    cases = [  # url, expected per persona
        (f"/assessments/{a.pk}/result/", [302, 200, 200, 404, 200, 404, 200, 404, 200]),
        (f"/assessments/{b.pk}/result/", [302, 404, 404, 200, 404, 404, 404, 200, 200]),
        (f"/api/benchmarking/assessments/{a.pk}/panel", [401, 200, 200, 404, 200, 404, 200, 404, 200]),
        (f"/api/benchmarking/assessments/{b.pk}/panel", [401, 404, 404, 200, 404, 404, 404, 200, 200]),
        ("/benchmarking/", [302, 404, 404, 404, 404, 404, 200, 200, 200]),
        ("/benchmarking/?region=330106", [302, 404, 404, 404, 404, 404, 200, 404, 200]),
        ("/benchmarking/?region=110000", [302, 404, 404, 404, 404, 404, 404, 200, 200]),
        ("/benchmarking/export.xlsx?region=330100", [302, 404, 404, 404, 404, 404, 200, 404, 200]),
        ("/api/benchmarking/dashboard?region=330100", [401, 404, 404, 404, 404, 404, 200, 404, 200]),
        ("/api/benchmarking/breakdown?region=110000&by=industry", [401, 404, 404, 404, 404, 404, 404, 200, 200]),
        ("/api/benchmarking/targets?region=000000", [401, 404, 404, 404, 404, 404, 404, 404, 200]),
    ]
    users = world.personas()
    for url, expected in cases:
        for persona, status in zip(PERSONAS, expected, strict=True):
            client.logout()
            if users[persona] is not None:
                client.force_login(users[persona])
            r = client.get(url)
            assert r.status_code == status, f"{persona} GET {url}: {r.status_code}"
            if status == 200 and persona.startswith(("ent_", "consultant")) and "xlsx" not in url:
                body = r.content.decode()
                assert not any(n in body for n in names), f"{persona} saw a peer's name at {url}"
