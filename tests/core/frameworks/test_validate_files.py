"""Every kind of data file (framework, index definition, targets, standard) is checked the same way:
its shipped files hold no fault, and a file that cannot be read or parsed is a fault naming the file,
never an exception."""

import pytest

from ronghe.core.certification import standard
from ronghe.core.frameworks import shipped as shipped_frameworks
from ronghe.core.frameworks import validate as validate_framework
from ronghe.core.index import definition
from ronghe.core.targets.load import shipped as shipped_targets
from ronghe.core.targets.load import validate as validate_targets

KINDS = {
    "framework": (validate_framework, shipped_frameworks),
    "index definition": (definition.validate, lambda: list(definition.shipped().values())),
    "targets": (validate_targets, lambda: list(shipped_targets().values())),
    "standard": (standard.validate, standard.shipped),
}


@pytest.mark.parametrize("kind", KINDS)
def test_the_shipped_files_hold_no_fault(kind):
    validate, shipped = KINDS[kind]
    files = shipped()
    assert files
    assert {f.name: validate(f) for f in files} == {f.name: [] for f in files}


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_that_cannot_be_read_is_one_fault_naming_it(kind, tmp_path):
    validate, _ = KINDS[kind]
    errors = validate(tmp_path / "missing.yaml")
    assert [(e.file, e.path, e.code) for e in errors] == [("missing.yaml", "", "doc.unreadable")]
    assert errors[0].params == {"detail": "No such file or directory"}
    assert [(e.file, e.code) for e in validate(tmp_path)] == [(tmp_path.name, "doc.unreadable")]  # a folder


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_that_is_not_yaml_is_one_fault_naming_it(kind, tmp_path):
    validate, _ = KINDS[kind]
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"urn: [unclosed\n")
    errors = validate(bad)
    assert [(e.file, e.path, e.code) for e in errors] == [("bad.yaml", "line 2, column 1", "doc.yaml")]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("raw", "code", "params"), [
    (b"urn: \xff\n", "doc.not_utf8", {"detail": "invalid start byte", "byte": 6}),  # the 6th byte
    (b"- a list\n", "doc.mapping", {}),
    (b"", "doc.mapping", {}),
])
def test_a_document_that_is_not_a_mapping_of_utf8_text_is_one_fault(kind, raw, code, params, tmp_path):
    validate, _ = KINDS[kind]
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(raw)
    assert [(e.file, e.path, e.code, e.params) for e in validate(bad)] == [("bad.yaml", "", code, params)]
