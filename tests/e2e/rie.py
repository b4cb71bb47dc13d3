"""The AWS Lambda Runtime Interface Emulator, fetched from the aws-sam-cli wheel and run on 127.0.0.1.

``rie_binary()`` caches the wheel and the extracted binary in ``.tools/`` (git-ignored).
``Function`` runs one function of a compiled template the way Lambda would: the code folder,
then the layer, on sys.path; the template's Handler and environment; ``awslambdaric``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

TOOLS = Path(__file__).resolve().parents[2] / ".tools"
INVOKE_PATH = "/2015-03-31/functions/function/invocations"


class Unavailable(Exception):
    """The emulator cannot be had on this machine (no network, no wheel, unsupported architecture)."""


def _architecture() -> str:
    machine = platform.machine().lower()
    if machine in ("x86_64", "amd64"):
        return "x86_64"
    if machine in ("aarch64", "arm64"):
        return "arm64"
    raise Unavailable(f"no aws-lambda-rie build for {machine}")


def rie_binary() -> Path:
    """The aws-lambda-rie binary for this machine, downloaded once (pip download --no-deps aws-sam-cli)."""
    binary = TOOLS / f"aws-lambda-rie-{_architecture()}"
    if binary.is_file() and os.access(binary, os.X_OK):
        return binary
    wheels = TOOLS / "wheels"
    wheel = next(iter(sorted(wheels.glob("aws_sam_cli-*.whl"))), None)
    if wheel is None:
        wheels.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "--disable-pip-version-check",
                "--dest",
                str(wheels),
                "aws-sam-cli",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        wheel = next(iter(sorted(wheels.glob("aws_sam_cli-*.whl"))), None)
        if done.returncode != 0 or wheel is None:
            raise Unavailable(f"pip download aws-sam-cli failed: {(done.stderr or done.stdout).strip()[-500:]}")
    member = f"samcli/local/rapid/{binary.name}"
    with zipfile.ZipFile(wheel) as archive:
        if member not in archive.namelist():
            raise Unavailable(f"{wheel.name} has no {member}")
        partial = binary.with_suffix(".partial")
        partial.write_bytes(archive.read(member))
    partial.chmod(0o755)
    partial.replace(binary)
    return binary


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def awslambdaric_path() -> str:
    """The site-packages that holds awslambdaric (the emulated runtime's own libraries)."""
    found = importlib.util.find_spec("awslambdaric")
    if found is None or found.origin is None:
        raise Unavailable("awslambdaric is not installed (it is in liftspec's dev extra: pip install -e '.[dev]')")
    return str(Path(found.origin).resolve().parents[1])


class Function:
    """One emulated Lambda function listening on 127.0.0.1. Use as a context manager: it always stops."""

    def __init__(
        self,
        *,
        binary: Path,
        handler: str,
        code: Path,
        layer: Path,
        variables: dict[str, str],
        timeout: int,
        memory: int,
        name: str,
        log: Path,
        command: list[str] | None = None,
    ) -> None:
        self.port = free_port()
        self.api_port = free_port()
        self.log = log
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            # Lambda's order: the function code, the layer, then the runtime's libraries. -S keeps this
            # interpreter's site-packages (and its editable liftspec) out, so the layer is all there is.
            "PYTHONPATH": os.pathsep.join([str(code), str(layer), awslambdaric_path()]),
            "LAMBDA_TASK_ROOT": str(code),
            "AWS_LAMBDA_FUNCTION_NAME": name,
            "AWS_LAMBDA_FUNCTION_TIMEOUT": str(timeout),
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory),
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            **variables,
        }
        # The runtime the emulator starts: awslambdaric with the Handler, or `command` (a custom runtime's bootstrap).
        runtime = command or [sys.executable, "-S", "-m", "awslambdaric", handler]
        command = [
            str(binary),
            "--runtime-interface-emulator-address",
            f"127.0.0.1:{self.port}",
            "--runtime-api-address",
            f"127.0.0.1:{self.api_port}",
            *runtime,
        ]
        self._log_handle = log.open("wb")
        # Its own process group: stopping it stops the emulator and the runtime it started.
        self.process = subprocess.Popen(
            command,
            cwd=code,
            env=env,
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def __enter__(self) -> Function:
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_ready(self, timeout: float = 15.0) -> None:
        until = time.monotonic() + timeout
        while time.monotonic() < until:
            if self.process.poll() is not None:
                raise RuntimeError(f"aws-lambda-rie exited with {self.process.returncode}: {self.output()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"aws-lambda-rie did not listen on 127.0.0.1:{self.port} within {timeout}s")

    def invoke(self, event: Any, timeout: float = 60.0) -> Any:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{INVOKE_PATH}",
            data=json.dumps(event).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def output(self) -> str:
        self._log_handle.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")

    def log_records(self) -> list[dict[str, Any]]:
        """The JSON lines the function wrote (the emulator's own lines are not JSON)."""
        records = []
        for line in self.output().splitlines():
            if line.startswith("{"):
                try:
                    records.append(json.loads(line))
                except ValueError:
                    continue
        return records

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
            except ProcessLookupError:
                pass
        # The group may outlive its leader: make sure nothing of it is left.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self._log_handle.close()


@contextlib.contextmanager
def running(functions: dict[str, dict[str, Any]]) -> Iterator[dict[str, Function]]:
    """One emulator per function (keyword arguments of Function by name), all ready, all stopped afterwards,
    whatever fails in between."""
    started: dict[str, Function] = {}
    try:
        for name, arguments in functions.items():
            started[name] = Function(**arguments)
        for function in started.values():
            function.__enter__()
        yield started
    finally:
        for function in started.values():
            function.stop()
