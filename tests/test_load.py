"""The loader: source map positions and every refusal, each a diagnostic, each fast."""

from __future__ import annotations

import time

import pytest

from liftspec.diagnostics import LiftError
from liftspec.load import load_text, read_text


def refusal(text: str | bytes) -> tuple[str, int, int, str]:
    raw = text.encode() if isinstance(text, str) else text
    started = time.perf_counter()
    with pytest.raises(LiftError) as caught:
        load_text(read_text(raw, "f.yaml"), "f.yaml")
    assert time.perf_counter() - started < 1.0
    (d,) = caught.value.diagnostics
    assert d.file == "f.yaml" and d.hint
    return d.id, d.line, d.col, d.message


def test_source_map_has_keys_values_and_items() -> None:
    doc = load_text("a: 1\nb:\n  c: [x, y]\n  d:\n    - e: 2\n", "f.yaml")
    assert doc.data == {"a": 1, "b": {"c": ["x", "y"], "d": [{"e": 2}]}}
    src = doc.source
    assert (src.values[("a",)].line, src.values[("a",)].col) == (1, 4)
    assert (src.keys[("b", "c")].line, src.keys[("b", "c")].col) == (3, 3)
    assert (src.values[("b", "c", 1)].line, src.values[("b", "c", 1)].col) == (3, 10)
    assert (src.values[("b", "d", 0, "e")].line, src.values[("b", "d", 0, "e")].col) == (5, 10)
    # an unknown path falls back to its nearest written ancestor
    assert src.locate(("b", "d", 0, "missing")).line == 5


def test_anchors_and_aliases_are_allowed() -> None:
    doc = load_text("base: &b {x: 1, y: 2}\nother: *b\nlist: [*b]\n", "f.yaml")
    assert doc.data["other"] == {"x": 1, "y": 2}
    assert doc.data["list"] == [{"x": 1, "y": 2}]


def test_merge_keys_are_refused() -> None:
    assert refusal("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n")[:3] == ("LS010", 3, 3)


def test_dates_stay_dates() -> None:
    import datetime

    assert load_text("until: 2027-06-30\n").data["until"] == datetime.date(2027, 6, 30)


def test_python_object_tag_is_refused() -> None:
    code, line, col, message = refusal("liftspec: 1\nservice: !!python/object/apply:os.system [id]\n")
    assert (code, line, col) == ("LS006", 2, 10)
    assert "!!python/object/apply:os.system" in message


def test_custom_tag_on_mapping_is_refused() -> None:
    assert refusal("a: !Ref {b: 1}\n")[:3] == ("LS006", 1, 4)


def test_duplicate_key() -> None:
    code, line, col, message = refusal("liftspec: 1\nlogging:\n  level: info\n  level: debug\n")
    assert (code, line, col) == ("LS002", 4, 3)
    assert "first defined at line 3" in message


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    assert refusal("\n".join(lines) + "\n")[0] == "LS007"


def test_deep_nesting_is_refused() -> None:
    assert refusal("a: " + "[" * 200 + "]" * 200 + "\n")[0] == "LS007"


def test_oversize_file() -> None:
    code, line, col, message = refusal(b"a: " + b"x" * 1_100_000)
    assert (code, line, col) == ("LS007", 1, 1)
    assert "1,000,000" in message


def test_empty_file_and_comments_only() -> None:
    assert refusal("")[:3] == ("LS005", 1, 1)
    assert refusal("# nothing here\n\n")[0] == "LS005"


def test_binary_junk() -> None:
    assert refusal(b"liftspec: 1\n\xff\xfe\x00garbage")[:3] == ("LS001", 2, 1)
    assert refusal(b"liftspec: 1\nservice: a\x00b\n")[:3] == ("LS001", 2, 11)


def test_yaml_syntax_error_position() -> None:
    code, line, _col, message = refusal("liftspec: 1\nservice: [a\nfunctions: {}\n")
    assert code == "LS001" and "YAML syntax error" in message
    assert line >= 2


def test_bad_indentation_position() -> None:
    code, line, _col, _ = refusal("logging:\n  level: info\n format: json\n")
    assert (code, line) == ("LS001", 3)


def test_top_level_must_be_mapping() -> None:
    assert refusal("- a\n- b\n")[:3] == ("LS004", 1, 1)


def test_multiple_documents() -> None:
    code, _, _, message = refusal("a: 1\n---\nb: 2\n")
    assert code == "LS001" and "more than one YAML document" in message


def test_non_string_key() -> None:
    assert refusal("? [a, b]\n: 1\n")[0] == "LS004"


def test_bom_is_accepted() -> None:
    assert load_text(read_text(b"\xef\xbb\xbfa: 1\n", "f"), "f").data == {"a": 1}


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_yaml_1_1_line_breaks_are_ordinary_characters_as_in_yaml_1_2(char: str) -> None:
    """libyaml (YAML 1.1) breaks lines at NEL, LS and PS; YAML 1.2 does not: values and marks follow 1.2."""
    text = f'liftspec: 1\nservice: s\ndescription: "a{char}b"\nfunctions: {{f: {{handler: a{char}b.c}}}}\nbad: [\n'
    with pytest.raises(LiftError) as raised:
        load_text(text, "lift.yaml")
    assert raised.value.diagnostics[0].line == 6  # no extra line counted for the break characters
    document = load_text(text.removesuffix("bad: [\n").replace("\ue000", "") + 'tags: {x: "\ue000"}\n', "lift.yaml")
    assert document.data["description"] == f"a{char}b" and document.data["functions"]["f"]["handler"] == f"a{char}b.c"
    assert document.data["tags"] == {"x": "\ue000"}  # a private-use character of the file itself is kept
