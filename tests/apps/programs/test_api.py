"""Materials through the API: the page's upload and download, through the same service — versions kept,
a file judged by its content, a declaration that is no longer a draft refusing new material."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ronghe.apps.programs import services
from ronghe.apps.programs.models import Material
from tests.apps.certification.helpers import PDF, scored
from tests.apps.programs.helpers import open_call

pytestmark = pytest.mark.django_db


def test_an_enterprise_uploads_versions_of_a_material_and_downloads_them(client, world):
    scored(world.a, 3)
    d = services.declare(open_call(world), world.a, title="贯标试点", by=world.ent_a)
    client.force_login(world.ent_a)
    url = f"/api/programs/declarations/{d.pk}/materials"
    first = client.post(url, {"file": SimpleUploadedFile("申报书.pdf", PDF), "kind": "m1"})
    assert first.status_code == 200, first.content
    second = client.post(url, {"file": SimpleUploadedFile("申报书v2.pdf", PDF + b"\n%v2"), "kind": "m1"})
    body = second.json()
    assert (first.json()["number"], body["number"], body["kind"], body["original_name"]) == (1, 2, "m1", "申报书v2.pdf")
    assert body["content_type"] == "application/pdf" and body["size"] == len(PDF) + 4
    m = Material.objects.get(pk=body["id"])
    assert m.history().filter(action="material.uploaded").exists()
    got = client.get(f"/api/programs/materials/{m.pk}/file")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF + b"\n%v2"
    assert 'filename*=utf-8\'\'%E7%94%B3%E6%8A%A5%E4%B9%A6v2-v2.pdf' in got["Content-Disposition"]
    # a script dressed as a PDF, a kind the call does not ask for
    fake = client.post(url, {"file": SimpleUploadedFile("申报书.pdf", b"<script>alert(1)</script>"), "kind": "m1"})
    assert fake.status_code == 422 and fake.json()["code"] == "invalid"
    unknown = client.post(url, {"file": SimpleUploadedFile("x.pdf", PDF), "kind": "m9"})
    assert unknown.status_code == 422 and "m1" in unknown.json()["message"]
    assert d.materials.count() == 2  # nothing of the refused files was kept
    d = services.declaration_transition(d, "submit", by=world.ent_a)
    late = client.post(url, {"file": SimpleUploadedFile("申报书.pdf", PDF), "kind": "m1"})
    assert late.status_code == 409 and late.json()["code"] == "programs.transition.state"
