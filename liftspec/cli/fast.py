"""A plain `liftspec lint ...` answered from the cache before click, pydantic or the rules are imported.

A run entry holds a whole invocation's report and exit status, keyed on everything they depend on
that is known before linting: liftspec's code and built-in packs, today's date, the folder, the
options, the pyproject.toml that configures them, whether colour is possible, and every file's path
and bytes. The user pack files the run read are listed with their digests and checked on each hit.
`liftspec lint` writes the entry after a run without --fix, --diff, --show-suppressed, --output or
--no-cache. Anything unusual (an option this parser does not know, a missing file, a broken entry)
is left to the click command. Only light modules are imported here (see liftspec/cachekey.py).
"""

from __future__ import annotations

import os
import sys
import time

from liftspec.cachekey import NoFiles, cache_dir, code_signature, file_digest, find_files, find_pyproject, read_raw
from liftspec.digest import sha256
from liftspec.fileio import read_limited

MAGIC = b"liftspec-run-cache 1\n"
_VALUED = {"--env": "env", "--format": "fmt", "--fail-on": "fail_on", "--min-severity": "min_severity", "--config": "config"}
_CHOICES = {
    "fmt": ("text", "json", "sarif", "github", "junit"),
    "fail_on": ("error", "warning", "info", "never"),
    "min_severity": ("info", "warning", "error"),
}
OPTIONS = ("env", "fmt", "fail_on", "min_severity", "config", "isolated")
FLAGS = {"--isolated": "isolated", "--no-cache": "no_cache"}


def parse(args: list[str]) -> tuple[dict[str, str | None], tuple[str, ...]] | None:
    """Options and files of a plain `liftspec lint` command line; None for anything left to click."""
    values: dict[str, str | None] = dict.fromkeys((*OPTIONS, "no_cache"))
    files: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, inline = arg.partition("=")
        if name in _VALUED:
            if eq:
                value = inline
            elif i + 1 < len(args):
                i += 1
                value = args[i]
            else:
                return None
            option = _VALUED[name]
            if values[option] is not None or (option in _CHOICES and value not in _CHOICES[option]):
                return None
            values[option] = value
        elif arg in FLAGS:
            values[FLAGS[arg]] = "1"
        elif arg.startswith("-"):
            return None  # --fix, --diff, --output, --no-cache, --help...: the click command handles them
        else:
            files.append(arg)
        i += 1
    return values, tuple(files)


def run_key(values: dict[str, str | None], paths: tuple[str, ...]) -> tuple[str, list[str]] | None:
    """The run entry's key and the files linted; None when a file cannot be read (the click command says why)."""
    try:
        files = find_files(paths)
        config = None if values["isolated"] else (values["config"] or find_pyproject(os.getcwd()))
        digest = sha256(b"run\0" + code_signature().encode())
        options = "\0".join(f"{name}={values[name]}" for name in OPTIONS)
        colour = f"{os.environ.get('NO_COLOR', '')}\0{hasattr(sys.stdout, 'isatty') and sys.stdout.isatty()}"
        digest.update(f"\0{time.strftime('%Y-%m-%d')}\0{os.getcwd()}\0{options}\0{colour}\0{config}\0".encode())
        if config is not None:
            digest.update(read_raw(config))
        for file in files:
            raw = read_raw(file)
            digest.update(f"\0{len(file)}:{file}\0{len(raw)}:".encode() + raw)
    except (OSError, NoFiles):
        return None
    return digest.hexdigest(), files


def _name(key: str) -> str:
    return os.path.join(key[:2], key + ".run")


def cached(values: dict[str, str | None], paths: tuple[str, ...]) -> int | None:
    keyed = run_key(values, paths)
    if keyed is None:
        return None
    try:
        data = read_limited(os.path.join(cache_dir(), _name(keyed[0])), 100_000_000)
        head, sep, output = data.partition(b"\n\n")
        lines = head.decode().split("\n")
        if not sep or lines[0] + "\n" != MAGIC.decode() or lines[1] != "key " + keyed[0]:
            return None
        code = int(lines[2].removeprefix("code "))
        for line in lines[3:]:
            _, digest, path = line.split(" ", 2)
            if (file_digest(path) or "-") != digest:
                return None
        text = output.decode()
    except (OSError, ValueError, IndexError):
        return None
    sys.stdout.write(text)
    sys.stdout.flush()
    return code


def store(values: dict[str, str | None], paths: tuple[str, ...], output: str, code: int, deps: dict[str, str | None]) -> None:
    """Keep a run's report and exit status for `cached` (atomically; a failure only costs time next run)."""
    keyed = run_key(values, paths)
    if keyed is None or any("\n" in path for path in deps):
        return
    head = MAGIC.decode() + f"key {keyed[0]}\ncode {code}\n" + "".join(f"dep {d or '-'} {p}\n" for p, d in sorted(deps.items()))
    from liftspec.cache import write_file

    write_file(cache_dir(), _name(keyed[0]), head.encode() + b"\n" + output.encode())
