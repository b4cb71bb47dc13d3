"""Output formats: SARIF 2.1.0 (validated against the official schema), JSON, GitHub commands, JUnit XML, text."""

from __future__ import annotations

import importlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fixtures.policy.lintkit import GOOD, HERE, at, liftspec, with_overlay

jsonschema = importlib.import_module("jsonschema")  # no type stubs in the environment

BAD = with_overlay(
    GOOD.replace("level: info", "level: debug")
    .replace("detailed: false", "detailed: true")
    .replace("architecture: arm64", "architecture: x86_64")
    .replace("  retention_days: 30\n", "")
    + '\npolicy:\n  ignore:\n    - {rule: LS101, path: logging, reason: "incident OPS-3", until: 2099-12-31}\n',
    "staging",
    "security: {require_https: false}",
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "lift.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "lift.yaml").write_text(GOOD, encoding="utf-8")
    return tmp_path


def _run(project: Path, *args: str) -> tuple[int, str]:
    result = liftspec("lint", "svc/lift.yaml", "clean/lift.yaml", *args, cwd=project)
    assert result.err == ""
    return result.code, result.out


def test_sarif_validates_against_the_sarif_2_1_0_schema(project: Path) -> None:
    code, out = _run(project, "--format", "sarif", "--show-suppressed")
    assert code == 1
    log = json.loads(out)
    schema = json.loads((HERE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(log)
    run = log["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert set(rules) == {"LS101", "LS102", "LS103", "LS201", "LS310"}
    assert rules["LS201"]["help"]["markdown"].startswith("**LS201 https-not-required**")
    assert "### Why is this bad" in rules["LS201"]["help"]["markdown"]
    assert rules["LS310"]["defaultConfiguration"]["level"] == "note"
    results = {(r["ruleId"], r["properties"]["environment"]): r for r in run["results"]}
    https = results[("LS201", "staging")]
    assert https["level"] == "warning"
    region = https["locations"][0]["physicalLocation"]["region"]
    line, col = at(BAD, "require_https: |false")
    assert region == {"startLine": line, "startColumn": col, "endLine": line, "endColumn": col + len("false")}
    assert https["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "svc/lift.yaml", "uriBaseId": "%SRCROOT%"}
    assert run["tool"]["driver"]["rules"][https["ruleIndex"]]["id"] == "LS201"
    waived = results[("LS101", "production")]
    assert waived["suppressions"][0]["kind"] == "external"
    assert waived["suppressions"][0]["justification"] == "incident OPS-3 (until 2099-12-31)"
    assert [a["location"]["uri"] for a in run["artifacts"]] == ["svc/lift.yaml", "clean/lift.yaml"]


def test_sarif_of_a_clean_run_validates_too(project: Path) -> None:
    result = liftspec("lint", "clean/lift.yaml", "--format", "sarif", cwd=project)
    assert result.code == 0
    schema = json.loads((HERE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(json.loads(result.out))


def test_outputs_are_byte_identical_across_runs(project: Path) -> None:
    for fmt in ("text", "json", "sarif", "github", "junit"):
        assert _run(project, "--format", fmt, "--show-suppressed") == _run(project, "--format", fmt, "--show-suppressed")


def test_json_lists_findings_with_env_path_and_fixability(project: Path) -> None:
    code, out = _run(project, "--format", "json", "--show-suppressed")
    assert code == 1
    report = json.loads(out)
    assert report["summary"] == {"files": 2, "errors": 1, "warnings": 2, "info": 1, "fixable": 2, "suppressed": 1}
    https = next(d for d in report["diagnostics"] if d["id"] == "LS201")
    assert https["env"] == "staging" and https["path"] == "security.require_https" and https["fixable"] is True
    assert https["name"] == "https-not-required"
    assert report["suppressed"][0]["suppression"]["reason"] == "incident OPS-3"


def test_github_annotations_are_escaped_workflow_commands(project: Path) -> None:
    code, out = _run(project, "--format", "github")
    assert code == 1
    lines = out.splitlines()
    line, col = at(BAD, "require_https: |false")
    https = next(entry for entry in lines if "LS201" in entry)
    assert https.startswith(
        f"::warning file=svc/lift.yaml,line={line},col={col},endLine={line},endColumn={col + 5},"
        "title=LS201 https-not-required::HTTPS is not required: requests"
    )
    assert "%0Ahint: set security.require_https: true" in https
    assert any(entry.startswith("::notice ") and "LS310" in entry for entry in lines)
    assert any(entry.startswith("::error ") and "LS102" in entry for entry in lines)
    assert any(entry.startswith("::warning ") and "LS103" in entry for entry in lines)


def test_junit_has_one_case_per_finding_and_a_passing_case_per_clean_file(project: Path) -> None:
    code, out = _run(project, "--format", "junit")
    assert code == 1
    root = ET.fromstring(out)
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {"svc/lift.yaml", "clean/lift.yaml"}
    failures = [case.find("failure") for case in suites["svc/lift.yaml"].iter("testcase")]
    assert sorted(str(f.get("type")) for f in failures if f is not None) == ["error", "info", "warning", "warning"]
    clean_cases = list(suites["clean/lift.yaml"].iter("testcase"))
    assert len(clean_cases) == 1 and clean_cases[0].find("failure") is None
    assert root.get("tests") == "5" and root.get("failures") == "4"


def test_text_is_ruff_style_with_env_and_hint(project: Path) -> None:
    code, out = _run(project)
    assert code == 1
    line, col = at(BAD, "require_https: |false")
    assert (
        f"svc/lift.yaml:{line}:{col}: LS201 warning: HTTPS is not required: requests over plain HTTP are accepted [staging]\n"
        "  hint: set security.require_https: true\n" in out
    )
    assert out.endswith("Found 4 problems (1 error, 2 warnings, 1 info).\n2 fixable with `liftspec lint --fix`.\n")


def test_output_file_is_written_whole(project: Path) -> None:
    result = liftspec("lint", "svc/lift.yaml", "--format", "sarif", "-o", "out/lint.sarif", cwd=project, real=True)
    assert result.code == 2 and "cannot write out/lint.sarif" in result.err
    result = liftspec("lint", "svc/lift.yaml", "--format", "sarif", "-o", "lint.sarif", cwd=project)
    assert (result.code, result.out) == (1, "")
    assert json.loads((project / "lint.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert sorted(p.name for p in project.iterdir()) == ["clean", "lint.sarif", "svc"]
