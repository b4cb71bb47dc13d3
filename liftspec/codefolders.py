"""compile's code folders: the checks of their existence, and the bounded walk that digests their files.

Below the pipeline (liftspec/pipeline.py runs compile); renders nothing and writes nothing.
"""

from __future__ import annotations

import errno
import os
import posixpath
import stat
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from liftspec import codes
from liftspec.diagnostics import Severity
from liftspec.digest import sha256
from liftspec.reporter import Reporter

if TYPE_CHECKING:
    from liftspec.model.effective import EffectiveFunction, EffectiveService
    from liftspec.resolve import Resolved

_SKIP_DIRS = {"__pycache__", ".git", ".venv", "node_modules", ".aws-sam"}


def code_problems(resolved: Resolved, service: EffectiveService, lift_dir: str, out_dir: str, reporter: Reporter) -> None:
    """Report code folders that do not exist (errors) or hold the output folder (warnings). Handlers are
    checked by lint (LS311)."""
    from liftspec.resolve.locate import diagnostic_at  # ruamel: not before compile forks its workers

    reported: set[tuple[str, str]] = set()
    for fn in service.functions:
        where = fn.source("code")
        folder = os.path.join(lift_dir, fn.code)
        if not os.path.isdir(folder):
            if ("missing", fn.code) not in reported:
                reported.add(("missing", fn.code))
                reporter.report(
                    diagnostic_at(
                        resolved,
                        codes.MISSING_CODE_FOLDER,
                        Severity.ERROR,
                        where,
                        f"code folder {fn.code} does not exist (next to {os.path.basename(resolved.file)})",
                        "create it, or point `code` at the folder that holds the function's code",
                    )
                )
            continue
        if inside(out_dir, folder) and ("out", fn.code) not in reported:
            reported.add(("out", fn.code))
            reporter.report(
                diagnostic_at(
                    resolved,
                    codes.OUTPUT_IN_CODE_FOLDER,
                    Severity.WARNING,
                    where,
                    f"the output folder is inside code folder {fn.code}: "
                    "sam build would package the compiled files with the function",
                    "keep the code in its own folder (code: src/), or compile with --out outside it",
                )
            )
        if fn.wrapper == "go" and not os.path.isfile(os.path.join(folder, "go.mod")) and ("go.mod", fn.code) not in reported:
            reported.add(("go.mod", fn.code))
            reporter.report(
                diagnostic_at(
                    resolved,
                    codes.GO_MODULE_NOT_FOUND,
                    Severity.WARNING,
                    where,
                    f"build: go, but code folder {fn.code} has no go.mod: sam build would not find the Go module",
                    f"run `go mod init` in {fn.code} (docs/go.md shows the require and replace lines liftspec's module needs)",
                )
            )


def walk_problems(resolved: Resolved, fn: EffectiveFunction, walk: CodeWalk, reporter: Reporter) -> None:
    from liftspec.resolve.locate import diagnostic_at  # ruamel: not before compile forks its workers

    if walk.too_large is not None:
        reporter.report(
            diagnostic_at(
                resolved,
                codes.CODE_FOLDER_TOO_LARGE,
                Severity.ERROR,
                fn.source("code"),
                f"code folder {fn.code} holds {walk.too_large}, more than a Lambda function can hold",
                "point `code` at the folder with the function's code only (e.g. src/), not a whole repository or disk",
            )
        )
    for rel, kind in walk.skipped[:5]:
        reporter.report(
            diagnostic_at(
                resolved,
                codes.UNPACKABLE_CODE_FILE,
                Severity.WARNING,
                fn.source("code"),
                f"code folder {fn.code} holds {rel}, which cannot be packaged: {kind}",
                "remove it from the code folder, or make it a regular file",
            )
        )


def inside(path: str, folder: str) -> bool:
    path, folder = os.path.abspath(path), os.path.abspath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


# The code folder walk is bounded: Lambda takes at most 250 MB of unzipped code and layers.
MAX_CODE_FILES = 20_000
MAX_CODE_BYTES = 250 * 1024 * 1024


@dataclass
class CodeWalk:
    """sha256 over the relative paths and contents of the files under a code folder, and what stopped it."""

    digest: str = ""
    too_large: str | None = None  # why the walk stopped (LS724)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, what it is): not packageable (LS725)


def tree_digest(folder: str, skip: str | None = None) -> CodeWalk:
    """Caches, other output folders and `skip` are left out; symlinks to files are followed."""
    from liftspec.fileio import file_kind, read_limited

    walk = CodeWalk()
    digest = sha256()
    total = 0
    files = _files_under(folder, skip, walk)
    for rel in sorted(files):
        full = os.path.join(folder, rel)
        try:
            info = os.stat(full)
        except OSError as exc:
            walk.skipped.append((rel, _unreadable(full, exc)))
            continue
        if not stat.S_ISREG(info.st_mode):
            walk.skipped.append((rel, file_kind(info.st_mode)))
            continue
        total += info.st_size
        if total > MAX_CODE_BYTES:
            walk.too_large = f"more than {MAX_CODE_BYTES // (1024 * 1024)} MB of files"
            return walk
        try:
            content = read_limited(full, MAX_CODE_BYTES)
        except OSError as exc:
            walk.skipped.append((rel, f"unreadable: {exc.strerror or exc}"))
            continue
        digest.update(rel.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(sha256(content).digest())
    if walk.too_large is None:
        walk.digest = digest.hexdigest()[:16]
    return walk


def _unreadable(path: str, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a symlink loop"
    if os.path.islink(path):
        return "a symlink to a file that does not exist"
    return f"unreadable: {exc.strerror or exc}"


def files_digest(files: dict[str, bytes]) -> str:
    digest = sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + sha256(files[name]).digest())
    return digest.hexdigest()[:16]


def _files_under(folder: str, skip: str | None, walk: CodeWalk) -> list[str]:
    out: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not _is_output(os.path.join(root, d), skip))
        for name in names:
            if not name.endswith(".pyc"):
                out.append(os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/"))
        if len(out) > MAX_CODE_FILES:
            walk.too_large = f"more than {MAX_CODE_FILES:,} files"
            return []
    return out


def _is_output(folder: str, skip: str | None) -> bool:
    """The output folder, or a folder liftspec wrote (compiles of other environments, temporary folders)."""
    from liftspec.render.manifest import MANIFEST

    if skip is not None and os.path.abspath(folder) == skip:
        return True
    name = os.path.basename(folder)
    return os.path.isfile(os.path.join(folder, MANIFEST)) or (name.startswith(".") and (".new-" in name or ".old-" in name))


def source_name(file: str) -> str:
    """The lift.yaml as named in generated files: relative to the repository root, else its file name.

    Never the path as typed, so that the output does not depend on the folder compile was run from.
    """
    here = os.path.dirname(os.path.abspath(file))
    probe = here
    while True:
        if os.path.exists(os.path.join(probe, ".git")):
            return posixpath.join(*os.path.relpath(os.path.abspath(file), probe).split(os.sep))
        parent = os.path.dirname(probe)
        if parent == probe:
            return os.path.basename(file)
        probe = parent
