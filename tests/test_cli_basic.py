"""The CLI as users run it: a real subprocess, exit codes, output format, colour rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from paths import EXAMPLES, ROOT

import liftspec


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "liftspec", *args], capture_output=True, text=True, cwd=cwd or ROOT, env=full_env
    )


def test_examples_lint_clean() -> None:
    files = sorted(str(p) for p in EXAMPLES.glob("*/lift.yaml"))
    assert len(files) >= 3
    result = run("lint", *files)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_findings_exit_1_with_ruff_style_lines(write) -> None:
    path = write("liftspec: 1\nservice: s\nfunctions:\n  api: {handler: a.b}\nlogging:\n  retention_dayz: 30\n")
    result = run("lint", str(path), env={"NO_COLOR": "1"})
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{path}:6:3: LS003 unknown key 'retention_dayz' in logging; did you mean 'retention_days'?")
    assert lines[1] == "  hint: rename it to 'retention_days'"
    assert lines[-1] == "Found 1 problem (1 error)."
    assert "\x1b[" not in result.stdout


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("lint", str(tmp_path / "absent.yaml"))
    assert result.returncode == 2
    assert "LS000" in result.stdout + result.stderr and "Traceback" not in result.stdout + result.stderr


def test_unreadable_directory_argument_without_lift_files(tmp_path: Path) -> None:
    result = run("lint", cwd=tmp_path)
    assert result.returncode == 2 and "no lift.yaml" in result.stderr


def test_folder_argument_finds_lift_files() -> None:
    result = run("lint", str(EXAMPLES))
    assert result.returncode == 0 and result.stdout == ""


def test_version_and_help() -> None:
    assert run("--version").stdout.strip() == f"liftspec, version {liftspec.__version__}"
    help_text = run("--help").stdout
    assert "Examples:" in help_text and "lint" in help_text and "schema" in help_text
    assert "Examples:" in run("lint", "--help").stdout


def test_colour_only_on_tty_and_never_with_no_color(write) -> None:
    from liftspec.report.text import render, use_colour

    path = write("liftspec: 1\nservice: s\nfunctions: {api: {handler: 1.5, zz: 1}}\n")
    diagnostics = liftspec.lint(path).diagnostics

    class Tty:
        def isatty(self) -> bool:
            return True

    assert "\x1b[" in render(diagnostics, colour=True)
    assert use_colour(Tty()) is True  # type: ignore[arg-type]
    old = os.environ.pop("NO_COLOR", None)
    try:
        os.environ["NO_COLOR"] = "1"
        assert use_colour(Tty()) is False  # type: ignore[arg-type]
    finally:
        os.environ.pop("NO_COLOR", None)
        if old is not None:
            os.environ["NO_COLOR"] = old


def test_init_writes_a_file_that_lints_clean(tmp_path: Path) -> None:
    folder = tmp_path / "billing-api"
    folder.mkdir()
    result = run("init", cwd=folder)
    assert result.returncode == 0
    text = (folder / "lift.yaml").read_text()
    assert "service: billing-api" in text and "#" in text
    lint = run("lint", str(folder / "lift.yaml"))
    assert (lint.returncode, lint.stdout) == (0, "")
    assert (folder / "src" / "app.py").is_file()
    compiled = run("compile", str(folder / "lift.yaml"), "--no-verify")
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    again = run("init", cwd=folder)
    assert again.returncode == 2 and "exists" in again.stderr


def test_schema_command_prints_json_schema() -> None:
    result = run("schema")
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "functions" in schema["required"]


def test_api_lint_returns_results_without_printing(capsys, write) -> None:
    path = write("liftspec: 1\nservice: s\nfunctions: {api: {handler: a.b}}\n")
    result = liftspec.lint(path, policies=False)
    assert result.diagnostics == [] and not result.failed()
    assert liftspec.lint(path).diagnostics, "a bare file gets production policy findings"
    assert capsys.readouterr().out == ""


def test_usage_errors_of_any_command_end_with_a_message_and_exit_2(tmp_path: Path) -> None:
    result = run("diff", str(EXAMPLES / "order-service" / "lift.yaml"), "--env", "production", "--out", str(tmp_path / "none"))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
