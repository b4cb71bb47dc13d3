"""JSON Schema (draft 2020-12) for lift.yaml, generated from the models."""

from __future__ import annotations

import copy
import json
from typing import Any

SCHEMA_ID = "https://liftspec.dev/schemas/lift.schema.json"


def json_schema() -> dict[str, Any]:
    from liftspec.model.spec import LiftSpec

    schema = LiftSpec.model_json_schema(by_alias=True, mode="validation")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
    # An overlay is a partial document: the same sections, none required.
    overlay = {
        "type": "object",
        "title": "Environment overlay",
        "description": "Deep-merged over the base: maps merge, lists and scalars replace, null resets to the default.",
        "additionalProperties": False,
        "properties": {
            key: _partial(value) for key, value in schema["properties"].items()
            if key not in ("liftspec", "service", "environments", "environment")
        },
    }
    schema["$defs"]["Overlay"] = overlay
    schema["properties"]["environments"]["additionalProperties"] = {"$ref": "#/$defs/Overlay"}
    return schema


def _partial(value: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(value)
    if "$ref" in out and len(out) > 1:
        out = {"allOf": [{"$ref": out.pop("$ref")}], **out}
    return {"anyOf": [out, {"type": "null"}]} if "default" in value or "$ref" in value else out


def render() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=False, ensure_ascii=False) + "\n"
