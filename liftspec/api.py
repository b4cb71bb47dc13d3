"""The Python API for build scripts: load, lint and compile a lift.yaml. Returns results, never prints.

A typed facade over liftspec.pipeline, which runs the stages (load -> resolve -> model -> check, then
render -> verify for compile).
"""

from __future__ import annotations

import os

from liftspec.pipeline import CompileResult, EnvResult, LintResult, compile_file, lint_document, lint_file, resolve_env

TYPE_CHECKING = False
if TYPE_CHECKING:
    from liftspec.check.options import LintOptions
    from liftspec.load import Document

__all__ = ["CompileResult", "EnvResult", "LintResult", "compile", "lint", "lint_document", "load", "resolve_env"]


def load(path: str | os.PathLike[str]) -> Document:
    """Load a lift.yaml with its source map. Raises LiftError (diagnostics) or OSError."""
    from liftspec.load import load_path

    return load_path(os.fspath(path))


def lint(
    path: str | os.PathLike[str],
    env: str | None = None,
    *,
    policies: bool = True,
    options: LintOptions | None = None,
    raw: bytes | None = None,
) -> LintResult:
    """Lint one file in one environment, or in every environment it describes (`raw`: its bytes, already read)."""
    return lint_file(path, env, policies=policies, options=options, raw=raw)


def compile(
    path: str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
    env: str | None = None,
    *,
    cfn: bool = False,
    verify: bool = True,
    check: bool = False,
    options: LintOptions | None = None,
) -> CompileResult:
    """Compile one lift.yaml for one environment (default: its `environment`); see liftspec.pipeline.compile_file.

    Writes nothing when there is an error, nor with `check`. Raises UsageError for I/O problems and for an
    output folder that liftspec did not write.
    """
    return compile_file(
        os.fspath(path),
        out=os.fspath(out) if out is not None else None,
        env=env,
        cfn=cfn,
        verify=verify,
        check=check,
        options=options,
    )
