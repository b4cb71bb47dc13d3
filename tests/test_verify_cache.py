"""cfn-lint results are cached by the exact template text and the tools' versions: an unchanged compile does not
run cfn-lint again; a changed template, cfn-lint version or an unreadable entry does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fixtures.compile.support import copy_example, edit

from liftspec.pipeline import compile_file
from liftspec.verify import cfn_lint


def broken(self: object, text: str, region: str) -> list[object]:
    raise RuntimeError("cfn-lint ran")


def ids(path: Path, out: Path) -> list[str]:
    result = compile_file(str(path), out=str(out), cfn=True)
    assert result.verified
    return [d.id for d in result.diagnostics]


def test_an_unchanged_compile_does_not_run_cfn_lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = copy_example("webhook", tmp_path)
    assert ids(path, tmp_path / "a") == []
    monkeypatch.setattr(cfn_lint.Linter, "lint", broken)  # forked workers inherit it: any cfn-lint run is an LS704
    assert ids(path, tmp_path / "b") == []  # the same template text: the cached result
    edit(path, "memory: 256", "memory: 384")
    assert ids(path, tmp_path / "c") == ["LS704"]  # a new template is linted


def test_another_cfn_lint_version_or_an_unreadable_entry_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = copy_example("webhook", tmp_path)
    assert ids(path, tmp_path / "a") == []
    monkeypatch.setattr(cfn_lint.Linter, "lint", broken)
    installed = cfn_lint.version
    monkeypatch.setattr(cfn_lint, "version", lambda: "999.0.0")
    assert ids(path, tmp_path / "b") == ["LS704"]
    monkeypatch.setattr(cfn_lint, "version", installed)
    for entry in Path(os.environ["LIFTSPEC_CACHE_DIR"]).rglob("*.json"):
        entry.write_text("{", encoding="utf-8")
    assert ids(path, tmp_path / "c") == ["LS704"]
