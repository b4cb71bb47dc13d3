"""`liftspec diff` and the readable differences behind it and `compile --check`."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from fixtures.compile.support import ORDER_SERVICE, copy_example, edit

from liftspec.cli.main import cli
from liftspec.verify.drift import file_changes, show, template_changes


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_two_environments_in_template_terms() -> None:
    code, out, _ = run("diff", str(ORDER_SERVICE), "--env", "staging", "--env", "production")
    assert code == 1
    lines = [line.strip() for line in out.splitlines()]
    assert lines[0] == f"{ORDER_SERVICE}: staging → production:"
    for expected in (
        "ApiFunction.ReservedConcurrentExecutions: 10 → 100",
        "ApiFunction.LoggingConfig.ApplicationLogLevel: DEBUG → INFO",
        '+ ApiFunction.ProvisionedConcurrencyConfig: {"ProvisionedConcurrentExecutions": 10}',
        "+ ApiScalableTarget (AWS::ApplicationAutoScaling::ScalableTarget)",
        "detailed_errors: true → false",
    ):
        assert expected in lines, expected
    assert any(line.startswith("(") and "differ only by the environment's name, staging → production)" in line for line in lines)
    assert not any("RuleName" in line for line in lines)  # renamed for the environment: counted, not listed


def test_same_environment_twice_has_no_differences() -> None:
    code, out, err = run("diff", str(ORDER_SERVICE), "--env", "production", "--env", "production")
    assert (code, out) == (0, "") and "no differences" in err


def test_compiled_folder_against_now(tmp_path: Path) -> None:
    path = copy_example("order-service", tmp_path)
    assert run("compile", str(path), "--no-verify", "--cfn")[0] == 0
    assert run("diff", str(path))[0] == 0
    edit(path, "memory: 1024", "memory: 2048")
    code, out, _ = run("diff", str(path), "--env", "production")
    assert code == 1
    lines = [line.strip() for line in out.splitlines()]
    assert "template.yaml:" in lines and "template.json:" in lines  # the folder was compiled with --cfn
    assert lines.count("ApiFunction.MemorySize: 1024 → 2048") == 2


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    path = copy_example("worker", tmp_path)
    code, _, err = run("diff", str(path))
    assert code == 2 and "does not exist" in err
    assert run("diff", str(path), "--env", "a", "--env", "b", "--env", "c")[0] == 2


def test_template_changes_are_readable() -> None:
    old = {
        "Resources": {
            "ApiFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"MemorySize": 512, "Layers": [{"Ref": "A"}], "Environment": {"Variables": {"X": "1"}}},
            },
            "OldQueue": {"Type": "AWS::SQS::Queue"},
        },
        "Description": "a",
    }
    new = {
        "Resources": {
            "ApiFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"MemorySize": 1024, "Layers": [{"Ref": "A"}, {"Ref": "B"}], "Environment": {"Variables": {}}},
            },
            "NewQueue": {"Type": "AWS::SQS::Queue"},
        },
        "Description": "b",
    }
    assert template_changes(old, new) == [
        "Description: a → b",
        "- ApiFunction.Environment.Variables.X: 1",
        "+ ApiFunction.Layers[1]: !Ref B",
        "ApiFunction.MemorySize: 512 → 1024",
        "+ NewQueue (AWS::SQS::Queue)",
        "- OldQueue (AWS::SQS::Queue)",
    ]


def test_values_are_shown_on_one_line() -> None:
    assert show({"Fn::GetAtt": ["Queue", "Arn"]}) == "!GetAtt Queue.Arn"
    assert show({"Fn::Sub": "${X}:live"}) == "!Sub ${X}:live"
    assert show(" padded ") == '" padded "' and show(True) == "true" and show(None) == "null"
    assert len(show({"k": "v" * 500})) == 100


def test_files_that_change_alike_are_named_once() -> None:
    old = {"lift_config.json": b'{"a": 1}', "layer/lift_config.json": b'{"a": 1}', "gone.txt": b"x", "same": b"s"}
    new = {"lift_config.json": b'{"a": 2}', "layer/lift_config.json": b'{"a": 2}', "new.txt": b"y", "same": b"s"}
    assert file_changes(old, new) == [
        "gone.txt: would be removed",
        "lift_config.json:",
        "  a: 1 → 2",
        "new.txt: new file",
        "layer/lift_config.json: the same changes as lift_config.json",
    ]
