"""JSON Schema (draft 2020-12) for lift.yaml, generated from the models."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

# An identifier, not a location: the schema ships in the repository (schemas/lift.schema.json)
# and `liftspec schema` prints it; no web host serves it.
SCHEMA_ID = "urn:liftspec:schemas:lift:1"
_REF = "#/$defs/"


class _Generator(GenerateJsonSchema):
    def encode_default(self, dft: Any) -> Any:
        # Durations as the format spells them (30s, 14d), not ISO 8601, which the schema's own pattern rejects.
        if isinstance(dft, timedelta):
            from liftspec.model.units import format_duration

            return format_duration(dft)
        return super().encode_default(dft)


def model_schema(model: type[BaseModel] | None = None) -> dict[str, Any]:
    """A model's own schema (by default the whole lift.yaml), before overlays are added."""
    from liftspec.model.spec import LiftSpec

    return (model or LiftSpec).model_json_schema(by_alias=True, mode="validation", schema_generator=_Generator)


def json_schema() -> dict[str, Any]:
    schema = model_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
    defs: dict[str, Any] = schema["$defs"]
    # An overlay is a partial document: the same sections, nothing required, null resets a key.
    for name in list(defs):
        defs[name + "Overlay"] = _partial(defs[name])
    defs["Overlay"] = {
        "type": "object",
        "title": "Environment overlay",
        "description": "Deep-merged over the base: maps merge, lists and scalars replace, null resets to the default.",
        "additionalProperties": False,
        "properties": {
            key: _partial(value)
            for key, value in schema["properties"].items()
            if key not in ("liftspec", "service", "environments", "environment")
        },
    }
    environments = schema["properties"]["environments"]
    pattern = next(iter(environments.pop("patternProperties")))
    environments["propertyNames"] = {"pattern": pattern}
    environments["additionalProperties"] = {"$ref": _REF + "Overlay"}
    return schema


def _partial(node: Any) -> Any:
    """A copy of a schema node with nothing required, refs pointing at overlay defs, null allowed for properties."""
    if isinstance(node, list):
        return [_partial(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "required":
            continue
        if key == "$ref" and isinstance(value, str) and value.startswith(_REF):
            out[key] = value + "Overlay"
        elif key == "properties":
            out[key] = {name: {"anyOf": [_partial(sub), {"type": "null"}]} for name, sub in value.items()}
        else:
            out[key] = _partial(value)
    return out


def render() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


__all__ = ["json_schema", "model_schema", "render"]
