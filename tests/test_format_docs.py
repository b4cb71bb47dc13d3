"""docs/format.md is generated from the models: current, complete, and robust to keys added later."""

from __future__ import annotations

import re
from datetime import timedelta

from fixtures.policy.lintkit import ROOT, liftspec
from pydantic import BaseModel, Field

from liftspec.check.format_docs import _model_rows, markdown, rows
from liftspec.model.schema import model_schema
from liftspec.model.units import Duration

FORMAT_MD = ROOT / "docs" / "format.md"


def test_docs_format_md_is_up_to_date() -> None:
    assert FORMAT_MD.read_text(encoding="utf-8") == markdown(), "docs/format.md is stale: run `make docs`"


def test_the_cli_generates_the_same_markdown() -> None:
    assert liftspec("schema", "--format", "markdown").out == FORMAT_MD.read_text(encoding="utf-8")


def test_every_key_of_the_schema_has_a_described_row() -> None:
    schema = model_schema()
    names = set(schema["properties"])
    for definition in schema["$defs"].values():
        names |= set(definition.get("properties", {}))
    documented = {row.key.rsplit(".", 1)[-1].removesuffix("[]") for row in rows()}
    assert names <= documented, names - documented
    text = FORMAT_MD.read_text(encoding="utf-8")
    for row in rows():
        assert row.description, f"{row.key} has no description: give its Field a description="
        assert f"| `{row.key}` |" in text


def test_types_and_defaults_are_the_format_spelling() -> None:
    table = {row.key: row for row in rows()}
    assert table["timeouts.function"].type == "duration" and table["timeouts.function"].default == "`30s`"
    assert table["dead_letter.retention"].default == "`14d`"
    assert table["alarms.error_rate.threshold"].type == "percentage"
    assert table["runtime.memory"].type == "whole MB, 128..10240"
    assert table["functions.<name>.handler"].default == "required"
    assert (
        table["security.headers.content_security_policy"].default
        == """`{default-src: ["'none'"], frame-ancestors: ["'none'"]}`"""
    )


def test_a_key_added_to_the_model_is_documented_with_its_description() -> None:
    class Build(BaseModel):
        """How the code is built."""

        tool: str = Field("go", description="The build tool.")
        timeout: Duration = Field(timedelta(minutes=2), description="Build timeout.")

    class Fn(BaseModel):
        build: Build | None = Field(None, description="Build settings.")
        steps: list[Build] = Field(default_factory=list, description="Steps.")
        named: dict[str, Build] = Field(default_factory=dict, description="Named builds.")

    schema = model_schema(Fn)
    got = [(r.key, r.type, r.default, r.description) for r in _model_rows(Fn, schema, schema["$defs"], "fn.")]
    assert got == [
        ("fn.build", "map (keys below)", "unset", "Build settings."),
        ("fn.build.tool", "string", "`go`", "The build tool."),
        ("fn.build.timeout", "duration", "`2m`", "Build timeout."),
        ("fn.steps", "list of maps (keys below)", "`[]`", "Steps."),
        ("fn.steps[].tool", "string", "`go`", "The build tool."),
        ("fn.steps[].timeout", "duration", "`2m`", "Build timeout."),
        ("fn.named", "map of names to maps (keys below)", "`{}`", "Named builds."),
        ("fn.named.<name>.tool", "string", "`go`", "The build tool."),
        ("fn.named.<name>.timeout", "duration", "`2m`", "Build timeout."),
    ]


def test_rule_links_and_ids_exist() -> None:
    text = FORMAT_MD.read_text(encoding="utf-8")
    rules = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    anchors = set(re.findall(r"^## (LS\d{3})$", rules, flags=re.M))
    linked = set(re.findall(r"\(rules\.md#(ls\d{3})\)", text))
    assert len(linked) > 20
    assert {a.upper() for a in linked} <= anchors


def test_nothing_points_outside_the_repository() -> None:
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "schemas" / "lift.schema.json"]:
        text = path.read_text(encoding="utf-8")
        assert "../shared" not in text and "liftspec.dev" not in text, path
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
            if not target.startswith(("http://", "https://")):
                assert (path.parent / target).exists(), (path, target)


def test_the_schema_names_no_made_up_host_and_points_at_the_reference() -> None:
    import json

    schema = json.loads((ROOT / "schemas" / "lift.schema.json").read_text(encoding="utf-8"))
    assert schema["$id"].startswith("urn:")  # an identifier, not a URL that does not resolve
    assert "docs/format.md" in schema["description"]
    assert (ROOT / "docs" / "format.md").exists()
