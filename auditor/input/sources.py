"""The unit of work of the page phase: one page, named, with its bytes or where to read them.

A page usually comes from a file, but it can also come from standard input
(`--stdin-filename`) or from a record of a web crawl; then its bytes are
already in hand and its name is what reports call it. Sources are small and
picklable, so a process pool or a distributed engine can ship them.
"""

from __future__ import annotations

from dataclasses import dataclass

# Page formats by file suffix.
FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def format_of(path: str) -> str | None:
    """The format of a page named `path`, from its suffix; None for a suffix that is not a page's."""
    for suffix, fmt in FORMATS.items():
        if path.lower().endswith(suffix):
            return fmt
    return None


@dataclass(frozen=True)
class PageSource:
    # The name reports use: a file path, the `--stdin-filename`, a crawl record's URL.
    path: str
    # The page's bytes when already read (standard input, a crawl record); None: read the file at `path`.
    data: bytes | None = None
    # "markdown" or "html"; None: decided from the suffix of `path`.
    fmt: str | None = None
    # A charset declared outside the bytes (an HTTP Content-Type header); tried first when decoding.
    charset: str | None = None
    # A symlink that discovery found pointing outside the folder it walked: never read, only reported (IO010).
    outside: bool = False
