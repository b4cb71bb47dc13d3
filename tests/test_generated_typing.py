"""mypy --strict on the lift_config.py generated for every example and every one of its environments (one mypy run
over all of them: each is a package of its own, so that the modules do not clash)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from paths import EXAMPLES, ROOT

from liftspec.load import load_path
from liftspec.pipeline import compile_file
from liftspec.resolve import environments

CASES = [(path, env) for path in sorted(EXAMPLES.glob("*/lift.yaml")) for env in environments(load_path(str(path)))]


def test_generated_config_passes_mypy_strict(tmp_path: Path) -> None:
    assert len(CASES) >= 6
    # lift_config imports its types from lift_runtime, beside it as in the layer
    shutil.copytree(ROOT / "lift_runtime", tmp_path / "lift_runtime", ignore=shutil.ignore_patterns("__pycache__"))
    checked = []
    for path, env in CASES:
        package = tmp_path / f"{path.parent.name}_{env}".replace("-", "_")
        result = compile_file(str(path), out=str(tmp_path / "out" / package.name), env=env, verify=False)
        assert not result.failed(), result.diagnostics
        package.mkdir()
        (package / "__init__.py").write_text("", encoding="utf-8")
        (package / "lift_config.py").write_bytes(result.files["lift_config.py"])
        (package / "use_it.py").write_text(
            "from .lift_config import CONFIG\n\n"
            "timeout: float = CONFIG.request_timeout\n"
            "level: str = CONFIG.log_level\n"
            "detailed: bool = CONFIG.detailed_errors\n",
            encoding="utf-8",
        )
        checked.append(package.name)
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), *checked],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"no issues found in {3 * len(checked)} source files" in run.stdout
