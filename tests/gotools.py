"""The Go toolchain for the tests: found on PATH (the Makefile installs Debian's golang-go), offline."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GO_SOURCES = ROOT / "liftspec" / "data" / "go"
MISSING = "Go is not installed: `make test` installs Debian's golang-go (make go-toolchain); or apt-get install golang-go"


def go_binary() -> str:
    found = shutil.which("go")
    if found is None:
        pytest.skip(MISSING)
    return found


def go_env(tmp: Path | None = None) -> dict[str, str]:
    """Module downloads off: everything liftspec's Go code needs is the standard library and local replaces."""
    env = {**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOSUMDB": "off", "GOTOOLCHAIN": "local", "CGO_ENABLED": "0"}
    if tmp is not None:
        env["GOPATH"] = str(tmp / "gopath")
    return env


def go(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `go ARGS` in cwd; the test fails with go's own output when it fails."""
    done = subprocess.run(
        [go_binary(), *args], cwd=cwd, env=env or go_env(), capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"go {' '.join(args)} failed in {cwd}:\n{done.stdout}\n{done.stderr}"
    return done


def gofmt_unformatted(folder: Path) -> list[str]:
    """Files gofmt -s would change (the gofmt next to the go binary)."""
    gofmt = Path(os.path.realpath(go_binary())).parent / "gofmt"
    done = subprocess.run([str(gofmt), "-s", "-l", "."], cwd=folder, capture_output=True, text=True, check=True, timeout=60)
    return done.stdout.split()
