"""Bounds on work: a time limit for one piece of it, where the platform allows one, and the
garbage collector tuned for a batch of it (`batch_collector`).

The limit is a real-time timer signal (SIGALRM), so it can stop Python code
that loops forever. Signals reach only the main thread of a process, so
elsewhere (an editor's language server audits in threads) and where
`setitimer` is missing (Windows) the work runs without a limit.
"""

from __future__ import annotations

import contextlib
import gc
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

# Seconds between further alarms once the time is up, until the body has stopped.
RETRY = 0.25


class TimeLimitExceeded(BaseException):
    """Raised inside the work when its time is up.

    A BaseException, like KeyboardInterrupt, so that a check's own
    `except Exception` cannot swallow it and carry on.
    """


def can_limit_time() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Run the body for at most `seconds` (0: no limit), then raise TimeLimitExceeded in it.

    The timer repeats every RETRY seconds once expired: an exception raised where Python
    ignores exceptions (a finaliser, a callback of the garbage collector) is printed and
    lost, and the body must not run on for ever because of it.
    """
    if seconds <= 0 or not can_limit_time():
        yield
        return
    armed = [True]

    def expire(signum: int, frame: FrameType | None) -> None:
        if armed[0]:
            raise TimeLimitExceeded

    previous_handler = signal.signal(signal.SIGALRM, expire)
    started = time.monotonic()
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds, RETRY)
    try:
        yield
    finally:
        while armed[0]:
            try:
                armed[0] = False
            except TimeLimitExceeded:  # it fired just now: disarmed all the same
                continue
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:  # someone else's timer was running: give it back what is left of it
            left = max(previous_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, previous_interval)


# Collector thresholds for a batch of pages (see `batch_collector`).
BATCH_THRESHOLDS = (50_000, 20, 100)


@contextlib.contextmanager
def batch_collector() -> Iterator[None]:
    """The garbage collector tuned for a batch of pages or the site phase: what is loaded by now
    (modules, word lists, jieba's dictionary) is set aside for good, and collections come less
    often. Both make hundreds of thousands of small objects and almost no cycles; with the
    defaults the collector took a tenth of the page phase and near half of the site phase."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*BATCH_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
