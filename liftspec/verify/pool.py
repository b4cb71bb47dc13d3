"""cfn-lint in a worker process, started early so that loading it overlaps the rest of the compile.

Loading cfn-lint and its rules costs more than linting a template, and the SAM translator has to run
before the CloudFormation form exists. So one worker is forked when the compile starts and loads
cfn-lint while the compiler lints, renders and translates; every template it is given but the last
is linted in a child forked from the loaded worker, the last one by the worker itself, so the two
forms are linted at the same time without loading cfn-lint twice. A template linted alone (the usual
case: only the CloudFormation form) is shared between the worker and one child, half of the resource
schema walk each (`Linter.lint(part=)`), so its lint uses both cores. Where `fork` is not available,
templates are linted here, one after the other.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from multiprocessing.connection import Connection
from typing import Any

from liftspec.verify.cfn_lint import Linter, LintFinding, ordered

Outcome = tuple[str, Any]  # ("ok", [LintFinding]) or ("error", message)


class LintFailed(Exception):
    """cfn-lint itself failed (not: it found problems)."""


def _lint_one(linter: Linter, text: str, region: str, conn: Connection, part: tuple[int, int] | None = None) -> None:
    try:
        outcome: Outcome = ("ok", linter.lint(text, region, part))
    except BaseException as exc:  # reported to the parent, which turns it into a diagnostic
        outcome = ("error", f"{type(exc).__name__}: {exc}")
    with contextlib.suppress(OSError):  # the compile stopped and nobody listens any more
        conn.send(outcome)
    conn.close()


def _serve(conn: Connection) -> None:
    # EOF: the compiler stopped early and closed the pipe, there is nobody to report to.
    with contextlib.suppress(EOFError, OSError):
        _serve_templates(conn)


def _serve_templates(conn: Connection) -> None:
    ctx = multiprocessing.get_context("fork")
    try:
        linter = Linter()
    except BaseException as exc:
        failure: Outcome = ("error", f"{type(exc).__name__}: {exc}")
        texts = 0
        while conn.recv() is not None:
            texts += 1
        conn.send([failure] * texts)
        return
    children: list[tuple[Any, Connection]] = []
    held: tuple[str, str] | None = None  # the latest template: linted here if no other one follows
    while (job := conn.recv()) is not None:
        if held is not None:
            children.append(_fork(ctx, linter, *held, None))
        held = job
    last: list[Outcome] = []
    if held is not None:
        # A lone template is shared with a child: one half of its resources each, on two cores.
        helper = _fork(ctx, linter, *held, (0, 2)) if not children and _cores() > 1 and linter.can_split() else None
        try:
            mine = linter.lint(*held, (1, 2) if helper else None)
            last = [("ok", mine)]
        except Exception as exc:
            last = [("error", f"{type(exc).__name__}: {exc}")]
        if helper is not None:
            last = [_joined(last[0], _received(*helper))]
    outcomes = [_received(child, receive) for child, receive in children]
    conn.send(outcomes + last)
    conn.close()


def _fork(ctx: Any, linter: Linter, text: str, region: str, part: tuple[int, int] | None) -> tuple[Any, Connection]:
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_lint_one, args=(linter, text, region, send, part), daemon=True)
    child.start()
    send.close()
    return child, receive


def _received(child: Any, receive: Connection) -> Outcome:
    try:
        outcome: Outcome = receive.recv()
    except EOFError:
        outcome = ("error", "the cfn-lint process stopped")
    child.join()
    return outcome


def _joined(first: Outcome, second: Outcome) -> Outcome:
    """The findings of both halves of one template (the same finding from both, once), or the first error."""
    for outcome in (first, second):
        if outcome[0] != "ok":
            return outcome
    return ("ok", ordered([*first[1], *second[1]]))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Pending:
    """A template handed to cfn-lint; `result()` waits for its findings."""

    def __init__(self, pool: LintPool, index: int) -> None:
        self._pool, self._index = pool, index

    def result(self) -> list[LintFinding]:
        status, value = self._pool.outcome(self._index)
        if status != "ok":
            raise LintFailed(str(value))
        return list(value)


class LintPool:
    """Templates submitted are linted in parallel; `Pending.result()` collects them all at once."""

    def __init__(self) -> None:
        self._texts: list[tuple[str, str]] = []
        self._outcomes: list[Outcome] | None = None
        self._local: Linter | None = None
        self._conn: Connection | None = None
        self._process: Any = None
        if "fork" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("fork")
            self._conn, child = ctx.Pipe()
            self._process = ctx.Process(target=_serve, args=(child,))
            self._process.start()
            child.close()

    def submit(self, text: str, region: str) -> Pending:
        if self._outcomes is not None:
            raise RuntimeError("submit after results were collected")
        self._texts.append((text, region))
        if self._conn is not None:
            try:
                self._conn.send((text, region))
            except OSError as exc:
                self._outcomes = [("error", f"the cfn-lint worker stopped: {exc}")] * len(self._texts)
        return Pending(self, len(self._texts) - 1)

    def outcome(self, index: int) -> Outcome:
        if self._outcomes is None:
            self._outcomes = self._collect()
        return self._outcomes[index]

    def _collect(self) -> list[Outcome]:
        if self._conn is None:
            return [self._lint_here(text, region) for text, region in self._texts]
        try:
            self._conn.send(None)
            outcomes: list[Outcome] = self._conn.recv()
        except (EOFError, OSError) as exc:
            outcomes = [("error", f"the cfn-lint worker stopped: {exc or type(exc).__name__}")] * len(self._texts)
        self.close()
        return outcomes

    def _lint_here(self, text: str, region: str) -> Outcome:
        try:
            self._local = self._local or Linter()
            return ("ok", self._local.lint(text, region))
        except Exception as exc:  # cfn-lint failing must become a diagnostic
            return ("error", f"{type(exc).__name__}: {exc}")

    def close(self) -> None:
        """Stop the worker: at once if it was given nothing, else by closing its pipe (it then stops its children)."""
        if self._process is None:
            return
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if not self._texts:
            self._process.kill()
        self._process.join(timeout=30)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._process = None

    def __enter__(self) -> LintPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
