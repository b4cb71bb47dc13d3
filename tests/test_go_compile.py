"""build: go: a function sam build compiles (go1.x), without the Python layer; LS008 for what cannot build; LS80x."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fixtures.compile.support import copy_example, resources
from fixtures.policy.lintkit import GOOD, at, lint_text, where
from gotools import go, go_env

from liftspec.pipeline import compile_file
from liftspec.verify.drift import load_template

GO_SERVICE_ENVS = ("production", "staging")


def compile_go_service(tmp: Path, env: str = "production") -> tuple[Path, dict[str, Any], dict[str, bytes]]:
    lift = copy_example("go-service", tmp)
    result = compile_file(str(lift), env=env, cfn=True)  # the default out: build/lift/<env>, where go.mod points
    assert not result.failed(), [d.message for d in result.diagnostics]
    return lift, load_template("template.yaml", result.files["template.yaml"]), result.files


def test_go_functions_build_with_go1x_as_bootstrap_without_the_python_layer(tmp_path: Path) -> None:
    _, sam, files = compile_go_service(tmp_path)
    functions = resources(sam, "AWS::Serverless::Function")
    assert set(functions) == {"ApiFunction", "WorkerFunction"}
    for fn in functions.values():
        assert fn["Metadata"] == {"BuildMethod": "go1.x"}
        props = fn["Properties"]
        assert (props["Handler"], props["Runtime"], props["CodeUri"]) == ("bootstrap", "provided.al2023", "../../../src/")
        assert "Layers" not in props
        variables = props["Environment"]["Variables"]
        assert "LIFT_HANDLER" not in variables and variables["LIFT_ENVIRONMENT"] == "production"
    assert functions["WorkerFunction"]["Properties"]["Environment"]["Variables"]["LIFT_FUNCTION"] == "worker"
    assert resources(sam, "AWS::Serverless::LayerVersion") == {}
    assert not any(name.startswith("layer/") for name in files)
    assert {"go.mod", "liftconfig/config.go", "liftconfig/config_test.go", "liftruntime/runtime.go"} <= set(files)


def test_a_mixed_service_gives_the_layer_to_python_functions_only(write: Any) -> None:
    lift = write(
        """\
        liftspec: 1
        service: mixed
        environment: dev
        security: {auth: {enabled: false}}
        runtime: {lambda: python3.12}
        functions:
          api: {handler: app.handler, http: {routes: ["GET /x"]}}
          worker:
            handler: bootstrap
            lambda: provided.al2023
            build: go
            sqs: {queue: "arn:aws:sqs:us-east-1:123456789012:jobs"}
        """
    )
    (lift.parent / "src").mkdir()
    (lift.parent / "src" / "app.py").write_text("def handler(e, c):\n    return {}\n", encoding="utf-8")
    result = compile_file(str(lift), out=str(lift.parent / "out"), verify=False)
    assert not result.failed(), [d.message for d in result.diagnostics]
    sam = load_template("template.yaml", result.files["template.yaml"])
    assert sam["Resources"]["RuntimeLayer"]["Properties"]["CompatibleRuntimes"] == ["python3.12"]
    assert sam["Resources"]["ApiFunction"]["Properties"]["Layers"] == [{"Ref": "RuntimeLayer"}]
    assert "Metadata" not in sam["Resources"]["ApiFunction"]
    assert "Layers" not in sam["Resources"]["WorkerFunction"]["Properties"]
    assert "layer/python/lift_config.py" in result.files and "liftconfig/config.go" in result.files


def test_a_bare_provided_function_keeps_its_handler_and_the_layer(write: Any) -> None:
    lift = write(
        "liftspec: 1\nservice: bare\nenvironment: dev\nruntime: {lambda: provided.al2023}\n"
        "functions:\n  job: {handler: bootstrap}\n"
    )
    (lift.parent / "src").mkdir()
    result = compile_file(str(lift), out=str(lift.parent / "out"), verify=False)
    sam = load_template("template.yaml", result.files["template.yaml"])
    job = sam["Resources"]["JobFunction"]
    assert "Metadata" not in job and job["Properties"]["Layers"] == [{"Ref": "RuntimeLayer"}]
    assert "liftconfig/config.go" not in result.files


@pytest.mark.parametrize(
    ("edit", "mark", "message"),
    [
        (("  lambda: provided.al2023\n", "  lambda: python3.12\n"), "build: |go", "needs an OS-only runtime"),
        (
            ("    handler: bootstrap\n    http", "    handler: main.handler\n    http"),
            "handler: |main.handler",
            "not 'main.handler'",
        ),
    ],
)
def test_what_sam_cannot_build_as_go_is_ls008_at_the_value(edit: tuple[str, str], mark: str, message: str) -> None:
    text = (Path(__file__).parent.parent / "examples" / "go-service" / "lift.yaml").read_text(encoding="utf-8")
    text = text.replace(*edit)
    found = [(where(d), d.message) for d in lint_text(text).diagnostics if d.id == "LS008"]
    assert [f[0] for f in found] == [("LS008", *at(text, mark))]
    assert message in found[0][1]


def test_go_with_liftruntime_needs_no_waiver_but_a_bare_runtime_reports_each_guarantee() -> None:
    wrapped = GOOD.replace("  architecture: arm64\n", "  lambda: provided.al2023\n  build: go\n  architecture: arm64\n")
    wrapped = wrapped.replace("handler: app.handler", "handler: bootstrap").replace("handler: jobs.nightly", "handler: bootstrap")
    assert lint_text(wrapped).diagnostics == []
    bare = wrapped.replace("  build: go\n", "")
    codes = sorted({d.id for d in lint_text(bare).diagnostics})
    assert codes == ["LS801", "LS802", "LS803", "LS804", "LS805", "LS806", "LS807", "LS809"]
    assert {d.severity.value for d in lint_text(bare).diagnostics} == {"error"}
    staging = lint_text(bare.replace("environment: production", "environment: staging"))
    assert {d.severity.value for d in staging.diagnostics} == {"warning"}


def test_an_unwrapped_guarantee_may_be_waived_with_a_reason() -> None:
    bare = GOOD.replace("  architecture: arm64\n", "  lambda: provided.al2023\n  architecture: arm64\n")
    reasons = "".join(
        f'    - {{rule: LS80{i}, reason: "our Rust handler enforces it, tested in ci"}}\n' for i in (1, 2, 3, 4, 5, 6, 7, 9)
    )
    waived = lint_text(bare + "\npolicy:\n  ignore:\n" + reasons)
    assert waived.diagnostics == [] and len(waived.suppressed) == 8


def test_the_go_service_example_builds_with_go_vet_clean(tmp_path: Path) -> None:
    lift, _, _ = compile_go_service(tmp_path)
    src = lift.parent / "src"
    env = go_env(tmp_path)
    go("vet", "./...", cwd=src, env=env)
    go("test", "-count=1", "./...", cwd=lift.parent / "build" / "lift" / "production", env=env)


def _sam() -> str | None:
    cached = Path(__file__).resolve().parent.parent / ".tools" / "sam-venv" / "bin" / "sam"
    return shutil.which("sam") or (str(cached) if cached.is_file() else None)


@pytest.mark.slow
def test_sam_build_builds_the_go_functions(tmp_path: Path) -> None:
    sam = _sam()
    if sam is None:
        pytest.skip("the SAM CLI is not installed (pip install aws-sam-cli, or .tools/sam-venv)")
    lift, _, _ = compile_go_service(tmp_path)
    out = lift.parent / "build" / "lift" / "production"
    done = subprocess.run(
        [sam, "build", "--template-file", str(out / "template.yaml"), "--build-dir", str(tmp_path / "sam")],
        cwd=lift.parent,
        env={**go_env(tmp_path), "SAM_CLI_TELEMETRY": "0", "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for fid in ("ApiFunction", "WorkerFunction"):
        binary = tmp_path / "sam" / fid / "bootstrap"
        assert binary.is_file() and os.access(binary, os.X_OK)
        assert binary.read_bytes()[:4] == b"\x7fELF"


def test_a_go_code_folder_without_go_mod_is_ls719_at_the_code_setting(tmp_path: Path) -> None:
    lift = copy_example("go-service", tmp_path)
    (lift.parent / "src" / "go.mod").unlink()
    result = compile_file(str(lift), out=str(tmp_path / "out"), verify=False)
    found = [(d.id, d.severity.value, d.line, d.col) for d in result.diagnostics if d.id == "LS719"]
    text = lift.read_text(encoding="utf-8")
    assert found == [("LS719", "warning", *at(text, "code: |src/"))]
    assert "no go.mod" in next(d.message for d in result.diagnostics if d.id == "LS719")
