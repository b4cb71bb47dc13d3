"""The `liftspec` console script: a plain `liftspec lint` runs without click (from the cache when it can), click
handles everything else."""

from __future__ import annotations

import sys
import types


def main() -> None:
    args = sys.argv[1:]
    _without_pydantic_plugins()
    if args[:1] == ["lint"]:
        status = answer(args[1:])
        if status is not None:
            sys.exit(status)
    from liftspec.cli.main import main as full

    full()


def answer(args: list[str]) -> int | None:
    """Run a plain `liftspec lint ARGS` without click: from the run cache when it can, else by linting (with the
    per-file cache). Returns the exit status, or None, having written nothing, for whatever the click command
    must handle (an unknown option, a usage error)."""
    from liftspec.cli.fast import cached, parse

    parsed = parse(args)
    if parsed is None:
        return None
    if not parsed[0]["no_cache"]:
        code = cached(*parsed)
        if code is not None:
            return code
    from liftspec.cli.lintrun import lint_plain

    return lint_plain(*parsed)


def _without_pydantic_plugins() -> None:
    """pydantic looks for plugins in every installed distribution's entry points (importlib.metadata, tens of ms on
    each run). liftspec's models are its own business and this process is liftspec's, so there are none to find.
    Only the command line does this: a program that imports liftspec keeps its plugins."""
    if "pydantic.plugin._loader" not in sys.modules:
        loader = types.ModuleType("pydantic.plugin._loader")
        loader.get_plugins = lambda: ()  # type: ignore[attr-defined]
        sys.modules["pydantic.plugin._loader"] = loader
