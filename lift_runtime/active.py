"""The config in force: the one the wrapper was built with, else the generated ``lift_config.CONFIG``."""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lift_runtime.config_types import Config

CONFIG_MODULE = "lift_config"
_current: Config | None = None


def config() -> Config:
    """The active Config. Raises ModuleNotFoundError when lift_config is not importable (see docs/runtime.md)."""
    global _current
    if _current is None:
        __import__(CONFIG_MODULE)  # the builtin: importlib costs a few hundred microseconds of cold start
        _current = sys.modules[CONFIG_MODULE].CONFIG
    return _current


def use(value: Config | None) -> None:
    """Make `value` the active config (None: import lift_config again on next use)."""
    global _current
    _current = value
