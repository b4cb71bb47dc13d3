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

from liftspec.cachekey import DIR_NAME, cache_dir, code_signature, file_digest
from liftspec.fileio import read_limited

SCHEMA = 1

__all__ = ["DIR_NAME", "Cache", "cache_dir", "file_digest", "read_entry", "write_entry", "write_file"]


class Cache:
    """Entries of one cache folder, for one set of options and one day."""

    def __init__(self, options: str, today: str, folder: str | None = None) -> None:
        self.folder = folder or cache_dir()
        self._base = hashlib.sha256(f"{SCHEMA}\0{code_signature()}\0{options}\0{today}\0".encode())

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
        entry = json.loads(read_limited(os.path.join(folder, key[:2], key + ".json"), 50_000_000))
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) and entry.get("key") == key else None


def write_entry(folder: str, key: str, entry: dict[str, Any]) -> None:
    """Store an entry atomically (a reader sees the old one or the new one); any failure is ignored."""
    write_file(folder, os.path.join(key[:2], key + ".json"), json.dumps({**entry, "key": key}, sort_keys=True).encode())


def write_file(folder: str, name: str, data: bytes) -> None:
    """Write `name` in the cache folder through a temporary file and a rename; the folder gets a .gitignore of `*`."""
    try:
        ignore = os.path.join(folder, ".gitignore")
        if not os.path.exists(ignore):
            os.makedirs(folder, exist_ok=True)
            with open(ignore, "w", encoding="utf-8") as handle:
                handle.write("# Automatically created by liftspec.\n*\n")
        target = os.path.join(folder, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a cache that cannot be written only costs time
