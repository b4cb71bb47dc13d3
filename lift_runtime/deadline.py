"""The per-request deadline: min(request timeout, Lambda's remaining time minus a margin).

In the main thread (where the Lambda runtime calls handlers) a one-shot SIGALRM timer
raises DeadlineExceeded inside the handler when the deadline passes, interrupting
``time.sleep`` and blocking socket calls. DeadlineExceeded derives from BaseException so
that a handler's ``except Exception`` does not swallow it. Elsewhere (another thread, or a
process that owns SIGALRM) the deadline is checked when the handler returns.

``run()`` is the one place that arms and disarms the timer: whatever happens (the alarm may
land anywhere, even before a ``try`` or inside ``stop()``), the timer is off when it returns or
raises. User code asks how much time is left with ``remaining()``, e.g. to size a downstream timeout.
"""

from __future__ import annotations

import signal
import threading
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import FrameType
    from typing import TypeVar

    A = TypeVar("A")
    R = TypeVar("R")

# Time kept back from Lambda's own timeout to answer and log before Lambda stops the process.
MAX_MARGIN = 0.5


class DeadlineExceeded(BaseException):
    """The request deadline passed while the handler was running."""


class RequestTimeout(TimeoutError):
    """Raised to the Lambda runtime when a non-HTTP invocation passed its deadline."""


_deadline = 0.0  # time.monotonic() value of the latest invocation's deadline; 0.0 outside an invocation
_local = threading.local()  # each thread's own invocation: wrappers called from several threads never mix deadlines
_armed = False
_installed: bool | None = None  # None: not tried yet
_main_thread = 0


def budget(request_timeout: float, remaining_ms: int | None) -> float:
    """Seconds the handler may run: the request timeout, capped by Lambda's remaining time minus a margin."""
    if remaining_ms is None:
        return request_timeout
    remaining = remaining_ms / 1000.0
    return min(request_timeout, remaining - min(MAX_MARGIN, remaining / 10.0))


def remaining() -> float | None:
    """Seconds left before the current request's deadline; None outside an invocation."""
    deadline = getattr(_local, "deadline", 0.0) or _deadline  # a thread the handler started sees its invocation's
    if not deadline:
        return None
    return max(0.0, deadline - time.monotonic())


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    # A timer that fired just as it was disarmed is delivered late: ignore it then. Disarming here
    # means one arming raises at most once, wherever the exception lands.
    global _armed
    if _armed:
        _armed = False
        raise DeadlineExceeded


def _install() -> bool:
    """Own SIGALRM unless someone else does; True when the calling thread is the main thread."""
    global _installed, _main_thread
    if _installed is None:
        if signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, None):
            _installed = False  # the process uses SIGALRM itself: leave it alone
        else:
            try:
                signal.signal(signal.SIGALRM, _on_alarm)
            except ValueError:  # not the main thread: try again from there
                return False
            _installed = True
            _main_thread = threading.get_ident()
    return _installed and threading.get_ident() == _main_thread


def start(seconds: float) -> bool:
    """Begin an invocation's deadline; True when the timer will interrupt the handler."""
    global _deadline, _armed
    _deadline = _local.deadline = time.monotonic() + max(seconds, 0.0)
    if seconds <= 0 or not _install():
        return False
    _armed = True
    signal.setitimer(signal.ITIMER_REAL, seconds)
    return True


def stop() -> bool:
    """End the invocation's deadline; True when it had passed."""
    global _deadline, _armed
    if _armed:
        _armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
    mine = getattr(_local, "deadline", 0.0)
    passed = time.monotonic() >= mine
    _local.deadline = 0.0
    if _deadline == mine:
        _deadline = 0.0
    return passed


def run(seconds: float, function: Callable[[A], R], argument: A) -> tuple[R, bool]:
    """``function(argument)`` under a deadline of `seconds`: (its result, whether the deadline had passed).

    Raises DeadlineExceeded when the timer interrupted it (or `seconds` <= 0: it is not called), and
    whatever the function raised otherwise; in every case the timer is off by then.
    """
    if seconds <= 0:
        raise DeadlineExceeded
    try:
        try:
            start(seconds)
            result = function(argument)
        finally:
            passed = stop()
    except DeadlineExceeded:
        stop()  # the alarm may have landed inside the first stop(), before it finished
        raise
    return result, passed
