"""liftspec: lint and compile lift.yaml, one file per Lambda service.

The Python API for build scripts (results, never printing)::

    import liftspec
    doc = liftspec.load("lift.yaml")
    result = liftspec.lint("lift.yaml", env="production")
    out = liftspec.compile("lift.yaml", out="build/lift", env="production")
"""

from __future__ import annotations

from liftspec.version import __version__

TYPE_CHECKING = False  # not typing's: importing typing costs a cached `liftspec lint` a third of its time
if TYPE_CHECKING:
    from typing import Any

    from liftspec.api import compile, lint, load

__all__ = ["__version__", "compile", "lint", "load"]


def __getattr__(name: str) -> Any:
    # Lazy so that `import liftspec` (and the CLI's startup) stays cheap.
    if name in ("load", "lint", "compile"):
        from liftspec import api

        return getattr(api, name)
    raise AttributeError(name)
