"""The questionnaire import template from the page and the API is the file ``ronghe assess template``
writes: every item a column with its drop-down or range, a sheet explaining each item."""

import io

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from ronghe.cli import app
from tests.conftest import FILES

pytestmark = pytest.mark.django_db


def cells(wb):
    return {name: [list(r) for r in wb[name].iter_rows(values_only=True)] for name in wb.sheetnames}


def test_it_downloads_the_same_template_as_the_cli_from_page_and_api(client, mini_version, tmp_path):
    cli = tmp_path / "cli.xlsx"
    assert CliRunner().invoke(app, ["assess", "template", str(FILES / "frameworks" / "mini.yaml"), "-o",
                                    str(cli)]).exit_code == 0
    expected = load_workbook(cli)
    page = client.get("/frameworks/mini/template/")  # public content, like the framework page
    api = client.get("/api/frameworks/mini/template")
    for r in (page, api):
        assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "mini-v1-" in r["Content-Disposition"]
        wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
        assert cells(wb) == cells(expected)
        ws = wb["答卷"]
        validations = {str(dv.sqref): (dv.type, dv.formula1) for dv in ws.data_validations.dataValidation}
        assert validations["E3:E502"] == ("list", '"A,B,C,D"')  # a1: single choice
        assert validations["F3:F502"] == ("list", '"是,否"')  # a2: yes/no
        assert validations["H3:H502"][0] == "decimal"  # b2: a percentage with its range
    english = client.get("/api/frameworks/mini/template", {"locale": "en"})
    wb = load_workbook(io.BytesIO(b"".join(english.streaming_content)))
    assert wb["题目说明"]["A1"].value == "id" and wb["答卷"]["A2"].value == "Enterprise"
    assert client.get("/frameworks/nothing/template/").status_code == 404
    assert client.get("/api/frameworks/nothing/template").status_code == 404
    assert client.get("/frameworks/mini/v9/template/").status_code == 404


def test_it_links_the_template_where_it_is_used(client, world, mini_version):
    assert "/frameworks/mini/v1/template/" in client.get("/frameworks/mini/").content.decode()
    client.force_login(world.city_authority)
    assert "/frameworks/mini/v1/template/" in client.get("/assessments/import/").content.decode()
