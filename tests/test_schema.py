"""The committed JSON Schema: current, valid draft 2020-12, documented, and accepting the examples."""

from __future__ import annotations

import json

import jsonschema
from paths import EXAMPLES, ROOT

from liftspec.load import load_path
from liftspec.model.schema import render

SCHEMA_PATH = ROOT / "schemas" / "lift.schema.json"


def test_committed_schema_is_current() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render(), "schemas/lift.schema.json is stale: run `make schema`"


def test_schema_is_valid_and_documents_keys() -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    runtime = schema["$defs"]["Runtime"]["properties"]
    assert "lambda" in runtime and runtime["memory"]["description"]
    assert runtime["memory"]["maximum"] == 10240
    assert "examples" in schema["$defs"]["Timeouts"]["properties"]["function"]


def test_examples_validate_against_schema_including_overlays() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))
    for path in EXAMPLES.glob("*/lift.yaml"):
        data = json.loads(json.dumps(load_path(str(path)).data, default=str))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], (path, errors)


def test_schema_rejects_unknown_key_in_overlay() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))
    doc = {"liftspec": 1, "service": "s", "functions": {"a": {"handler": "a.b"}}, "environments": {"dev": {"loging": {}}}}
    assert list(validator.iter_errors(doc))
