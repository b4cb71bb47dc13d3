"""`liftspec compile` on the command line: what it prints and its exit status (0 ok, 1 findings, 2 usage or I/O)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.compile.support import copy_example, edit, line_of, snapshot

from liftspec.cli.main import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_compile_writes_and_says_where(tmp_path: Path) -> None:
    path = copy_example("worker", tmp_path)
    code, out, err = run("compile", str(path), "--no-verify")
    assert (code, out) == (0, "")
    assert f"wrote {tmp_path}/worker/build/lift/production [production]" in err and "not verified (--no-verify)" in err
    code, out, err = run("compile", str(path), "--no-verify")
    assert code == 0 and "up to date" in err


def test_errors_are_printed_like_lint_and_block_the_output(tmp_path: Path) -> None:
    path = copy_example("worker", tmp_path)
    edit(path, "memory: 2048", "memory: lots")
    code, out, err = run("compile", str(path), "--no-verify")
    assert code == 1
    assert out.startswith(f"{path}:{line_of(path, 'memory: lots')}:11: LS004 ")
    assert "not compiled" in err and not (path.parent / "build").exists()


def test_usage_and_io_errors_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("compile", str(tmp_path / "nope.yaml"))[0] == 2
    path = copy_example("webhook", tmp_path)
    code, out, _ = run("compile", str(path), "--env", "prodution", "--no-verify")
    assert code == 2 and "LS009" in out and "did you mean 'production'" in out
    code, _, err = run("compile", str(path), "--out", str(path.parent), "--no-verify")
    assert code == 2 and "holds the lift.yaml" in err
    monkeypatch.chdir(tmp_path)
    assert run("compile")[0] == 2  # no FILE and no ./lift.yaml


def test_check_exit_status_and_changes(tmp_path: Path) -> None:
    path = copy_example("order-service", tmp_path)
    assert run("compile", str(path), "--no-verify")[0] == 0
    assert run("compile", str(path), "--no-verify", "--check")[0] == 0
    edit(path, "memory: 1024", "memory: 2048")
    before = snapshot(path.parent / "build")
    code, out, err = run("compile", str(path), "--no-verify", "--check")
    assert code == 1
    assert "out of date" in out and "    ApiFunction.MemorySize: 1024 → 2048" in out.splitlines()
    assert "run `liftspec compile`" in err
    assert snapshot(path.parent / "build") == before


def test_verified_compile_with_cfn(tmp_path: Path) -> None:
    path = copy_example("webhook", tmp_path)
    code, out, err = run("compile", str(path), "--cfn", "--out", str(tmp_path / "out"))
    assert (code, out) == (0, "")
    assert "verified with the SAM translator and cfn-lint" in err and "after the SAM transform" in err
    assert (tmp_path / "out" / "template.json").is_file()


def test_help_documents_the_default_output_folder() -> None:
    code, out, _ = run("compile", "--help")
    assert code == 0 and "build/lift/<env>" in out and "--check" in out and "--cfn" in out
