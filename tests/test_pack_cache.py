"""User packs are cached per run (LintOptions), never per process: a report names a user check as the packs of
its own run define it, whatever the process linted before."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from liftspec.check.options import LintOptions
from liftspec.cli.lintrun import lint_files, render, shown_of

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "custom-pack"


def _service(folder: Path, check_name: str) -> str:
    folder.mkdir()
    shutil.copytree(EXAMPLE / "src", folder / "src")
    pack = (EXAMPLE / "acme-pack.yaml").read_text(encoding="utf-8")
    (folder / "acme-pack.yaml").write_text(pack.replace("name: approved-region", f"name: {check_name}"), encoding="utf-8")
    service = (EXAMPLE / "lift.yaml").read_text(encoding="utf-8").replace("region: eu-west-1", "region: ap-south-1")
    (folder / "lift.yaml").write_text(service, encoding="utf-8")
    return str(folder / "lift.yaml")


def _names(file: str, fmt: str) -> list[str]:
    run = lint_files([file], "production")
    report = render(run, fmt, shown_of(run, "info"), False, False)
    if fmt == "sarif":
        return [rule["name"] for rule in json.loads(report)["runs"][0]["tool"]["driver"]["rules"]]
    return [d["name"] for d in json.loads(report)["diagnostics"]]


def test_a_report_names_the_checks_of_its_own_runs_packs(tmp_path: Path) -> None:
    first = _service(tmp_path / "a", "approved-region")
    second = _service(tmp_path / "b", "allowed-region")  # the same id, another name, in another pack file
    for fmt in ("json", "sarif"):
        assert _names(first, fmt) == ["approved-region"]
        assert _names(second, fmt) == ["allowed-region"]
        assert _names(first, fmt) == ["approved-region"]


def test_options_share_their_pack_cache_and_keep_it_out_of_their_key(tmp_path: Path) -> None:
    file = _service(tmp_path / "a", "approved-region")
    options = LintOptions()
    lint_files([file], "production", options)
    assert options.packs.read == {str(tmp_path / "a" / "acme-pack.yaml")}
    assert [pack.name for pack in options.packs.user_packs()] == ["acme-platform"]
    assert options == LintOptions() and repr(options) == repr(LintOptions())  # the run cache key (make_cache) is unchanged
    assert LintOptions().packs.read == set()
