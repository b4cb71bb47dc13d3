"""Entry point. Commands live in their own modules and import heavy parts lazily."""

from __future__ import annotations

import click

from liftspec.cli.basic import init_command, schema_command
from liftspec.cli.lint import lint_command
from liftspec.diagnostics import UsageError
from liftspec.version import __version__

EPILOG = """\b
Examples:
  liftspec init                          write a starter lift.yaml
  liftspec lint                          lint ./lift.yaml in every environment
  liftspec lint services/*/lift.yaml --env staging
  liftspec schema > lift.schema.json     JSON Schema for editors
"""


class LiftGroup(click.Group):
    """Every command's UsageError (a bad --env, an unreadable pack...) ends the same way: a message and exit 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)


@click.group(cls=LiftGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG)
@click.version_option(__version__, "-V", "--version", prog_name="liftspec")
def cli() -> None:
    """Lint and compile lift.yaml: one file per Lambda service."""


cli.add_command(lint_command)
cli.add_command(schema_command)
cli.add_command(init_command)


def _optional_commands() -> None:
    # Commands added by later pipeline stages; each module registers itself if present.
    import importlib

    for module in ("liftspec.cli.rules", "liftspec.cli.compile"):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        for command in getattr(mod, "COMMANDS", []):
            cli.add_command(command)


_optional_commands()


def main() -> None:
    cli(prog_name="liftspec")
