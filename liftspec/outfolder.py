"""The compile output folder: when liftspec may replace it, and how it does so safely.

liftspec owns a folder only when it can prove it wrote it: its manifest.json is liftspec's format and
every file in it is one that manifest lists. `sam build` and `sam deploy` write `.aws-sam/` and
`samconfig.*` into the folder they run in; those are kept across compiles and never compared.
Replacing is atomic (a staging folder takes the target's place), serialised between processes by a
lock file beside the folder, and SIGINT/SIGTERM/SIGHUP are held until the folder is in one state or
the other, so no temporary folder is left behind. A symlinked output folder is written through: the
folder it points at is replaced and the link stays. docs/security.md sums this up.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator

from liftspec.diagnostics import UsageError
from liftspec.render.manifest import FORMAT, MANIFEST

# Written into the output folder by other tools; kept across compiles and never compared.
KEPT = (".aws-sam", "samconfig.toml", "samconfig.yaml", "samconfig.yml")
# Python's bytecode caches (importing lift_config.py from the folder writes one): derived, left out of comparisons.
CACHE_DIR = "__pycache__"
MAX_OUTPUT_FILE = 64 * 1024 * 1024
_DIGEST = re.compile(r"[0-9a-f]{64}")
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def real_target(out: str) -> str:
    """The folder to replace: `out` itself, or the folder a symlinked `out` points at."""
    if os.path.islink(out) and not os.path.exists(out):
        raise UsageError(f"{out} is a symlink to {os.readlink(out)}, which does not exist; point --out at a folder")
    return os.path.realpath(out)


def manifest_files(content: bytes) -> set[str] | None:
    """The files a liftspec manifest lists, or None when `content` is not a liftspec manifest."""
    try:
        data = json.loads(content)
    except ValueError:
        return None
    if not isinstance(data, dict) or type(data.get("manifest")) is not int or data["manifest"] != FORMAT:
        return None
    generator, files = data.get("generator"), data.get("files")
    if not isinstance(generator, str) or not generator.startswith("liftspec ") or not isinstance(files, dict):
        return None
    for name, digest in files.items():
        parts = name.split("/")
        if not isinstance(digest, str) or not _DIGEST.fullmatch(digest) or name.startswith("/") or {"", ".", ".."} & set(parts):
            return None
    return set(files)


def ownership_problem(folder: str) -> str | None:
    """Why liftspec may not replace `folder`, or None: it does not exist, is empty (but for what `sam`
    writes), or holds exactly files its liftspec manifest lists."""
    shown = folder
    folder = real_target(folder)
    if not os.path.lexists(folder):
        return None
    if not os.path.isdir(folder):
        return f"{shown} exists and is not a folder"
    try:
        entries = [e for e in os.listdir(folder) if e not in KEPT]
    except OSError as exc:
        return f"cannot read {shown}: {exc.strerror or exc}"
    if not entries:
        return None
    refuse = "liftspec replaces its output folder as a whole: choose a new or empty folder with --out"
    manifest = os.path.join(folder, MANIFEST)
    if not os.path.isfile(manifest) or os.path.islink(manifest):
        return f"{shown} is not empty and was not written by liftspec (it has no {MANIFEST}); {refuse}"
    try:
        listed = manifest_files(_read(manifest))
    except (OSError, UsageError):
        listed = None
    if listed is None:
        return f"{shown}/{MANIFEST} is not a liftspec manifest, so {shown} was not written by liftspec; {refuse}"
    try:
        stray = _first_unlisted(folder, "", listed | {MANIFEST})
    except OSError as exc:
        return f"cannot read {shown}: {exc.strerror or exc}; {refuse}"
    if stray is not None:
        return (
            f"{shown} holds {stray}, which liftspec did not write (its {MANIFEST} does not list it); "
            f"move it out of the folder, or {refuse.split(': ', 1)[1]}"
        )
    return None


def _first_unlisted(folder: str, rel: str, listed: set[str]) -> str | None:
    prefixes = {name.rsplit("/", i)[0] for name in listed for i in range(1, name.count("/") + 1)}
    for entry in sorted(os.scandir(os.path.join(folder, rel) if rel else folder), key=lambda e: e.name):
        name = f"{rel}/{entry.name}" if rel else entry.name
        if not rel and entry.name in KEPT:
            continue
        if entry.is_dir(follow_symlinks=False):
            if entry.name == CACHE_DIR and _only_bytecode(entry.path):
                continue
            if name not in prefixes:
                return name + "/"
            inner = _first_unlisted(folder, name, listed)
            if inner is not None:
                return inner
        elif name not in listed or not entry.is_file(follow_symlinks=False):
            return name
    return None


def _only_bytecode(folder: str) -> bool:
    return all(e.is_file(follow_symlinks=False) and e.name.endswith(".pyc") for e in os.scandir(folder))


def read_tree(folder: str) -> dict[str, bytes] | None:
    """The files liftspec compares in an output folder, by relative posix path (what `sam` keeps there and
    bytecode caches left out), or None when the folder does not exist."""
    if not os.path.isdir(folder):
        return None
    out: dict[str, bytes] = {}
    for root, dirs, names in os.walk(folder):
        top = os.path.samefile(root, folder)
        dirs[:] = sorted(d for d in dirs if d != CACHE_DIR and not (top and d in KEPT))
        for name in sorted(names):
            if top and name in KEPT:
                continue
            full = os.path.join(root, name)
            out[os.path.relpath(full, folder).replace(os.sep, "/")] = _read(full)
    return out


def _read(path: str) -> bytes:
    from liftspec.fileio import read_limited

    try:
        content = read_limited(path, MAX_OUTPUT_FILE)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(content) > MAX_OUTPUT_FILE:
        raise UsageError(f"cannot read {path}: larger than {MAX_OUTPUT_FILE:,} bytes")
    return content


# --- replacing the folder ---------------------------------------------------------


class _Interrupted(Exception):
    pass


def write_tree(target: str, files: dict[str, bytes]) -> None:
    """Replace `target` by a folder holding exactly `files` (and what `sam` kept there), or leave it as it was.

    Raises UsageError for I/O problems and for a folder liftspec may not replace."""
    real = real_target(target)
    parent, name = os.path.split(real)
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
    interrupted = False
    with _held_signals() as caught:
        try:
            with _locked(os.path.join(parent, f".{name}.lock"), caught):
                problem = ownership_problem(target)  # again: another process may have written it meanwhile
                if problem is not None:
                    raise UsageError(problem)
                _replace(real, files, caught)
        except _Interrupted:
            interrupted = True  # nothing changed; the signal is delivered when _held_signals ends
        except OSError as exc:
            raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
    if interrupted:  # the signal's handler let the process go on
        raise UsageError(f"interrupted: {target} was left as it was")


def _replace(real: str, files: dict[str, bytes], caught: list[int]) -> None:
    parent, name = os.path.split(real)
    staging: str | None = tempfile.mkdtemp(prefix=f".{name}.new-", dir=parent)
    backup: str | None = None
    try:
        assert staging is not None
        os.chmod(staging, 0o777 & ~_umask())
        for rel, content in files.items():
            full = os.path.join(staging, *rel.split("/"))
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as handle:
                handle.write(content)
            if caught:
                raise _Interrupted
        moved: list[str] = []
        try:
            if os.path.lexists(real):
                for kept in KEPT:
                    if os.path.lexists(os.path.join(real, kept)):
                        os.rename(os.path.join(real, kept), os.path.join(staging, kept))
                        moved.append(kept)
                backup = tempfile.mkdtemp(prefix=f".{name}.old-", dir=parent)
                os.rmdir(backup)
                os.rename(real, backup)
            try:
                os.rename(staging, real)
            except OSError:
                if backup is not None:
                    os.rename(backup, real)
                    backup = None
                raise
        except OSError:
            if os.path.isdir(real):
                for kept in moved:
                    os.rename(os.path.join(staging, kept), os.path.join(real, kept))
            raise
        staging = None
    finally:
        # After a failed swap that could not be undone, the old folder (backup) and what sam kept (in staging)
        # stay on disk: losing them would be worse than a leftover folder.
        if staging is not None and not any(os.path.lexists(os.path.join(staging, kept)) for kept in KEPT):
            shutil.rmtree(staging, ignore_errors=True)
        if backup is not None and staging is None:
            shutil.rmtree(backup, ignore_errors=True)


@contextlib.contextmanager
def _locked(lock_path: str, caught: list[int]) -> Iterator[None]:
    """An exclusive lock on `lock_path`, created for the purpose and removed afterwards. Waits for
    another compile writing the same folder; gives up (_Interrupted) when a signal arrives meanwhile."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): one writer is assumed
        yield
        return
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC, 0o600)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if caught:
                        raise _Interrupted from None
                    time.sleep(0.05)
            # The holder before us removes the file when done: lock the file that is there now.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(lock_path, follow_symlinks=False))
            except FileNotFoundError:
                same = False
            if same:
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock_path)
        os.close(fd)


@contextlib.contextmanager
def _held_signals() -> Iterator[list[int]]:
    """Note SIGINT/SIGTERM/SIGHUP instead of acting on them; afterwards deliver the first one noted.

    Only the main thread can set signal handlers; elsewhere signals act as usual."""
    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return
    ignored = {sig for sig in _SIGNALS if signal.getsignal(sig) is signal.SIG_IGN}  # e.g. SIGINT of a background job
    previous = {sig: signal.signal(sig, lambda signum, _frame: caught.append(signum)) for sig in _SIGNALS if sig not in ignored}
    try:
        yield caught
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
    if caught:
        signal.raise_signal(caught[0])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
