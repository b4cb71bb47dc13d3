"""One locator (SourceMap.locate): a finding about a value an environment's overlay reset with `null` points at
that null, in lint (rules, through the engine) and in compile (code folder findings) alike."""

from __future__ import annotations

from pathlib import Path

from fixtures.policy.lintkit import GOOD, at, lint_text, where, with_overlay

from liftspec.load import load_text
from liftspec.pipeline import compile_file
from liftspec.resolve import resolve

WITH_CODE = GOOD.replace("runtime:\n", "runtime:\n  code: app/\n", 1)


def test_a_rule_finding_on_a_reset_value_points_at_the_null() -> None:
    text = with_overlay(GOOD, "production", "logging: {retention_days: null}")  # back to the default: kept forever
    assert [where(d) for d in lint_text(text, "production").diagnostics] == [("LS103", *at(text, "retention_days: |null"))]


def test_a_path_below_a_reset_points_at_the_null_and_other_environments_keep_the_value() -> None:
    text = with_overlay(GOOD, "staging", "tracing: null")
    null = at(text, "tracing: |null")
    staging = resolve(load_text(text), "staging").source
    assert (staging.locate(("tracing", "enabled")).line, staging.locate(("tracing", "enabled")).col) == null
    assert (staging.locate(("tracing",)).line, staging.locate(("tracing",)).col) == null
    production = resolve(load_text(text), "production").source.locate(("tracing", "enabled"))
    assert (production.line, production.col) == at(text, "tracing: {enabled: |true}")


def test_a_compile_finding_on_a_reset_value_points_at_the_null(tmp_path: Path) -> None:
    text = with_overlay(WITH_CODE, "production", "runtime: {code: null}")
    for folder in (tmp_path / "app", tmp_path / "src"):
        folder.mkdir(exist_ok=True)
        (folder / "app.py").write_text("def handler(event, context):\n    return {}\n", encoding="utf-8")
        (folder / "jobs.py").write_text("def nightly(event, context):\n    return None\n", encoding="utf-8")
    lift = tmp_path / "lift.yaml"
    lift.write_text(text, encoding="utf-8")
    # production's code is the default, src/, which holds the output folder
    result = compile_file(str(lift), str(tmp_path / "src" / "build"), env="production", verify=False, check=True)
    assert [where(d) for d in result.diagnostics] == [("LS721", *at(text, "code: |null"))]
