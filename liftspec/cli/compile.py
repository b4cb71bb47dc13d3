"""`liftspec compile` and `liftspec diff`."""

from __future__ import annotations

import os
import shlex
import sys
from typing import Any

import click

from liftspec import codes
from liftspec.diagnostics import Diagnostic, UsageError

COMPILE_EXAMPLES = """\b
Examples:
  liftspec compile                              ./lift.yaml -> build/lift/<env>/ next to it
  liftspec compile svc/lift.yaml --env staging  one environment
  liftspec compile --cfn                        also template.json (plain CloudFormation)
  liftspec compile --check                      exit 1 and show what changed if the output is out of date
  liftspec compile --no-verify                  skip the SAM translator and cfn-lint (faster)

\b
Output (default build/lift/<env> next to the lift.yaml, replaced as a whole):
  template.yaml   SAM template        template.json   CloudFormation (--cfn)
  layer/          the runtime layer   lift_config.py  the config module, for local use
  manifest.json   liftspec version, environment, input digest, file digests
A folder holding anything its manifest.json does not list is refused; .aws-sam/ from sam build is kept.
\b
Exit status: 0 compiled (warnings allowed), 1 errors or --check found changes, 2 usage or I/O error.
"""

DIFF_EXAMPLES = """\b
Examples:
  liftspec diff lift.yaml --env staging --env production   two environments
  liftspec diff lift.yaml --env production                 build/lift/production against now
  liftspec diff lift.yaml --out dist/prod                  a compiled folder against now

\b
Exit status: 0 no differences, 1 differences, 2 errors in the input, usage or I/O error.
"""


def _file_argument(file: str | None) -> str:
    if file is not None:
        return file
    if not os.path.exists("lift.yaml"):
        raise click.UsageError("no FILE given and no lift.yaml in the current folder")
    return "lift.yaml"


def _report(diagnostics: list[Diagnostic]) -> None:
    from liftspec.report import text

    text.write(diagnostics)


@click.command("compile", epilog=COMPILE_EXAMPLES)
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=str))
@click.option("--env", "env", metavar="NAME", help="Environment to compile (default: the file's `environment`).")
@click.option(
    "--out",
    "out",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=str),
    help="Output folder (default: build/lift/<env> next to the lift.yaml).",
)
@click.option("--cfn", is_flag=True, help="Also write template.json: plain CloudFormation from the SAM translator.")
@click.option("--no-verify", "no_verify", is_flag=True, help="Skip the SAM translator, limit checks and cfn-lint.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and show the changes if the output folder is out of date.")
def compile_command(file: str | None, env: str | None, out: str | None, cfn: bool, no_verify: bool, check: bool) -> None:
    """Compile a lift.yaml into a SAM template, the runtime layer and its config."""
    from liftspec.cli.lint import load_settings
    from liftspec.pipeline import compile_file

    path = _file_argument(file)
    options = load_settings(None, False).options  # the [tool.liftspec] settings `liftspec lint` reads
    result = compile_file(path, out=out, env=env, cfn=cfn, verify=not no_verify, check=check, options=options)
    _report(result.diagnostics)
    if any(d.code == codes.UNKNOWN_ENVIRONMENT for d in result.diagnostics):
        sys.exit(2)
    if result.failed():
        click.echo(f"not compiled: {path} has errors; {result.out_dir or 'the output folder'} is unchanged", err=True)
        sys.exit(1)
    where = f"{result.out_dir}"
    if check:
        if result.changes:
            click.echo(f"{where} is out of date with {path} [{result.env}]:")
            for line in result.changes:
                click.echo(f"  {line}")
            click.echo("run `liftspec compile` to update it", err=True)
            sys.exit(1)
        click.echo(f"{where} is up to date [{result.env}]", err=True)
        return
    state = "up to date" if result.up_to_date else "wrote"
    sizes = f"{result.resources} resources"
    if result.resources_after_transform is not None:
        sizes += f", {result.resources_after_transform} after the SAM transform"
    checked = "verified with the SAM translator and cfn-lint" if result.verified else "not verified (--no-verify)"
    click.echo(f"{state} {where} [{result.env}]: {len(result.files)} files, {sizes}; {checked}", err=True)


@click.command("diff", epilog=DIFF_EXAMPLES)
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--env",
    "envs",
    metavar="NAME",
    multiple=True,
    help="Twice: compare two environments. Once: the compiled folder of that environment against now.",
)
@click.option(
    "--out",
    "out",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=str),
    help="Compiled folder to compare with what would be compiled now (default: build/lift/<env>).",
)
def diff_command(file: str | None, envs: tuple[str, ...], out: str | None) -> None:
    """Show what differs, in template terms: `ApiFunction.MemorySize: 512 → 1024`."""
    path = _file_argument(file)
    if len(envs) > 2 or (len(envs) == 2 and out):
        raise click.UsageError(
            "give --env twice to compare two environments, or --env once (and --out) to compare a compiled folder with now"
        )
    if len(envs) == 2:
        title, lines = _diff_envs(path, envs[0], envs[1])
    else:
        title, lines = _diff_folder(path, envs[0] if envs else None, out)
    if not lines:
        click.echo(f"{title}: no differences", err=True)
        return
    click.echo(f"{title}:")
    for line in lines:
        click.echo(f"  {line}")
    sys.exit(1)


def _compiled(path: str, env: str | None, out: str | None, *, cfn: bool = False) -> Any:
    """What compile would write now (not verified); input errors are printed and exit 2."""
    from liftspec.cli.lint import load_settings
    from liftspec.pipeline import compile_file

    options = load_settings(None, False).options
    result = compile_file(path, out=out, env=env, cfn=cfn, verify=False, check=True, options=options)
    if result.failed():
        _report(result.diagnostics)
        sys.exit(2)
    return result


def _diff_envs(path: str, first: str, second: str) -> tuple[str, list[str]]:
    from liftspec.verify.drift import file_changes

    old, new = _compiled(path, first, None), _compiled(path, second, None)
    # The template and the runtime config say it all; the other files are copies or renderings of them.
    compared = ("template.yaml", "lift_config.json")
    before = {name: content for name, content in old.files.items() if name in compared}
    after = {name: content for name, content in new.files.items() if name in compared}
    return f"{path}: {old.env} → {new.env}", file_changes(before, after, rename=(old.env, new.env))


def _diff_folder(path: str, env: str | None, out: str | None) -> tuple[str, list[str]]:
    from liftspec.outfolder import read_tree
    from liftspec.verify.drift import file_changes

    now = _compiled(path, env, out)  # refuses (exit 2) a folder liftspec cannot prove it wrote
    existing = read_tree(now.out_dir)
    if existing is None:
        command = f"liftspec compile {shlex.quote(path)} --env {shlex.quote(now.env)}"
        if out:
            command += f" --out {shlex.quote(out)}"
        raise UsageError(f"{now.out_dir} does not exist; run `{command}` first")
    if "template.json" in existing:  # the folder was compiled with --cfn: compare like with like
        now = _compiled(path, env, out, cfn=True)
    return f"{now.out_dir} → {path} [{now.env}] now", file_changes(existing, now.files)


COMMANDS = [compile_command, diff_command]
