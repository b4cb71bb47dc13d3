"""Packs: which apply where, how they combine, user pack files, pyproject defaults, and the pack JSON Schema."""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pytest
from fixtures.policy.lintkit import GOOD, HERE, ROOT, at, liftspec, lint_text, where, with_overlay

from liftspec.check.options import LintOptions, load_config
from liftspec.check.packs import BUILTIN_PACKS, builtin, builtin_dir, default_packs, parse
from liftspec.diagnostics import UsageError
from liftspec.load import load_text

jsonschema = importlib.import_module("jsonschema")  # no type stubs in the environment

PACKS = HERE / "packs"
DEBUG = GOOD.replace("level: info", "level: debug")


@pytest.mark.parametrize(
    ("env", "packs"),
    [
        ("production", ["production"]),
        ("prod", ["production"]),
        ("staging", ["staging"]),
        ("dev", ["staging"]),
        ("qa-2", ["staging"]),
    ],
)
def test_default_packs_by_environment_name(env: str, packs: list[str]) -> None:
    assert default_packs(env) == packs


def test_every_environment_gets_baseline_and_its_own_packs() -> None:
    result = lint_text(with_overlay(GOOD, "staging", "tags: {a: b}"))
    assert {env.env: env.packs for env in result.envs} == {
        "production": ["baseline", "production"],
        "staging": ["baseline", "staging"],
    }


def test_policy_packs_replace_the_default_but_not_baseline() -> None:
    text = with_overlay(DEBUG, "qa", "policy: {packs: [baseline]}")
    result = lint_text(text)
    assert [(d.id, d.env) for d in result.diagnostics] == [("LS101", "production")]
    assert result.envs[1].packs == ["baseline"]


def test_policy_packs_cannot_replace_the_floor_of_production() -> None:
    text = with_overlay(DEBUG, "prod", "policy: {packs: [staging]}")
    result = lint_text(text)
    assert [(d.id, d.env) for d in result.diagnostics] == [("LS101", None), ("LS906", "prod")]  # None: in every env
    assert result.envs[1].packs == ["baseline", "staging", "production"]


def test_an_unknown_pack_name_is_ls900_with_a_suggestion() -> None:
    text = GOOD + "\npolicy:\n  packs: [producton]\n"
    result = lint_text(text)
    assert [where(d) for d in result.diagnostics] == [("LS900", *at(text, "packs: [|producton"))]
    assert result.diagnostics[0].hint == "did you mean 'production'?"


def test_a_missing_pack_file_is_ls900(tmp_path: Path) -> None:
    (tmp_path / "lift.yaml").write_text(GOOD + "\npolicy:\n  packs: [production, ./nope.yaml]\n", encoding="utf-8")
    result = liftspec("lint", "lift.yaml", cwd=tmp_path)
    assert result.code == 1
    assert "LS900 cannot read policy pack './nope.yaml': No such file or directory" in result.out


def test_an_invalid_pack_file_reports_each_problem_in_the_pack_file(tmp_path: Path) -> None:
    shutil.copy(PACKS / "broken.yaml", tmp_path / "broken.yaml")
    (tmp_path / "lift.yaml").write_text(GOOD + "\npolicy:\n  packs: [production, broken.yaml]\n", encoding="utf-8")
    result = liftspec("lint", "lift.yaml", "--format", "json", cwd=tmp_path)
    assert result.code == 1
    found = [(d["file"], d["line"], d["message"]) for d in json.loads(result.out)["diagnostics"]]
    pack = "broken.yaml"
    assert found == [
        (pack, 4, "policy pack: severity must be one of error, warning, info"),
        (pack, 5, "policy pack: unknown rule id 'LS999'"),
        (pack, 7, "policy pack: check id 'LS001' must be 2+ capital letters and 3 digits, not starting with LS"),
        (pack, 8, "policy pack: check name 'Bad Name' must be lowercase words joined by '-'"),
        (pack, 14, "policy pack: invalid JSON Schema: 12 is not valid under any of the given schemas"),
        (pack, 15, "policy pack: unknown key 'severty'"),
    ]


def test_the_strictest_setting_wins_and_no_waiver_sticks(tmp_path: Path) -> None:
    shutil.copy(PACKS / "strict-staging.yaml", tmp_path / "strict.yaml")
    text = with_overlay(
        GOOD.replace("require_https: true", "require_https: false"),
        "staging",
        'policy: {packs: [staging, strict.yaml], ignore: [{rule: LS201, reason: "x"}]}',
    )
    (tmp_path / "lift.yaml").write_text(text, encoding="utf-8")
    result = liftspec("lint", "lift.yaml", "--env", "staging", "--format", "json", cwd=tmp_path)
    found = sorted((d["id"], d["severity"]) for d in json.loads(result.out)["diagnostics"])
    assert found == [("LS201", "error"), ("LS904", "error")]


