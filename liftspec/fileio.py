"""Reading and rewriting the user's files safely: bounded reads of regular files only, and atomic
writes that go through symlinks to the real file and keep its mode and owner (docs/security.md)."""

from __future__ import annotations

import contextlib
import errno
import os
import stat

# The size limit of every file liftspec reads (a lift.yaml, a policy pack, pyproject.toml).
MAX_FILE_BYTES = 1_000_000


class NotRegularFile(OSError):
    """A device, a named pipe, a socket or a folder where a file was expected."""

    def __init__(self, path: str, kind: str):
        super().__init__(errno.EINVAL, f"not a regular file ({kind})", path)


def file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def read_limited(path: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """At most ``limit + 1`` bytes of a regular file (one more than the limit, so that the caller can
    tell an oversized file). Raises OSError, NotRegularFile for anything but a regular file.

    Opened without blocking, so a named pipe is refused instead of waiting for a writer."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, file_kind(mode))
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def write_through(path: str, content: bytes) -> None:
    """Replace the file at ``path`` in one step: a reader sees the old content or the new.

    A symlink is followed to the real file, which is rewritten (the link stays a link). The file keeps
    its mode and, where the process may set it, its owner and group. A file this user may not write
    (read-only, or in a folder it may not write) raises PermissionError and is left alone."""
    real = os.path.realpath(path)
    try:
        before = os.stat(real)
    except FileNotFoundError:
        if os.path.islink(path):  # a dangling link would create a file wherever it points
            raise OSError(errno.ENOENT, "a symlink to a file that does not exist", path) from None
        before = None
    if before is not None:
        if not stat.S_ISREG(before.st_mode):
            raise NotRegularFile(path, file_kind(before.st_mode))
        # Read-only by its mode (even for root, who may write anything) or for this user.
        if not before.st_mode & 0o222 or not os.access(real, os.W_OK):
            raise PermissionError(errno.EACCES, "the file is read-only", path)
    folder = os.path.dirname(real)
    if before is not None and ((before.st_uid != os.geteuid() and os.geteuid() != 0) or not os.access(folder, os.W_OK)):
        # A new file would belong to this user (or cannot be made): rewrite the file itself instead.
        with open(real, "r+b") as existing:
            existing.write(content)
            existing.truncate()
        return
    import tempfile

    handle, temp = tempfile.mkstemp(prefix=".liftspec-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        if before is not None:
            if (before.st_uid, before.st_gid) != (os.geteuid(), os.getegid()):
                with contextlib.suppress(PermissionError):  # another group may be refused
                    os.chown(temp, before.st_uid, before.st_gid)
            os.chmod(temp, stat.S_IMODE(before.st_mode))
        else:
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def create_new(path: str, content: bytes) -> None:
    """Write a file that must not exist yet: never through a symlink, never over an existing file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    with os.fdopen(fd, "wb") as out:
        out.write(content)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
