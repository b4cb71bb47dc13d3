"""`liftspec lint` as CI runs it: exit codes, thresholds, several files in one process, lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.policy.lintkit import GOOD, ROOT, liftspec, with_overlay

WARN_ONLY = GOOD.replace("  retention_days: 30\n", "")  # LS103: a warning
INFO_ONLY = GOOD.replace("architecture: arm64", "architecture: x86_64")  # LS310: info


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name, text in (("a", GOOD), ("b", WARN_ONLY), ("c", INFO_ONLY)):
        (tmp_path / "services" / name).mkdir(parents=True)
        (tmp_path / "services" / name / "lift.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_warnings_and_info_are_shown_but_pass_by_default(tree: Path) -> None:
    result = liftspec("lint", "services/", cwd=tree, real=True)
    assert result.code == 0
    assert "services/b/lift.yaml:26:1: LS103 warning: no log retention is set" in result.out
    assert "services/c/lift.yaml:8:17: LS310 info: functions 'api', 'nightly' run on x86_64" in result.out


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on(tree: Path, fail_on: str, code: int) -> None:
    assert liftspec("lint", "services/", "--fail-on", fail_on, cwd=tree).code == code


def test_min_severity_hides_and_does_not_fail(tree: Path) -> None:
    result = liftspec("lint", "services/", "--min-severity", "error", "--fail-on", "warning", cwd=tree)
    assert (result.code, result.out) == (0, "")
    result = liftspec("lint", "services/", "--min-severity", "warning", cwd=tree)
    assert "LS103" in result.out and "LS310" not in result.out


def test_several_files_in_one_call_report_each_file(tree: Path) -> None:
    (tree / "services" / "d").mkdir()
    (tree / "services" / "d" / "lift.yaml").write_text(GOOD.replace("detailed: false", "detailed: true"), encoding="utf-8")
    result = liftspec("lint", "services/b/lift.yaml", "services/d/lift.yaml", "--format", "json", cwd=tree)
    assert result.code == 1
    report = json.loads(result.out)
    assert report["summary"]["files"] == 2
    assert [(d["file"], d["id"]) for d in report["diagnostics"]] == [
        ("services/b/lift.yaml", "LS103"),
        ("services/d/lift.yaml", "LS102"),
    ]


def test_a_missing_file_is_exit_2_and_the_others_are_still_linted(tree: Path) -> None:
    result = liftspec("lint", "services/b/lift.yaml", "nope/lift.yaml", cwd=tree, real=True)
    assert result.code == 2
    assert "nope/lift.yaml:1:1: LS000 cannot read nope/lift.yaml: No such file or directory" in result.out
    assert "LS103" in result.out


def test_a_folder_without_lift_yaml_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = liftspec("lint", "empty", cwd=tmp_path)
    assert result.code == 2 and "no lift.yaml below empty" in result.err


def test_an_unknown_environment_is_exit_2(tree: Path) -> None:
    result = liftspec("lint", "services/a/lift.yaml", "--env", "prodution", cwd=tree)
    assert result.code == 2 and "LS009 unknown environment 'prodution'" in result.out


def test_schema_errors_stop_the_policies_for_that_file(tmp_path: Path) -> None:
    (tmp_path / "lift.yaml").write_text(GOOD.replace("level: info", "levle: debug"), encoding="utf-8")
    result = liftspec("lint", "lift.yaml", cwd=tmp_path)
    assert result.code == 1
    assert "LS003 unknown key 'levle' in logging; did you mean 'level'?" in result.out
    assert "LS101" not in result.out


def test_env_option_lints_one_environment(tmp_path: Path) -> None:
    text = with_overlay(GOOD, "prod", "logging: {level: debug}")
    (tmp_path / "lift.yaml").write_text(text, encoding="utf-8")
    assert liftspec("lint", "lift.yaml", "--env", "production", cwd=tmp_path).code == 0
    result = liftspec("lint", "lift.yaml", "--env", "prod", cwd=tmp_path)
    assert result.code == 1 and "[prod]" in result.out


def test_fix_and_diff_together_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "lift.yaml").write_text(GOOD, encoding="utf-8")
    assert liftspec("lint", "--fix", "--diff", cwd=tmp_path, real=True).code == 2


def test_explain_every_code_including_schema_codes() -> None:
    for code in ("LS003", "LS101", "ls204", "debug-logs", "LS903"):
        result = liftspec("explain", code)
        assert result.code == 0, code
        assert "## What it does" in result.out and "## Fix" in result.out
    unknown = liftspec("explain", "LS2O4")
    assert unknown.code == 2 and "did you mean" in unknown.err


def _after_lint(report: str) -> list[str]:
    """What `report` prints (Python, with `new`: the modules the lint imported) after a real `liftspec lint
    --no-cache` of order-service in a fresh interpreter. Under coverage, modules coverage imported first
    (hashlib among them) are not `new`."""
    code = (
        "import sys\n"
        "from liftspec.cli.entry import main\n"
        "sys.argv = ['liftspec', 'lint', '--no-cache', sys.argv[1]]\n"
        "before = set(sys.modules)\n"
        "try:\n    main()\n"
        "except SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
        "new = set(sys.modules) - before\n" + report
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "examples" / "order-service" / "lift.yaml")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return out.splitlines()


def test_lint_imports_no_heavy_dependency() -> None:
    # Speed: cfn-lint, the SAM translator, deepdiff and jsonschema stay out of a plain lint run.
    report = "print(sorted({m.split('.')[0] for m in new} & {'cfnlint', 'samtranslator', 'deepdiff', 'jsonschema', 'boto3'}))\n"
    assert _after_lint(report)[-1] == "[]"


def test_a_cold_lint_leaves_composing_to_its_child_and_hashes_without_openssl() -> None:
    """The main process of a cold lint imports the model while its prefetch child composes the file: it needs
    neither the composer (PyYAML, the composer's regular expressions) nor hashlib's OpenSSL binding."""
    report = (
        "print(sorted(new & {'yaml', 'liftspec.load.compose', 'liftspec.load.yaml_loader', '_hashlib'}))\n"
        "print('liftspec.load.prefetch' in new, 'liftspec.model.spec' in new)\n"
    )
    assert _after_lint(report)[-2:] == ["[]", "True True"]


def test_user_pack_checks_load_jsonschema_only_then() -> None:
    code = "import sys\nfrom liftspec.api import lint\nlint(sys.argv[1])\nprint('jsonschema' in sys.modules)\n"
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "examples" / "custom-pack" / "lift.yaml")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert out.strip() == "True"