def test_a_pack_cannot_weaken_baseline(tmp_path: Path) -> None:
    shutil.copy(PACKS / "lenient.yaml", tmp_path / "lenient.yaml")
    text = GOOD.replace("memory: 512", "memory: 64") + "\npolicy:\n  packs: [production, lenient.yaml]\n"
    result = lint_text(text, file=str(tmp_path / "lift.yaml"))
    assert [(d.id, d.severity.value) for d in result.diagnostics] == [("LS304", "error")]


def test_builtin_packs_are_data_files_that_validate_against_the_pack_schema() -> None:
    schema = json.loads((ROOT / "schemas" / "pack.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    files = sorted(builtin_dir().glob("*.json"))
    assert [f.stem for f in files] == sorted(BUILTIN_PACKS)
    for file in [*files, ROOT / "examples" / "custom-pack" / "acme-pack.yaml"]:
        data = load_text(file.read_text(encoding="utf-8"), str(file)).data
        jsonschema.Draft202012Validator(schema).validate(data)
        assert parse(file.read_text(encoding="utf-8"), str(file), builtin=True)[1] == []


def test_the_pack_schema_rejects_what_the_loader_rejects() -> None:
    schema = json.loads((ROOT / "schemas" / "pack.schema.json").read_text(encoding="utf-8"))
    text = (PACKS / "broken.yaml").read_text(encoding="utf-8")
    assert not jsonschema.Draft202012Validator(schema).is_valid(load_text(text).data)
    pack, problems = parse(text, "broken.yaml")
    assert pack is None and problems


def test_production_is_strict_and_staging_is_mostly_warnings() -> None:
    production, staging = builtin("production"), builtin("staging")
    assert production.rules["LS102"].suppressible is False
    assert production.rules["LS201"].suppressible is False
    assert "LS101" not in staging.rules and "LS102" not in staging.rules
    assert {s.severity.value for rule, s in staging.rules.items() if rule != "LS208"} <= {"warning", "info"}
    assert set(staging.rules) <= set(production.rules)


def _pyproject(folder: Path, body: str) -> None:
    (folder / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.liftspec]\n' + body, encoding="utf-8")


def test_pyproject_sets_fail_on_and_extra_packs(tmp_path: Path) -> None:
    shutil.copy(PACKS / "strict-staging.yaml", tmp_path / "strict.yaml")
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "lift.yaml").write_text(GOOD.replace("architecture: arm64", "architecture: x86_64"), encoding="utf-8")
    plain = liftspec("lint", "svc/lift.yaml", cwd=tmp_path)
    assert plain.code == 0 and "LS310 info" in plain.out
    _pyproject(tmp_path, 'fail-on = "warning"\nextra-packs = ["strict.yaml"]\n')
    configured = liftspec("lint", "lift.yaml", cwd=tmp_path / "svc")  # found by walking up
    assert configured.code == 1 and "LS310 warning" in configured.out
    assert liftspec("lint", "svc/lift.yaml", "--isolated", cwd=tmp_path).code == 0
    assert liftspec("lint", "svc/lift.yaml", "--fail-on", "error", cwd=tmp_path).code == 0


def test_pyproject_default_packs(tmp_path: Path) -> None:
    _pyproject(tmp_path, 'default-packs = {"*" = ["production"]}\n')
    (tmp_path / "lift.yaml").write_text(with_overlay(DEBUG, "staging", "tags: {a: b}"), encoding="utf-8")
    result = liftspec("lint", "lift.yaml", "--format", "json", cwd=tmp_path)
    assert sorted(d["env"] or "all" for d in json.loads(result.out)["diagnostics"]) == ["all"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('fail-on = "sometimes"\n', "fail-on must be one of error, warning, info, never"),
        ('extra-packs = ["missing.yaml"]\n', "policy pack missing.yaml not found"),
        ('default-packs = {prod = ["strict"]}\n', "default-packs names unknown pack 'strict'"),
        ("colour = true\n", "unknown key 'colour'"),
    ],
)
def test_bad_pyproject_settings_are_usage_errors(tmp_path: Path, body: str, message: str) -> None:
    _pyproject(tmp_path, body)
    with pytest.raises(UsageError, match=message):
        load_config(str(tmp_path / "pyproject.toml"))
    (tmp_path / "lift.yaml").write_text(GOOD, encoding="utf-8")
    result = liftspec("lint", cwd=tmp_path)
    assert result.code == 2 and message in result.err


def test_options_without_config_are_the_documented_defaults() -> None:
    config = load_config(None)
    assert (config.fail_on, config.min_severity, config.format, config.options) == ("error", "info", "text", LintOptions())
