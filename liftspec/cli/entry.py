"""The `liftspec` console script: a plain `liftspec lint` answered from the cache first, click for the rest."""

from __future__ import annotations

import sys


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["lint"]:
        from liftspec.cli.lintrun import fast_lint

        status = fast_lint(args[1:])
        if status is not None:
            sys.exit(status)
    from liftspec.cli.main import main as full

    full()
