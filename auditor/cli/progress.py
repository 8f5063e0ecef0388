"""A progress bar on standard error, for long runs watched on a terminal.

It shows only when many files are audited, standard error is a terminal, and
`CI` is not set: never in CI logs, in a pipe, under pre-commit or in tests.
It redraws at most ten times a second and erases itself when done, so the
report that follows starts on a clean line.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

MIN_FILES = 30  # fewer files take a second or two: no bar
_WIDTH = 30
_INTERVAL = 0.1


class ProgressBar:
    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self._drawn = 0.0

    def advance(self) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self._drawn >= _INTERVAL or self.done == self.total:
            self._drawn = now
            filled = _WIDTH * self.done // self.total
            bar = "█" * filled + "░" * (_WIDTH - filled)
            self.stream.write(f"\r{bar} {self.done}/{self.total} files\033[K")
            self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r\033[K")
        self.stream.flush()


class _NoBar:
    def advance(self) -> None:
        """Nothing to draw."""


def wanted(total: int, stream: TextIO) -> bool:
    return total >= MIN_FILES and stream.isatty() and not os.environ.get("CI")


@contextmanager
def progress(total: int, enabled: bool = True, stream: TextIO | None = None) -> Iterator[ProgressBar | _NoBar]:
    """A bar to `advance()` once per file, drawn only where it helps (see the module docstring)."""
    stream = stream or sys.stderr
    if not (enabled and wanted(total, stream)):
        yield _NoBar()
        return
    bar = ProgressBar(total, stream)
    try:
        yield bar
    finally:
        bar.clear()
