"""User packs with declarative JSON-Schema checks: the example pack, its findings, suppressions and docs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fixtures.policy.lintkit import ROOT, at, liftspec, lint_text, where

EXAMPLE = ROOT / "examples" / "custom-pack"
SERVICE = (EXAMPLE / "lift.yaml").read_text(encoding="utf-8")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLE / "acme-pack.yaml", tmp_path / "acme-pack.yaml")
    return tmp_path


def _lint(folder: Path, text: str, env: str | None = "production") -> list[tuple[str, int, int]]:
    return [where(d) for d in lint_text(text, env, file=str(folder / "lift.yaml")).diagnostics]


def test_the_example_service_is_clean_with_its_pack(copy: Path) -> None:
    assert _lint(copy, SERVICE, None) == []


def test_a_missing_tag_points_at_the_tags(copy: Path) -> None:
    text = SERVICE.replace('tags: {team: inventory, cost-center: "5120"}', "tags: {team: inventory}")
    assert _lint(copy, text) == [("ACME001", *at(text, "tags: |{team"))]
    result = lint_text(text, "production", file=str(copy / "lift.yaml"))
    assert result.diagnostics[0].message == "cost allocation: 'cost-center' is a required property"


def test_a_check_without_a_place_in_the_document_uses_its_path(copy: Path) -> None:
    text = SERVICE.replace("region: eu-west-1\n", "")
    assert _lint(copy, text) == [("ACME002", *at(text, "|liftspec: 1"))]
    text = SERVICE.replace("region: eu-west-1", "region: ap-south-1")
    assert _lint(copy, text) == [("ACME002", *at(text, "region: |ap-south-1"))]


def test_effective_values_point_where_they_are_written(copy: Path) -> None:
    text = (
        SERVICE.replace("  memory: 512", "  memory: 4096")
        .replace("function: 10s", "function: 20s")
        .replace("request: 9s", "request: 19s")
    )
    assert sorted(_lint(copy, text)) == [("ACME003", *at(text, "memory: |4096")), ("ACME004", *at(text, "function: |20s"))]


def test_the_pack_raises_builtin_rules(copy: Path) -> None:
    text = SERVICE.replace("architecture: arm64", "architecture: x86_64")
    result = lint_text(text, "production", file=str(copy / "lift.yaml"))
    assert [(d.id, d.severity.value) for d in result.diagnostics] == [("LS310", "warning")]


def test_checks_can_be_suppressed_unless_the_pack_forbids_it(copy: Path) -> None:
    text = SERVICE.replace("  memory: 512", "  memory: 4096  # liftspec: ignore[ACME003] review PLAT-88 approved 4 GB")
    assert _lint(copy, text) == []
    text = SERVICE.replace(
        'tags: {team: inventory, cost-center: "5120"}', "tags: {team: inventory}  # liftspec: ignore[ACME001] no budget yet"
    )
    assert sorted(d[0] for d in _lint(copy, text)) == ["ACME001", "LS904"]


def test_explain_and_rules_read_the_pack() -> None:
    explained = liftspec("explain", "ACME001", "--pack", str(EXAMPLE / "acme-pack.yaml"))
    assert explained.code == 0
    assert explained.out.startswith("ACME001 cost-center-tag: Every service carries a four-digit cost-center tag\n")
    assert "## Why is this bad\nFinance allocates" in explained.out
    listed = liftspec("rules", "--pack", str(EXAMPLE / "acme-pack.yaml"))
    assert "ACME004  http-timeout-budget" in listed.out


def test_the_cli_lints_the_example_with_its_pack_and_sarif_carries_the_check_docs(copy: Path) -> None:
    import json

    (copy / "lift.yaml").write_text(SERVICE.replace("region: eu-west-1", "region: ap-south-1"), encoding="utf-8")
    result = liftspec("lint", "lift.yaml", "--format", "sarif", cwd=copy)
    assert result.code == 1
    rules = json.loads(result.out)["runs"][0]["tool"]["driver"]["rules"]
    assert [(r["id"], r["name"]) for r in rules] == [("ACME002", "approved-region")]
