"""`liftspec lint`: schema diagnostics (and policies, once present) for one or more files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from liftspec.diagnostics import Diagnostic

EXAMPLES = """\b
Examples:
  liftspec lint                           ./lift.yaml, every environment
  liftspec lint services/                 every lift.yaml below services/
  liftspec lint lift.yaml --env staging   one environment
"""


def expand(paths: tuple[str, ...]) -> list[str]:
    """Files to lint: the given files, lift.yaml files under given folders, or ./lift.yaml."""
    if not paths:
        if not os.path.exists("lift.yaml"):
            raise click.UsageError("no FILES given and no lift.yaml in the current folder")
        return ["lift.yaml"]
    out: list[str] = []
    for given in paths:
        if os.path.isdir(given):
            found = sorted(str(p) for p in Path(given).rglob("lift.yaml") if ".venv" not in p.parts)
            out += found
        else:
            out.append(given)
    return list(dict.fromkeys(out))


def lint_files(files: list[str], env: str | None) -> tuple[list[Diagnostic], list[str]]:
    """All diagnostics, and I/O errors as messages (exit code 2)."""
    from liftspec.api import lint

    diagnostics: list[Diagnostic] = []
    io_errors: list[str] = []
    for file in files:
        try:
            result = lint(file, env)
        except OSError as exc:
            io_errors.append(f"cannot read {file}: {exc.strerror or exc}")
            continue
        diagnostics += result.diagnostics
    return diagnostics, io_errors


@click.command("lint", epilog=EXAMPLES)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=True, path_type=str))
@click.option("--env", "env", metavar="NAME", help="Lint only this environment (default: every environment in the file).")
def lint_command(files: tuple[str, ...], env: str | None) -> None:
    """Check lift.yaml files; print `path:line:col: ID message` for each problem."""
    from liftspec.report import text

    diagnostics, io_errors = lint_files(expand(files), env)
    text.write(diagnostics)
    for message in io_errors:
        click.echo(f"error: {message}", err=True)
    if io_errors or any(d.id == "LS009" for d in diagnostics):
        sys.exit(2)
    sys.exit(1 if diagnostics else 0)
