"""`liftspec lint`: schema diagnostics and policy findings for one or more files, in one process."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from liftspec.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from liftspec.api import LintResult
    from liftspec.check.options import Config, LintOptions
    from liftspec.check.suppress import Suppressed

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
"""

SEVERITY_ORDER = {"info": Severity.INFO, "warning": Severity.WARNING, "error": Severity.ERROR}


def expand(paths: tuple[str, ...]) -> list[str]:
    """Files to lint: the given files, lift.yaml files under given folders, or ./lift.yaml."""
    if not paths:
        if not os.path.exists("lift.yaml"):
            raise click.UsageError("no FILES given and no lift.yaml in the current folder")
        return ["lift.yaml"]
    out: list[str] = []
    for given in paths:
        if os.path.isdir(given):
            found = sorted(
                str(p) for p in Path(given).rglob("lift.yaml") if ".venv" not in p.parts and "node_modules" not in p.parts
            )
            if not found:
                raise click.UsageError(f"no lift.yaml below {given}")
            out += found
        else:
            out.append(given)
    return list(dict.fromkeys(out))


@dataclass
class Run:
    """Everything one `liftspec lint` invocation found."""

    files: list[str]
    results: list[LintResult] = field(default_factory=list)
    io_errors: list[Diagnostic] = field(default_factory=list)
    fixed: int = 0

    @property
    def diagnostics(self) -> list[Diagnostic]:
        # A pack shared by many files reports its own problems once.
        seen: dict[tuple[object, ...], Diagnostic] = {}
        for d in [*self.io_errors, *(d for r in self.results for d in r.diagnostics)]:
            seen.setdefault((d.file, d.line, d.col, d.id, d.message, d.severity, d.env), d)
        return sorted(seen.values(), key=Diagnostic.sort_key)

    @property
    def suppressed(self) -> list[Suppressed]:
        return [s for r in self.results for s in r.suppressed]

    def fixable(self) -> set[Diagnostic]:
        """Merged diagnostics that --fix would change."""
        keys = {(d.file, d.line, d.col, d.id) for r in self.results for d, _ in r.fixes()}
        return {d for d in self.diagnostics if (d.file, d.line, d.col, d.id) in keys}


def _distinct(diagnostics: Iterable[Diagnostic]) -> set[tuple[object, ...]]:
    """One finding per place and rule: the same fix reported in two environments is one fix."""
    return {(d.file, d.line, d.col, d.id) for d in diagnostics}


def _io_error(file: str, exc: OSError) -> Diagnostic:
    reason = exc.strerror or str(exc)
    return Diagnostic(
        "LS000",
        Severity.ERROR,
        f"cannot read {file}: {reason}",
        "check the path (a folder is searched for lift.yaml files)",
        file,
        1,
        1,
    )


def lint_files(files: list[str], env: str | None, options: LintOptions | None = None) -> Run:
    from liftspec.api import lint

    run = Run(files)
    for file in files:
        try:
            run.results.append(lint(file, env, options=options))
        except OSError as exc:
            run.io_errors.append(_io_error(file, exc))
    return run


def fix_files(run: Run, env: str | None, options: LintOptions | None, *, write: bool) -> tuple[Run, list[str]]:
    """Apply (or, without ``write``, only diff) the safe fixes; returns the run after fixing and the diffs."""
    from liftspec.check.fix import FixError, fix_document, unified_diff, write_fixed

    diffs: list[str] = []
    changed: list[str] = []
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
            write_fixed(result.file, outcome.new)
            changed.append(result.file)
        fixed += len(_distinct(d for d, _ in fixes))
    if write and changed:
        again = lint_files(run.files, env, options)
        again.fixed = fixed
        return again, diffs
    run.fixed = fixed
    return run, diffs


def render(run: Run, fmt: str, shown: list[Diagnostic], show_suppressed: bool, colour: bool) -> str:
    suppressed = [s for s in run.suppressed] if show_suppressed else None
    fixable = run.fixable()
    if fmt == "json":
        from liftspec.report import json as json_report

        return json_report.render(shown, files=run.files, suppressed=suppressed, fixable=fixable)
    if fmt == "sarif":
        from liftspec.report import sarif

        return sarif.render(shown, files=run.files, suppressed=suppressed, io_errors=[d.message for d in run.io_errors])
    if fmt == "github":
        from liftspec.report import github

        return github.render(shown)
    if fmt == "junit":
        from liftspec.report import junit

        return junit.render(shown, files=run.files)
    from liftspec.report import text

    out = text.render(shown, colour, suppressed=suppressed, fixable=len(_distinct(d for d in shown if d in fixable)))
    if run.fixed:
        out += f"Fixed {run.fixed} finding{'s' if run.fixed != 1 else ''}.\n"
    return out


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
) -> None:
    """Check lift.yaml files against the format and their environments' policy packs."""
    config = load_settings(config_file, isolated)
    fmt = fmt or config.format
    fail_on = fail_on or config.fail_on
    threshold = SEVERITY_ORDER[min_severity or config.min_severity]
    if fix and show_diff:
        raise click.UsageError("use --fix or --diff, not both")
    paths = expand(files)
    run = lint_files(paths, env, config.options)
    if fix or show_diff:
        run, diffs = fix_files(run, env, config.options, write=fix)
        if show_diff:
            sys.stdout.write("".join(diffs))
            count = run.fixed
            click.echo(f"Would fix {count} finding{'s' if count != 1 else ''}." if count else "No fixes available.", err=True)
            sys.exit(1 if diffs else 0)
    shown = [d for d in run.diagnostics if d.severity.rank >= threshold.rank or d.id == "LS000"]
    colour = output is None and fmt == "text" and _colour()
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
    sys.exit(exit_code(run, shown, fail_on))


def _colour() -> bool:
    from liftspec.report.text import use_colour

    return use_colour(sys.stdout)


def exit_code(run: Run, shown: list[Diagnostic], fail_on: str) -> int:
    if run.io_errors or any(d.id == "LS009" for d in shown):
        return 2
    if fail_on == "never":
        return 0
    limit = SEVERITY_ORDER[fail_on]
    return 1 if any(d.severity.rank >= limit.rank for d in shown) else 0
