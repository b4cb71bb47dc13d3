"""`liftspec schema` and `liftspec init`."""

from __future__ import annotations

import os
import re
import sys
from typing import NoReturn

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
        from liftspec.check.format_docs import markdown

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
    from liftspec.fileio import create_new, write_through
    from liftspec.starter import STARTER_HANDLER, starter

    if os.path.islink(path) and not os.path.exists(path):
        _fail(f"{path} is a symlink to {os.readlink(path)}, which does not exist; init does not write through it")
    if os.path.lexists(path) and not force:
        _fail(f"{path} exists; use --force to overwrite it")
    if os.path.isdir(path):
        _fail(f"{path} is a folder")
    if service is None:
        service = _service_from_folder(path)
    elif not re.match(SERVICE_NAME, service):
        raise click.BadParameter("1-40 chars of a-z, 0-9 and '-', starting with a letter", param_hint="--service")
    code_dir = os.path.join(os.path.dirname(os.path.abspath(path)), "src")
    handler_file = os.path.join(code_dir, "app.py")
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        content = starter(service).encode()
        if os.path.lexists(path):
            write_through(path, content)  # --force: the real file, keeping its mode
        else:
            create_new(path, content)
        if not os.path.lexists(code_dir):
            os.makedirs(code_dir)
            create_new(handler_file, STARTER_HANDLER.encode())
            click.echo(f"wrote {os.path.relpath(handler_file)}")
    except OSError as exc:
        _fail(f"cannot write {exc.filename or path}: {exc.strerror or exc}")
    click.echo(f"wrote {path}; next: liftspec lint {path}, then liftspec compile {path}")


SERVICE_NAME = r"^[a-z][a-z0-9-]{0,39}$"


def _service_from_folder(path: str) -> str:
    """The folder's name as a service name; says so when it had to change it."""
    folder = os.path.basename(os.path.dirname(os.path.abspath(path)))
    service = re.sub(r"[^a-z0-9-]+", "-", folder.lower()).strip("-")
    if not re.match(SERVICE_NAME, service):
        click.echo(
            f"note: the folder name {folder!r} cannot be a service name (1-40 chars of a-z, 0-9 and '-', starting with "
            "a letter); using 'my-service': pass --service NAME to choose one",
            err=True,
        )
        return "my-service"
    if service != folder:
        click.echo(
            f"note: service name {service!r}, from the folder name {folder!r}; pass --service NAME to choose one", err=True
        )
    return service


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)
