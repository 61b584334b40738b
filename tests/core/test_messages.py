"""The core's catalogue: every message in both languages with the same parameters, 简体中文 by
default, English on request, and every fault the core raises carries its code."""

import string

import pytest

from ronghe.core.errors import AnswerError, FrameworkError
from ronghe.core.messages import CATALOGUE, current_locale, message, size, use_locale


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_it_has_both_languages_with_the_same_parameters(code):
    zh, en = CATALOGUE[code]
    assert zh and en and _fields(zh) == _fields(en), code
    if not code.endswith("_unit"):  # the unit fragments are mostly punctuation around the unit
        assert zh != en and any("\u4e00" <= ch <= "\u9fff" for ch in zh), code


def test_it_speaks_chinese_by_default_and_english_on_request():
    with use_locale(None):
        assert current_locale() == "zh-Hans"
        assert message("answer.yesno", item="a2") == "a2 请填“是”或“否”"
        with use_locale("en-GB"):
            assert message("answer.yesno", item="a2") == "a2 takes 是 or 否 (yes/no)"
        assert AnswerError.of(3, "a2", "x", "answer.yesno", item="a2").reason == "a2 请填“是”或“否”"
    assert AnswerError.of(3, "a2", "x", "answer.yesno", item="a2").code == "answer.yesno"


def test_it_names_sizes_as_file_managers_do():
    assert [size(n) for n in (999, 1024, 1536, 10 * 1024, 1 << 20, 3 << 30)] == \
        ["999 B", "1 KB", "1.5 KB", "10 KB", "1 MB", "3 GB"]


def test_it_gives_every_answer_fault_a_code(mini):
    from ronghe.core.scoring.answers import encode_one

    enc = encode_one(mini, {"a1": "Z", "a2": "maybe", "b1": "X", "b2": 200, "b3": "abc", "zz": 1})
    assert {e.column: e.code for e in enc.errors} == {"a1": "answer.option", "a2": "answer.yesno",
                                                      "b1": "answer.options", "b2": "answer.range",
                                                      "b3": "answer.number", "zz": "answer.unknown_item"}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_message_renders_in_both_languages(code):
    params = dict.fromkeys(_fields(CATALOGUE[code][0]), 1)  # a number fits every format spec in use (:g, :.0f, !r)
    for locale in ("zh-Hans", "en"):
        with use_locale(locale):
            assert message(code, **params)


DATA_FILES = ("frameworks/load.py", "frameworks/schema.py", "index/definition.py", "targets/load.py",
              "certification/standard.py", "codes.py")
DATA_GROUPS = ("doc", "schema", "framework", "definition", "targets", "standard", "codes")


def _data_file_codes() -> set[str]:
    """Every fault code written in the modules that read data files."""
    import re
    from pathlib import Path

    import ronghe.core

    core = Path(ronghe.core.__file__).parent
    pattern = re.compile(r'"((?:' + "|".join(DATA_GROUPS) + r')\.[a-z0-9_]+)"')
    return {m for f in DATA_FILES for m in pattern.findall((core / f).read_text(encoding="utf-8"))}


def test_every_data_file_fault_code_is_in_the_catalogue_and_every_entry_is_used():
    used = _data_file_codes()
    assert used - set(CATALOGUE) == set()
    assert {c for c in CATALOGUE if c.split(".")[0] in DATA_GROUPS} - used == set()


def test_every_schema_fault_it_names_has_the_parameters_of_its_message():
    from ronghe.core.frameworks.load import _SCHEMA_CODES

    for kind, (code, params) in _SCHEMA_CODES.items():
        assert _fields(CATALOGUE[code][0]) == set(params), kind
    assert _fields(CATALOGUE["schema.other"][0]) == {"detail"}


def test_a_data_file_fault_speaks_chinese_by_default_and_english_on_request():
    with use_locale(None):
        fault = FrameworkError.of("f.yaml", "total", "framework.unknown_node", node="Z")
        assert (fault.code, fault.params, fault.reason) == ("framework.unknown_node", {"node": "Z"}, "不存在的指标“Z”")
        assert str(fault) == "f.yaml: total: 不存在的指标“Z”"
        with use_locale("en"):
            assert FrameworkError.of("f.yaml", "total", "framework.unknown_node", node="Z").reason == "unknown node 'Z'"
