"""Editors and lint agree: the JSON Schema accepts exactly the durations, percentages and sizes the loader does.

Each generated value is written into a lift.yaml as YAML text, so the two see the same thing an editor
and `liftspec lint` see: the schema validates the loaded document, lint reports (or not) a schema code.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from fixtures.policy.lintkit import GOOD, ROOT, lint_text
from hypothesis import example, given, settings
from hypothesis import strategies as st

from liftspec.diagnostics import LiftError
from liftspec.load import load_text
from liftspec.model.units import DURATION_PATTERN, PERCENT_PATTERN

SCHEMA = json.loads((ROOT / "schemas" / "lift.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

MINIMAL = """\
liftspec: 1
service: svc
functions:
  job: {{handler: app.handler, schedule: rate(1 day)}}
{section}
"""


def tokens(valid_pattern: str, alphabet: str) -> st.SearchStrategy[str]:
    """YAML scalar text: valid spellings, near misses from the same characters, and numbers of every kind."""
    return st.one_of(
        st.from_regex(valid_pattern, fullmatch=True).filter(lambda t: "\n" not in t),
        st.text(alphabet, min_size=1, max_size=14).filter(lambda t: t.strip() == t and not t.startswith(("-", "%"))),
        st.integers(-(10**12), 10**12).map(str),
        st.floats(allow_nan=False, allow_infinity=False).map(repr),
        st.sampled_from(["true", "false", "null", "~", ".inf", ".nan", "''", '""', "1e3", "0x10", "0o7", "1_000"]),
    )


def _verdicts(text: str, codes: tuple[str, ...] = ()) -> tuple[bool, bool]:
    """(the schema accepts the document, lint reports no schema code and none of ``codes``)."""
    try:
        data = load_text(text, "lift.yaml").data
    except LiftError:
        return False, False  # not even YAML that both could read; nothing to compare
    try:
        schema_ok = VALIDATOR.is_valid(json.loads(json.dumps(data, default=str, allow_nan=False)))
    except ValueError:
        schema_ok = False  # .nan and .inf are no JSON value: no schema can accept them
    found = {d.id for d in lint_text(text).diagnostics}
    lint_ok = not any(code.startswith("LS00") or code in codes for code in found)
    return schema_ok, lint_ok


def _quoted(token: str) -> list[str]:
    return [token, json.dumps(token)]  # plain (YAML decides the type) and as a string


@settings(max_examples=120, deadline=None)
@given(tokens(DURATION_PATTERN, "0123456789.mshd s"))
@example("20 s")
@example("PT30S")
@example("1.5s")
@example("30")
@example("0.0001s")
@example("123456789s")
@example("9999999999")
@example("10000000000")
@example(" 5m")
def test_durations(token: str) -> None:
    for text in _quoted(token):
        schema_ok, lint_ok = _verdicts(MINIMAL.format(section=f"dead_letter: {{retention: {text}}}"))
        assert schema_ok == lint_ok, (text, schema_ok, lint_ok)


@settings(max_examples=120, deadline=None)
@given(tokens(PERCENT_PATTERN, "0123456789.% "))
@example("5%")
@example("5 %")
@example("-5%")
@example("5")
@example("0.5%")
@example("%")
@example("99999999.5%")
def test_percentages(token: str) -> None:
    for text in _quoted(token):
        section = f"alarms: {{error_rate: {{threshold: {text}}}}}"
        schema_ok, lint_ok = _verdicts(MINIMAL.format(section=section))
        assert schema_ok == lint_ok, (text, schema_ok, lint_ok)


@settings(max_examples=80, deadline=None)
@given(st.one_of(st.integers(-100, 20000).map(str), tokens(r"[0-9]{3,5}", "0123456789.")))
@example("512")
@example("127")
@example("10240")
@example("10241")
@example("512.0")
@example("true")
def test_sizes(token: str) -> None:
    # The range is the schema's and LS304's (a rule, so that it can explain itself): lint reports it in production.
    for text in _quoted(token):
        schema_ok, lint_ok = _verdicts(GOOD.replace("memory: 512", f"memory: {text}"), codes=("LS304",))
        assert schema_ok == lint_ok, (text, schema_ok, lint_ok)


def _nodes(node: Any) -> Any:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


def test_every_default_in_the_schema_validates_against_its_own_node() -> None:
    checked = 0
    for node in _nodes(SCHEMA):
        if "default" in node and "type" not in node.get("properties", {}):
            sub = {"$defs": SCHEMA["$defs"], **{k: v for k, v in node.items() if k != "default"}}
            errors = list(jsonschema.Draft202012Validator(sub).iter_errors(node["default"]))
            assert errors == [], (node["default"], [e.message for e in errors])
            checked += 1
    assert checked > 50


@pytest.mark.parametrize(("value", "seconds"), [("1.5s", 1.5), ("0.5ms", 0.001), ("0.0005s", None), ("2d", 172800)])
def test_duration_arithmetic_is_exact(value: str, seconds: float | None) -> None:
    from pydantic import TypeAdapter, ValidationError

    from liftspec.model.units import Duration

    adapter: TypeAdapter[Any] = TypeAdapter(Duration)
    if seconds is None:
        with pytest.raises(ValidationError):
            adapter.validate_python(value)
    else:
        assert adapter.validate_python(value).total_seconds() == seconds
