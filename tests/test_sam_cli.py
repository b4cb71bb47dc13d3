"""The compiled output of every example builds and validates with the real AWS SAM CLI, offline.

The SAM CLI lives in its own virtualenv, `.tools/sam-venv` (created here, or by `make sam-cli`,
from PyPI). No AWS credentials are used: the environment holds dummy keys and a region, and
neither `sam build` nor `sam validate --lint` calls AWS. `sam build` needs the function's Python
(`python3.12` for a `python3.12` runtime) on PATH: each example whose runtime has an interpreter
on this machine is built, the others are skipped with the reason.

Both run from the project folder with `-t build/lift/<env>/template.yaml`, as docs/deploy.md says:
the build goes to ./.aws-sam, and SAM does not mistake the output folder (its manifest.json) for a
CDK app.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from paths import EXAMPLES, ROOT

from liftspec.load import load_path

pytestmark = pytest.mark.slow

SAM_VENV = ROOT / ".tools" / "sam-venv"
SAM = SAM_VENV / "bin" / "sam"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*/lift.yaml"))


def ensure_sam() -> Path:
    if not SAM.exists():
        subprocess.run([sys.executable, "-m", "venv", str(SAM_VENV)], check=True, timeout=300)
        subprocess.run([str(SAM_VENV / "bin" / "pip"), "install", "--quiet", "aws-sam-cli"], check=True, timeout=1800)
    return SAM


def interpreter_folder(version: str) -> str | None:
    """A folder holding a working `pythonX.Y` (PATH first, then pyenv's versions), or None."""
    candidates = [shutil.which(f"python{version}")]
    candidates += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))
    for candidate in filter(None, candidates):
        try:
            ok = subprocess.run([candidate, "-c", "pass"], capture_output=True, timeout=30, check=False).returncode == 0
        except OSError:
            ok = False
        if ok:
            return os.path.dirname(candidate)
    return None


def sam_env(python_folder: str, home: Path) -> dict[str, str]:
    return {
        "PATH": python_folder + os.pathsep + os.environ.get("PATH", ""),
        "HOME": str(home),
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "not-a-real-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "SAM_CLI_TELEMETRY": "0",
        "LANG": "C.UTF-8",
    }


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.parent.name)
def test_sam_build_and_validate_lint_the_compiled_example(example: Path, tmp_path: Path) -> None:
    data = load_path(str(example)).data
    runtime = str(data.get("runtime", {}).get("lambda", "python3.12"))
    if not runtime.startswith("python"):
        pytest.skip(f"{runtime}: no builder for it on this machine")
    folder = interpreter_folder(runtime.removeprefix("python"))
    if folder is None:
        pytest.skip(f"no {runtime} interpreter on this machine")
    sam = ensure_sam()
    project = tmp_path / example.parent.name
    shutil.copytree(example.parent, project, ignore=shutil.ignore_patterns("build", ".aws-sam"))
    compiled = subprocess.run(
        [sys.executable, "-m", "liftspec", "compile", "lift.yaml", "--no-verify"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    env_name = str(data.get("environment", "production"))
    template = f"build/lift/{env_name}/template.yaml"
    env = sam_env(folder, tmp_path / "home")

    built = _run([str(sam), "build", "-t", template], project, env)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "Build Succeeded" in built.stdout + built.stderr
    handlers = {str(fn["handler"]).rsplit(".", 1)[0].replace(".", "/") for fn in data["functions"].values()}
    for function in (project / ".aws-sam" / "build").iterdir():
        if function.is_dir() and function.name.endswith("Function"):
            assert any((function / f"{module}.py").exists() for module in handlers), function
    assert (project / ".aws-sam" / "build" / "template.yaml").exists()
    assert not (project / "build" / "lift" / env_name / ".aws-sam").exists()

    validated = _run([str(sam), "validate", "--lint", "-t", template], project, env)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "is a valid SAM Template" in validated.stdout + validated.stderr
    assert "CDK" not in validated.stdout + validated.stderr


def test_the_documented_sam_commands_run(tmp_path: Path) -> None:
    from test_doc_snippets import by_marker, workspace

    folder = interpreter_folder("3.12")
    if folder is None:
        pytest.skip("no python3.12 interpreter on this machine")
    sam = ensure_sam()
    documented = by_marker("sam")
    assert documented, "docs/deploy.md shows the sam commands"
    env = sam_env(os.pathsep.join([str(sam.parent), os.path.dirname(sys.executable), folder]), tmp_path / "home")
    for snippet in documented:
        (tmp_path / f"work-{snippet.line}").mkdir()
        work = workspace(tmp_path / f"work-{snippet.line}")
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", snippet.body],
            cwd=work,
            env={**env, "NO_COLOR": "1"},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, f"{snippet}\n{result.stdout}{result.stderr}"
        assert (work / ".aws-sam" / "build" / "template.yaml").exists()
        assert not (work / "build" / "lift" / "production" / ".aws-sam").exists()
        assert "CDK" not in result.stdout + result.stderr
