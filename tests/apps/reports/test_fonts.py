"""The PDF reports draw with the reduced CJK faces that ``make install`` builds (manage.py
report_fonts) and fall back to the full Noto face, glyph by glyph, for a character the copies lack."""

import subprocess

import pytest
from django.urls import reverse

from ronghe.apps.organizations.models import Organization
from ronghe.apps.reports.services import font_dir
from ronghe.core.reports import fonts
from tests.apps.reports.helpers import pdf_text

pytestmark = pytest.mark.django_db


def test_a_report_uses_the_reduced_faces_and_the_full_face_for_a_rare_character(client, reports_world, tmp_path):
    missing = [f for f in fonts.FILES.values() if not (font_dir() / f).exists()]
    assert not missing, f"{missing} missing in {font_dir()}: `make install` builds them (manage.py report_fonts)"
    w = reports_world
    Organization.objects.filter(pk=w.a.pk).update(name="喆䶮智造有限公司")  # neither character is in GB 2312
    client.force_login(w.ent_a)
    content = client.get(reverse("reports:enterprise_pdf", args=[w.scored.pk])).content
    assert "喆䶮智造有限公司" in pdf_text(content, tmp_path).replace("\n", "")
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    listed = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    assert "Ronghe-Serif-SC" in listed and "Ronghe-Sans-SC" in listed
    assert "Noto-Serif-CJK-SC" in listed  # the two rare characters, drawn from the full face
    assert "Bold" not in listed  # two faces, one weight: each face is subset once per report
