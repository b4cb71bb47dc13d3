"""Lint options, and the ``[tool.liftspec]`` table of pyproject.toml that sets their defaults.

```toml
[tool.liftspec]
fail-on = "error"            # error | warning | info | never: the lowest severity that fails the run
min-severity = "info"        # findings below this are not shown
format = "text"              # text | json | sarif | github | junit
extra-packs = ["policy/acme.yaml"]                          # added to every environment (relative to pyproject.toml)
default-packs = {production = ["production"], "*" = ["staging"]}  # for environments without policy.packs
```
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from liftspec.cachekey import find_pyproject
from liftspec.diagnostics import UsageError
from liftspec.fileio import MAX_FILE_BYTES, read_limited

if TYPE_CHECKING:
    from liftspec.check.packs import PackCache

__all__ = ["Config", "LintOptions", "find_pyproject", "load_config"]

FORMATS = ("text", "json", "sarif", "github", "junit")
FAIL_ON = ("error", "warning", "info", "never")
SEVERITY_NAMES = ("error", "warning", "info")
CONFIG_KEYS = ("fail-on", "min-severity", "format", "extra-packs", "default-packs")


def _pack_cache() -> PackCache:
    from liftspec.check.packs import PackCache

    return PackCache()


@dataclass(frozen=True)
class LintOptions:
    """What the rule engine needs beyond the file: pack defaults and the date that decides expiry.

    ``packs`` caches the user packs of the runs that share these options (not part of what they compare or show).
    """

    default_packs: dict[str, list[str]] | None = None
    extra_packs: tuple[str, ...] = ()
    today: date | None = None
    packs: PackCache = field(default_factory=_pack_cache, compare=False, repr=False)


@dataclass(frozen=True)
class Config:
    file: str | None = None
    fail_on: str = "error"
    min_severity: str = "info"
    format: str = "text"
    options: LintOptions = field(default_factory=LintOptions)


def load_config(path: str | None) -> Config:
    """Read [tool.liftspec]; raises UsageError with the file and key for anything invalid."""
    if path is None:
        return Config()
    import tomllib

    try:
        raw = read_limited(path)
        if len(raw) > MAX_FILE_BYTES:
            raise UsageError(f"cannot read {path}: larger than {MAX_FILE_BYTES:,} bytes, the limit")
        table = tomllib.loads(raw.decode("utf-8")).get("tool", {}).get("liftspec", {})
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from None
    if not isinstance(table, dict):
        raise UsageError(f"{path}: [tool.liftspec] must be a table")
    for key in table:
        if key not in CONFIG_KEYS:
            raise UsageError(f"{path}: unknown key '{key}' in [tool.liftspec] (allowed: {', '.join(CONFIG_KEYS)})")
    base = os.path.dirname(os.path.abspath(path))
    fail_on = _choice(table, "fail-on", FAIL_ON, "error", path)
    min_severity = _choice(table, "min-severity", SEVERITY_NAMES, "info", path)
    fmt = _choice(table, "format", FORMATS, "text", path)
    extra = table.get("extra-packs", [])
    if not isinstance(extra, list) or not all(isinstance(p, str) and p for p in extra):
        raise UsageError(f"{path}: extra-packs must be a list of pack file paths")
    extra_paths = tuple(_pack_path(p, base, path) for p in extra)
    defaults = table.get("default-packs")
    default_packs: dict[str, list[str]] | None = None
    if defaults is not None:
        if not isinstance(defaults, dict) or not all(
            isinstance(v, list) and all(isinstance(p, str) and p for p in v) for v in defaults.values()
        ):
            raise UsageError(f'{path}: default-packs must map environment names (or "*") to lists of packs')
        default_packs = {env: [_default_ref(p, base, path) for p in refs] for env, refs in defaults.items()}
    return Config(path, fail_on, min_severity, fmt, LintOptions(default_packs, extra_paths))


def _choice(table: dict[str, Any], key: str, allowed: tuple[str, ...], default: str, path: str) -> str:
    value = table.get(key, default)
    if value not in allowed:
        raise UsageError(f"{path}: {key} must be one of {', '.join(allowed)}, got {value!r}")
    return str(value)


def _pack_path(ref: str, base: str, path: str) -> str:
    full = ref if os.path.isabs(ref) else os.path.join(base, ref)
    if not os.path.isfile(full):
        raise UsageError(f"{path}: policy pack {ref} not found (paths are relative to pyproject.toml)")
    return full


def _default_ref(ref: str, base: str, path: str) -> str:
    from liftspec.check.packs import BUILTIN_PACKS, is_path

    if is_path(ref):
        return _pack_path(ref, base, path)
    if ref not in BUILTIN_PACKS:
        raise UsageError(f"{path}: default-packs names unknown pack '{ref}' (built-in: {', '.join(BUILTIN_PACKS)})")
    return ref
