"""What the result caches are keyed on, computed with the standard library's lightest modules only: a cache hit
must cost little more than starting Python (no re, json, dataclasses or enum here)."""

from __future__ import annotations

import contextlib
import os

from liftspec.digest import sha256
from liftspec.fileio import read_limited
from liftspec.version import __version__

__all__ = ["READ_LIMIT", "NoFiles", "cache_dir", "code_signature", "file_digest", "find_files", "find_pyproject"]

DIR_NAME = ".liftspec_cache"
READ_LIMIT = 1_000_001  # the loader's MAX_BYTES + 1: enough to tell a file over the limit
_PACKAGE = os.path.dirname(os.path.abspath(__file__))


class NoFiles(Exception):
    """Nothing to lint where the user pointed (a usage error)."""


def cache_dir(start: str | None = None) -> str:
    """$LIFTSPEC_CACHE_DIR, else .liftspec_cache in the project folder: the nearest with a pyproject.toml or .git."""
    configured = os.environ.get("LIFTSPEC_CACHE_DIR")
    if configured:
        return configured
    folder = os.path.abspath(start or os.getcwd())
    here = folder
    while True:
        if os.path.exists(os.path.join(here, "pyproject.toml")) or os.path.exists(os.path.join(here, ".git")):
            return os.path.join(here, DIR_NAME)
        parent = os.path.dirname(here)
        if parent == here:
            return os.path.join(folder, DIR_NAME)
        here = parent


def code_signature() -> str:
    """liftspec's own code and built-in packs: a version that has not changed can still have been edited (a checkout)."""
    digest = sha256(__version__.encode())
    folders = [_PACKAGE]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.is_dir() and entry.name != "__pycache__":
                    folders.append(entry.path)
                elif entry.name.endswith((".py", ".json")):
                    stat = entry.stat()
                    digest.update(f"{entry.path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    for folder in (os.path.join(_PACKAGE, "data", "policies"), os.path.join(os.path.dirname(_PACKAGE), "policies")):
        if os.path.isdir(folder):  # where liftspec.check.packs.builtin_dir() finds the built-in packs
            for name in sorted(os.listdir(folder)):
                digest.update(name.encode() + b"\0")
                with open(os.path.join(folder, name), "rb") as handle:
                    digest.update(handle.read(10_000_000))
            break
    return digest.hexdigest()


def find_pyproject(start: str) -> str | None:
    """The nearest pyproject.toml with a [tool.liftspec] table, from ``start`` upwards."""
    folder = os.path.abspath(start)
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate):
            with contextlib.suppress(OSError):  # unreadable, oversized or not a regular file: not ours to read
                if b"[tool.liftspec" in read_limited(candidate):
                    return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def find_files(paths: tuple[str, ...]) -> list[str]:
    """Files to lint: the given files, lift.yaml files under given folders, or ./lift.yaml."""
    if not paths:
        if not os.path.exists("lift.yaml"):
            raise NoFiles("no FILES given and no lift.yaml in the current folder")
        return ["lift.yaml"]
    out: list[str] = []
    for given in paths:
        if os.path.isdir(given):
            found = []
            for root, dirs, files in os.walk(given):
                dirs[:] = [d for d in dirs if d not in (".venv", "node_modules")]
                if "lift.yaml" in files:
                    found.append(os.path.join(root, "lift.yaml"))
            if not found:
                raise NoFiles(f"no lift.yaml below {given}")
            out += sorted(found)
        else:
            out.append(given)
    return list(dict.fromkeys(out))


def read_raw(file: str) -> bytes:
    """The file's bytes, bounded, regular files only (a named pipe or device raises instead of blocking)."""
    return read_limited(file, READ_LIMIT - 1)


def file_digest(path: str) -> str | None:
    """sha256 of a file's bytes; None when it cannot be read (a pack that is missing must stay missing)."""
    try:
        return sha256(read_limited(path, 50_000_000)).hexdigest()
    except OSError:
        return None
