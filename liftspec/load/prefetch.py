"""Loading lift.yaml files in a forked child while this process imports the model.

Most of a cold `liftspec lint` is importing pydantic and creating the model classes, and loading a file
(PyYAML's import, libyaml, the source map) needs neither. So `Prefetch` forks a child that loads the files
already read, in order, and sends each Document, or the LiftError that stopped it, back through a pipe while
the caller imports the model and the rules: about 15 ms of a one-file lint, and a sixth of a 100-file one,
whose files stream through both cores. It is plain os.fork and a pipe, not multiprocessing as in
liftspec/verify/pool.py: importing multiprocessing alone costs about 18 ms, more than this saves on one file.

The result never depends on it: where fork is not available, in a process with other threads (forking one is
unsafe), or when anything goes wrong in the child, the caller loads the file itself, as without a prefetch.
Only this process's own child is ever unpickled.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from typing import IO, Any

from liftspec.diagnostics import LiftError
from liftspec.load import load_bytes
from liftspec.load.document import Document

Item = tuple[int, str, Any]  # (index, "ok", Document) or (index, "error", LiftError)


def can_fork() -> bool:
    threading = sys.modules.get("threading")
    return hasattr(os, "fork") and (threading is None or threading.active_count() == 1)


class Prefetch:
    """`document(i)` is the i-th source's Document; ask for them in order (each is received once)."""

    def __init__(self, sources: list[tuple[str, bytes]], *, fork: bool = True) -> None:
        self._sources = sources
        self._next = 0  # the index of the next item the child sends
        self._pid: int | None = None
        self._pipe: IO[bytes] | None = None
        if fork and sources and can_fork():
            self._start()

    def _start(self) -> None:
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child never returns from here
            os.close(read)
            _serve(self._sources, write)
        os.close(write)
        self._pid, self._pipe = pid, os.fdopen(read, "rb")

    @property
    def forked(self) -> bool:
        """A child is loading the files (the caller can do something else meanwhile)."""
        return self._pid is not None

    def document(self, index: int) -> Document:
        item = self._received(index)
        if item is None:
            file, raw = self._sources[index]
            return load_bytes(raw, file)
        status, value = item
        if status == "error":
            raise value
        document: Document = value
        return document

    def _received(self, index: int) -> tuple[str, Any] | None:
        if self._pipe is None or index != self._next:
            self._stop()
            return None
        try:
            sent, status, value = pickle.load(self._pipe)  # this process's own child, never a user's data
        except Exception:  # the child stopped or sent something broken: load here from now on
            self._stop()
            return None
        self._next += 1
        expected = {"ok": Document, "error": LiftError}.get(status)
        if sent != index or expected is None or not isinstance(value, expected):
            self._stop()
            return None
        return status, value

    def _stop(self) -> None:
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        if self._pid is not None:
            with contextlib.suppress(OSError):  # it has exited already
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None

    def close(self) -> None:
        self._stop()

    def __enter__(self) -> Prefetch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(sources: list[tuple[str, bytes]], fd: int) -> None:
    """The child: load each source, send it, exit without running the parent's exit handlers or flushing its
    buffers (which would write the parent's pending output twice)."""
    try:
        with os.fdopen(fd, "wb") as out:
            for index, (file, raw) in enumerate(sources):
                item: Item
                try:
                    item = (index, "ok", load_bytes(raw, file))
                except LiftError as exc:
                    item = (index, "error", exc)
                pickle.dump(item, out, protocol=pickle.HIGHEST_PROTOCOL)
                out.flush()
    except BaseException:  # the parent loads whatever did not arrive, itself
        pass
    finally:
        os._exit(0)
