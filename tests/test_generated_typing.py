"""mypy --strict on the lift_config.py generated for every example and every one of its environments."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from paths import EXAMPLES

from liftspec.compiler import compile_file
from liftspec.load import load_path
from liftspec.resolve import environments

CASES = [(path, env) for path in sorted(EXAMPLES.glob("*/lift.yaml")) for env in environments(load_path(str(path)))]


@pytest.mark.parametrize(("path", "env"), CASES, ids=[f"{p.parent.name}-{e}" for p, e in CASES])
def test_generated_config_passes_mypy_strict(path: Path, env: str, tmp_path: Path) -> None:
    result = compile_file(str(path), out=str(tmp_path / "out"), env=env, verify=False)
    assert not result.failed(), result.diagnostics
    module = tmp_path / "out" / "lift_config.py"
    user = tmp_path / "out" / "use_it.py"
    user.write_text(
        "from lift_config import CONFIG\n\n"
        "timeout: float = CONFIG.request_timeout\n"
        "level: str = CONFIG.log_level\n"
        "detailed: bool = CONFIG.detailed_errors\n",
        encoding="utf-8",
    )
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(module.name),
            str(user.name),
        ],
        cwd=module.parent,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
