"""The lint result cache, like ruff's: one JSON entry per file state, read before anything heavy is imported.

An entry's name is a digest of everything the result depends on that is known before linting: the
file's bytes, the options, today's date (suppressions expire), liftspec's version and code, and the
bytes of every built-in pack. Pack files the lint read besides (a lift.yaml's own policy.packs,
extra-packs) are listed in the entry with their digests and checked on every hit. Entries live in
`.liftspec_cache/` in the project folder (the nearest one with a pyproject.toml or .git, else the
current folder), or in $LIFTSPEC_CACHE_DIR. A missing, unreadable or corrupt entry is a miss; a
failure to write one is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from liftspec import __version__

SCHEMA = 1
DIR_NAME = ".liftspec_cache"
_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def cache_dir(start: str | None = None) -> str:
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


def _code_signature() -> str:
    """liftspec's own code and built-in packs: a version that has not changed can still have been edited (a checkout)."""
    digest = hashlib.sha256(__version__.encode())
    for root, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json")):
                path = os.path.join(root, name)
                stat = os.stat(path)
                digest.update(f"{os.path.relpath(path, _PACKAGE)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _builtin_packs() -> bytes:
    # Where liftspec.check.packs.builtin_dir() finds them, without importing the pack parser.
    for folder in (os.path.join(_PACKAGE, "data", "policies"), os.path.join(os.path.dirname(_PACKAGE), "policies")):
        if os.path.isdir(folder):
            out = b""
            for name in sorted(os.listdir(folder)):
                with open(os.path.join(folder, name), "rb") as handle:
                    out += name.encode() + b"\0" + handle.read(10_000_000)
            return out
    return b""


class Cache:
    """Entries of one cache folder, for one set of options and one day."""

    def __init__(self, options: str, today: str, folder: str | None = None) -> None:
        self.folder = folder or cache_dir()
        base = hashlib.sha256(f"{SCHEMA}\0{_code_signature()}\0{options}\0{today}\0".encode())
        base.update(_builtin_packs())
        self._base = base

    def key(self, file: str, raw: bytes) -> str:
        digest = self._base.copy()
        digest.update(f"{os.path.abspath(file)}\0{file}\0".encode())
        digest.update(raw)
        return digest.hexdigest()

    def get(self, key: str) -> dict[str, Any] | None:
        entry = read_entry(self.folder, key)
        try:
            if entry is None or any(file_digest(path) != expected for path, expected in entry["deps"].items()):
                return None
            result = entry["result"]
        except (KeyError, TypeError, AttributeError):
            return None
        return result if isinstance(result, dict) else None

    def put(self, key: str, deps: dict[str, str | None], result: dict[str, Any]) -> None:
        write_entry(self.folder, key, {"deps": deps, "result": result})


def read_entry(folder: str, key: str) -> dict[str, Any] | None:
    """The entry stored under `key`; None when there is none or it cannot be read or is not one of ours."""
    try:
        with open(os.path.join(folder, key[:2], key + ".json"), "rb") as handle:
            entry = json.loads(handle.read(50_000_000))
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) and entry.get("key") == key else None


def write_entry(folder: str, key: str, entry: dict[str, Any]) -> None:
    """Store an entry atomically (a reader sees the old one or the new one); any failure is ignored."""
    try:
        ignore = os.path.join(folder, ".gitignore")
        if not os.path.exists(ignore):
            os.makedirs(folder, exist_ok=True)
            with open(ignore, "w", encoding="utf-8") as handle:
                handle.write("# Automatically created by liftspec.\n*\n")
        sub = os.path.join(folder, key[:2])
        os.makedirs(sub, exist_ok=True)
        import tempfile

        data = json.dumps({**entry, "key": key}, sort_keys=True).encode()
        fd, tmp = tempfile.mkstemp(dir=sub, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, os.path.join(sub, key + ".json"))
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a cache that cannot be written only costs time


def file_digest(path: str) -> str | None:
    """sha256 of a file's bytes; None when it cannot be read (a pack that is missing must stay missing)."""
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None
