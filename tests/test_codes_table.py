"""Codes are values: one table (liftspec/codes.py, plus the rules that `@rule` registers into it), referenced
as constants everywhere else; no code id is a string literal outside the places that define a code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from fixtures.policy.lintkit import ROOT

from liftspec import codes
from liftspec.check.codes import all_codes
from liftspec.check.rule import RULES

PACKAGE = ROOT / "liftspec"
CODE_ID = re.compile(r"LS\d{3}")
# Where a code is defined: the table itself, and the first argument of a rule's registration.
DEFINING_CALLS = {"rule", "Guarantee"}
# Literal ids that are text, not references: the example of a `policy.ignore` rule id in the JSON Schema.
TEXT = {("liftspec/model/spec.py", "LS507")}


def _modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if path != PACKAGE / "codes.py")


def _name(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def literal_ids(text: str, rel: str) -> list[tuple[int, str]]:
    """(line, id) of every string literal that is a code id and does not define a code."""
    tree = ast.parse(text)
    defining = {
        id(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _name(node.func) in DEFINING_CALLS and node.args
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CODE_ID.fullmatch(node.value)
        and id(node) not in defining
        and (rel, node.value) not in TEXT
    ]


def referenced_constants() -> set[str]:
    """The names of liftspec.codes constants used as ``codes.NAME`` anywhere in liftspec."""
    out: set[str] = set()
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "codes":
                out.add(node.attr)
    return out


CONSTANTS = {name: value for name, value in vars(codes).items() if isinstance(value, codes.Code)}


def test_no_code_id_is_a_string_literal_outside_the_table() -> None:
    found = {}
    for path in _modules():
        rel = path.relative_to(ROOT).as_posix()
        found[rel] = literal_ids(path.read_text(encoding="utf-8"), rel)
    assert {rel: ids for rel, ids in found.items() if ids} == {}


def test_the_literal_check_tells_a_definition_from_a_reference() -> None:
    text = 'rule("LS101", "x")\nif d.id == "LS009":\n    pass\nGuarantee("LS801")\nf("see LS101")\n'
    assert literal_ids(text, "liftspec/x.py") == [(2, "LS009")]
    assert literal_ids('Field(examples=["LS507"])', "liftspec/model/spec.py") == []


def test_every_table_constant_is_used_by_the_stage_that_reports_it() -> None:
    unused = sorted(set(CONSTANTS) - referenced_constants())
    assert unused == []


@pytest.mark.parametrize("name", sorted(CONSTANTS))
def test_a_constant_is_registered_under_its_id_with_the_kind_of_its_range(name: str) -> None:
    code = CONSTANTS[name]
    assert codes.TABLE[code.id] is code
    assert name == code.name.upper().replace("-", "_")
    kind = {"LS0": "schema", "LS7": "compile", "LS9": "policy"}[code.id[:3]]
    assert code.kind == kind


def test_rules_register_into_the_one_table() -> None:
    table = {code.id: code for code in all_codes()}
    assert RULES and all(table[rule_id] is rule for rule_id, rule in RULES.items())
    assert set(table) == set(CONSTANTS[name].id for name in CONSTANTS) | set(RULES)
    assert table["LS801"].kind == "rule"  # the LS80x rules register through rule() in a loop


def test_a_code_id_defined_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="LS101 defined twice"):
        codes.register(codes.Code("LS101", "another-name", "x", codes.Docs("a", "b", "c", "d")))
    with pytest.raises(ValueError, match="debug-logs defined twice"):
        codes.register(codes.Code("LS999", "debug-logs", "x", codes.Docs("a", "b", "c", "d")))
    assert "LS999" not in codes.TABLE


def test_compile_codes_have_their_own_severity() -> None:
    assert codes.CFN_LINT_WARNING.severity == "warning" and codes.SAM_TRANSLATOR_ERROR.severity == "error"
    assert {c.id for c in CONSTANTS.values() if c.kind == "compile" and c.severity == "warning"} == {
        "LS703",
        "LS713",
        "LS719",
        "LS721",
        "LS725",
    }


def test_every_module_of_the_rules_folder_registers_its_rules() -> None:
    import sys

    import liftspec.check.rules as rules

    folder = PACKAGE / "check" / "rules"
    expected = sorted(path.stem for path in folder.glob("*.py") if path.stem != "__init__")
    assert list(rules.MODULES) == expected
    assert all(f"liftspec.check.rules.{name}" in sys.modules for name in expected)
    modules = {rule.function.__module__ for rule in RULES.values() if rule.function is not None}
    assert modules == {f"liftspec.check.rules.{name}" for name in expected}
