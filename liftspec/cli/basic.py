"""`liftspec schema` and `liftspec init`."""

from __future__ import annotations

import os
import re
import sys

import click


@click.command("schema")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "markdown"]),
    default="json",
    help="json: the JSON Schema; markdown: the format reference (docs/format.md).",
)
def schema_command(fmt: str) -> None:
    """Print the JSON Schema (draft 2020-12) of lift.yaml, for editors and CI.

    \b
    `liftspec schema > lift.schema.json` writes it next to your lift.yaml;
    `liftspec schema --format markdown > docs/format.md` regenerates the format reference.
    """
    if fmt == "markdown":
        from liftspec.model.docs import markdown

        click.echo(markdown(), nl=False)
        return
    from liftspec.model.schema import render

    click.echo(render(), nl=False)


@click.command("init")
@click.argument("path", default="lift.yaml", type=click.Path(dir_okay=False, path_type=str))
@click.option("--service", metavar="NAME", help="Service name (default: the folder's name).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init_command(path: str, service: str | None, force: bool) -> None:
    """Write a commented starter lift.yaml that lints clean."""
    from liftspec.starter import STARTER_HANDLER, starter

    if os.path.exists(path) and not force:
        click.echo(f"error: {path} exists; use --force to overwrite it", err=True)
        sys.exit(2)
    if service is None:
        folder = os.path.basename(os.path.abspath(os.path.dirname(os.path.abspath(path))))
        service = re.sub(r"[^a-z0-9-]+", "-", folder.lower()).strip("-")
        if not re.match(r"^[a-z][a-z0-9-]{0,39}$", service):
            service = "my-service"
    elif not re.match(r"^[a-z][a-z0-9-]{0,39}$", service):
        raise click.BadParameter("1-40 chars of a-z, 0-9 and '-', starting with a letter", param_hint="--service")
    code_dir = os.path.join(os.path.dirname(os.path.abspath(path)), "src")
    handler_file = os.path.join(code_dir, "app.py")
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(starter(service))
        if not os.path.exists(code_dir):
            os.makedirs(code_dir)
            with open(handler_file, "w", encoding="utf-8") as handle:
                handle.write(STARTER_HANDLER)
            click.echo(f"wrote {os.path.relpath(handler_file)}")
    except OSError as exc:
        click.echo(f"error: cannot write {exc.filename or path}: {exc.strerror}", err=True)
        sys.exit(2)
    click.echo(f"wrote {path}; next: liftspec lint {path}, then liftspec compile {path}")
