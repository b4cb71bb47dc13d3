"""The `liftspec` console script: a plain `liftspec lint` runs without click (from the cache when it can), click
handles everything else."""

from __future__ import annotations

import sys
import types


def main() -> None:
    args = sys.argv[1:]
    _without_pydantic_plugins()
    if args[:1] == ["lint"]:
        from liftspec.cli.fast import answer

        status = answer(args[1:])
        if status is not None:
            sys.exit(status)
    from liftspec.cli.main import main as full

    full()


def _without_pydantic_plugins() -> None:
    """pydantic looks for plugins in every installed distribution's entry points (importlib.metadata, tens of ms on
    each run). liftspec's models are its own business and this process is liftspec's, so there are none to find.
    Only the command line does this: a program that imports liftspec keeps its plugins."""
    if "pydantic.plugin._loader" not in sys.modules:
        loader = types.ModuleType("pydantic.plugin._loader")
        loader.get_plugins = lambda: ()  # type: ignore[attr-defined]
        sys.modules["pydantic.plugin._loader"] = loader
