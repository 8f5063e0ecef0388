"""The Chinese word segmenter: jieba, or jieba_fast when the `fast` extra is installed.

jieba_fast is a C build of the same algorithm with the same dictionary; it
gives the same words faster (a test holds the two to the same findings).
`AUDITOR_SEGMENTER=jieba` (or `jieba_fast`) chooses one by hand.

Loading jieba's dictionary is most of its start-up: its own cache (a marshal
file in the temporary folder) still takes about half a second to read. So
the prefix dictionary jieba builds is kept once per machine, in the user's
cache folder (`$XDG_CACHE_HOME/auditor`, by default `~/.cache/auditor`), as
its words in one UTF-8 text and its counts in one array of integers: read
back, jieba is ready in 0.25 s instead of 0.55 s (import included), and,
unlike marshal or pickle, reading a damaged or foreign file can never run
code; a file whose checksum, sizes or header are not right is ignored and
written again. One file is kept per installation of jieba; a file no run has
used for 30 days is removed. Only the default dictionary is kept this way; a
custom one goes through jieba's own cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import logging
import os
import sys
import tempfile
import threading
import time
from array import array
from functools import cache
from pathlib import Path
from typing import Any

ENV_VAR = "AUDITOR_SEGMENTER"
NAMES = ("jieba_fast", "jieba")
_MAGIC = b"auditor jieba prefix dictionary 1\n"
_COUNT = "q"  # counts as signed 64-bit integers, in this machine's byte order
_SLICE = 25_000  # dictionary entries added at a time: a few milliseconds each
_LOCK = threading.Lock()  # one load per process, even when threads ask at once


def name() -> str:
    """The segmenter this process uses, found without importing it."""
    chosen = os.environ.get(ENV_VAR, "").strip()
    if chosen in NAMES:
        return chosen
    return "jieba_fast" if importlib.util.find_spec("jieba_fast") is not None else "jieba"


@cache
def load() -> Any:
    """The segmenter module, its dictionary loaded (from the machine's cache when it can)."""
    with _LOCK:
        module = importlib.import_module(name())
        module.setLogLevel(logging.WARNING)
        tokenizer = module.dt
        if not tokenizer.initialized:
            if tokenizer.dictionary is None:  # the default dictionary
                _load_default(module, tokenizer)
            else:
                tokenizer.initialize()
    return module


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "auditor"


def _load_default(module: Any, tokenizer: Any) -> None:
    try:
        dictionary = os.path.join(os.path.dirname(module.__file__), module.DEFAULT_DICT_NAME)
        stat = os.stat(dictionary)
        stamp = (
            f"{module.__name__}\0{getattr(module, '__version__', '')}\0{dictionary}\0{stat.st_size}\0{stat.st_mtime_ns}"
        )
        key = hashlib.blake2b(stamp.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()
        path = cache_folder() / f"{module.__name__}-{sys.byteorder}-{key}.dict"
    except (OSError, AttributeError, TypeError):
        tokenizer.initialize()
        return
    loaded = read(path)
    if loaded is not None:
        tokenizer.FREQ, tokenizer.total = loaded
        tokenizer.initialized = True
        with contextlib.suppress(OSError):
            os.utime(path)  # used: kept from pruning
        return
    tokenizer.initialize()
    write(path, tokenizer.FREQ, tokenizer.total)
    _prune(path, f"{module.__name__}-")


def _prune(kept: Path, prefix: str, days: int = 30) -> None:
    """Remove the dictionaries of other installations that no run has used for `days` days."""
    cutoff = time.time() - days * 86400
    for other in kept.parent.glob(f"{prefix}*.dict"):
        with contextlib.suppress(OSError):
            if other != kept and other.stat().st_mtime < cutoff:
                other.unlink()


def read(path: Path) -> tuple[dict[str, int], int] | None:
    """The prefix dictionary and total kept at `path`, or None when it is missing or not right."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        if not data.startswith(_MAGIC):
            return None
        at = len(_MAGIC)
        checksum, at = data[at : at + 32], at + 32
        if hashlib.blake2b(data[at:], digest_size=32).digest() != checksum:
            return None
        count, size, total = (int.from_bytes(data[at + 8 * i : at + 8 * i + 8], "little") for i in range(3))
        at += 24
        words = data[at : at + size].decode("utf-8").split("\n")
        counts = array(_COUNT)
        counts.frombytes(data[at + size :])
        if len(words) != count or len(counts) != count:
            return None
        # Built in slices, so other threads of the process (an editor's server) run in between.
        frequencies: dict[str, int] = {}
        for start in range(0, count, _SLICE):
            frequencies.update(zip(words[start : start + _SLICE], counts[start : start + _SLICE], strict=True))
        return frequencies, total
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def write(path: Path, frequencies: dict[str, int], total: int) -> None:
    """Keep a prefix dictionary at `path` (atomically); nothing happens when that cannot be done."""
    words = list(frequencies)
    if any("\n" in word for word in words):
        return
    try:
        blob = "\n".join(words).encode("utf-8")
        counts = array(_COUNT, (frequencies[word] for word in words)).tobytes()
        body = b"".join(
            (
                len(words).to_bytes(8, "little"),
                len(blob).to_bytes(8, "little"),
                total.to_bytes(8, "little"),
                blob,
                counts,
            )
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".dict.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_MAGIC + hashlib.blake2b(body, digest_size=32).digest() + body)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, OverflowError, UnicodeEncodeError):
        pass
