"""`liftspec lint`: schema diagnostics and policy findings for one or more files, in one process."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from liftspec import codes
from liftspec.cli.lintrun import (
    SEVERITY_ORDER,
    NoFiles,
    Run,
    distinct,
    exit_code,
    find_files,
    lint_files,
    make_cache,
    pack_files,
    render,
    shown_of,
    use_colour,
)
from liftspec.diagnostics import Diagnostic, Span

if TYPE_CHECKING:
    from liftspec.check.options import Config, LintOptions

__all__ = ["SEVERITY_ORDER", "Run", "exit_code", "expand", "lint_files", "render"]

EXAMPLES = """\b
Examples:
  liftspec lint                             ./lift.yaml, every environment
  liftspec lint services/                   every lift.yaml below services/
  liftspec lint lift.yaml --env staging     one environment
  liftspec lint --fix                       apply safe fixes (--diff shows them)
  liftspec lint --format sarif -o lint.sarif
\b
Exit status: 0 clean (or only findings below --fail-on), 1 findings at or
above --fail-on (default: error), 2 usage or I/O error.
\b
Packs: each environment is linted with its policy.packs; without them,
`production` for environments named production or prod, `staging` for any
other name; `baseline` always. Defaults can be set in [tool.liftspec] of
pyproject.toml (fail-on, min-severity, format, extra-packs, default-packs).
\b
Cache: results are kept in .liftspec_cache/ in the project folder (or
$LIFTSPEC_CACHE_DIR), keyed on the file, the packs, the options, the date and
the liftspec version; --no-cache bypasses it. --fix and --diff never use it.
"""


def expand(paths: tuple[str, ...]) -> list[str]:
    """Files to lint: the given files, lift.yaml files under given folders, or ./lift.yaml."""
    try:
        return find_files(paths)
    except NoFiles as exc:
        raise click.UsageError(str(exc)) from None


def fix_files(run: Run, env: str | None, options: LintOptions | None, *, write: bool) -> tuple[Run, list[str]]:
    """Apply (or, without ``write``, only diff) the safe fixes; returns the run after fixing and the diffs."""
    from liftspec.check.fix import FixError, fix_document, unified_diff, write_fixed

    diffs: list[str] = []
    changed: list[str] = []
    refused: list[Diagnostic] = []
    fixed = 0
    for result in run.results:
        fixes = result.fixes()
        if result.document is None or not fixes:
            continue
        try:
            outcome = fix_document(result.document, fixes)
        except FixError as exc:
            click.echo(f"error: {exc}", err=True)
            continue
        if outcome.new == outcome.old:
            continue
        diffs.append(unified_diff(outcome.old, outcome.new, result.file))
        if write:
            try:
                write_fixed(result.file, outcome.new)
            except OSError as exc:
                refused.append(_write_error(result.file, exc))
                continue
            changed.append(result.file)
        fixed += len(distinct(d for d, _ in fixes))
    if write and changed:
        again = lint_files(run.files, env, options)
        again.fixed = fixed
        again.io_errors += refused
        return again, diffs
    run.fixed = fixed
    run.io_errors += refused
    return run, diffs


def _write_error(file: str, exc: OSError) -> Diagnostic:
    return Diagnostic(
        codes.IO_ERROR,
        f"cannot write the fixes to {file}: {exc.strerror or exc}",
        "nothing was changed in it: make the file writable to fix it, or fix it by hand (`liftspec lint --diff` shows how)",
        Span(file),
    )


def load_settings(config_file: str | None, isolated: bool) -> Config:
    from liftspec.check.options import Config, find_pyproject, load_config

    if isolated:
        return Config()
    return load_config(config_file or find_pyproject(os.getcwd()))


@click.command("lint", epilog=EXAMPLES)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=True, path_type=str))
@click.option("--env", "env", metavar="NAME", help="Lint only this environment (default: every environment in the file).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "github", "junit"]),
    default=None,
    help="Output format (default: text, or [tool.liftspec] format).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str), help="Write the report to FILE (atomically).")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    default=None,
    help="Exit 1 when a shown finding has this severity or higher (default: error).",
)
@click.option(
    "--min-severity",
    type=click.Choice(["info", "warning", "error"]),
    default=None,
    help="Show only findings of this severity or higher (default: info, i.e. all).",
)
@click.option("--fix", is_flag=True, help="Apply safe fixes in place, then report what remains.")
@click.option("--diff", "show_diff", is_flag=True, help="Print the changes --fix would make, write nothing; exit 1 if any.")
@click.option("--show-suppressed", is_flag=True, help="Also list findings waived by policy.ignore or inline comments, and why.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True, path_type=str),
    help="pyproject.toml to read [tool.liftspec] from (default: the nearest one with that table).",
)
@click.option("--isolated", is_flag=True, help="Ignore [tool.liftspec] settings.")
@click.option("--no-cache", "no_cache", is_flag=True, help="Lint every file afresh: neither read nor write the result cache.")
def lint_command(
    files: tuple[str, ...],
    env: str | None,
    fmt: str | None,
    output: str | None,
    fail_on: str | None,
    min_severity: str | None,
    fix: bool,
    show_diff: bool,
    show_suppressed: bool,
    config_file: str | None,
    isolated: bool,
    no_cache: bool,
) -> None:
    """Check lift.yaml files against the format and their environments' policy packs."""
    given = {"env": env, "fmt": fmt, "fail_on": fail_on, "min_severity": min_severity, "config": config_file}
    config = load_settings(config_file, isolated)
    fmt = fmt or config.format
    fail_on = fail_on or config.fail_on
    if fix and show_diff:
        raise click.UsageError("use --fix or --diff, not both")
    paths = expand(files)
    cached = not (no_cache or fix or show_diff or show_suppressed)
    run = lint_files(paths, env, config.options, make_cache(env, config) if cached else None)
    if fix or show_diff:
        run, diffs = fix_files(run, env, config.options, write=fix)
        if show_diff:
            sys.stdout.write("".join(diffs))
            count = run.fixed
            click.echo(f"Would fix {count} finding{'s' if count != 1 else ''}." if count else "No fixes available.", err=True)
            sys.exit(1 if diffs else 0)
    shown = shown_of(run, min_severity or config.min_severity)
    colour = output is None and fmt == "text" and use_colour()
    report = render(run, fmt, shown, show_suppressed, colour)
    if output:
        from liftspec.check.fix import write_atomic

        try:
            write_atomic(output, report)
        except OSError as exc:
            click.echo(f"error: cannot write {output}: {exc.strerror or exc}", err=True)
            sys.exit(2)
    else:
        sys.stdout.write(report)
    code = exit_code(run, shown, fail_on)
    if cached and output is None and not run.io_errors:
        from liftspec.cli.fast import store

        store({**given, "isolated": "1" if isolated else None}, files, report, code, pack_files(run.options))
    sys.exit(code)
