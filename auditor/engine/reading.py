"""Reading a source: from a PageSource to the text of its page, and what stood in the way.

    PageSource ─► bytes (read, unless given) ─► cut to max-file-size ─► decoded text

Each step that fails or reads only part of the page leaves a Note (IO001–IO004,
IO007, IO010), and a page that cannot be read has no text: the engine reports its
notes alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.config import Limits
from auditor.engine import diagnostics
from auditor.engine.results import Note
from auditor.input.loading import LoadError, cut_bytes, decode_text, printable_path, read_bytes
from auditor.input.sources import PageSource

_BAD_NAME = "the file name is not valid UTF-8 (its bad bytes are shown as \\xNN); rename it in UTF-8"


@dataclass
class Read:
    """A page's text, or None when it could not be read, with the notes about reading it."""

    text: str | None
    notes: list[Note] = field(default_factory=list)
    # A symlink out of the audited tree: never read, and marked so that no report reads it.
    outside: bool = False


def read_source(source: PageSource, fmt: str, limits: Limits) -> Read:
    """The text of `source`, a page in format `fmt`: its bytes as given, or read from its file."""
    path = source.path
    if source.outside:
        # Neither read nor stat-ed here: the note names the link, never its target.
        message = (
            f"{printable_path(path)} is a symbolic link to something outside the folder being audited, so it "
            "was not read; name it on the command line to audit it"
        )
        return Read(None, name_notes(path, [Note(diagnostics.LinkOutsideTree, message)]), outside=True)
    data = source.data
    size = len(data) if data is not None else 0
    if data is None:
        try:
            data, size = read_bytes(path, limits.max_file_size)
        except LoadError as exc:
            return _unreadable(path, str(exc))
    return read_bytes_of(path, data, size, fmt, source.charset, limits)


def read_bytes_of(path: str, data: bytes, size: int, fmt: str, charset: str | None, limits: Limits) -> Read:
    """The text of a page whose bytes are read; `size` is the file's, when `data` is only its first part."""
    notes: list[Note] = []
    if not data:
        empty = Note(diagnostics.EmptyFile, "the file is empty (0 bytes): nothing to audit")
        return Read(None, name_notes(path, [empty]))
    limit = limits.max_file_size
    if limit and len(data) > limit:
        data = cut_bytes(data, limit)
        notes.append(
            Note(
                diagnostics.FileTooLarge,
                f"the file is {size:,} bytes, over max-file-size ({limit:,}); only its first {len(data):,} "
                "bytes were audited",
            )
        )
    try:
        decoded = decode_text(data, fmt, charset)
    except LoadError as exc:
        return _unreadable(path, str(exc))
    if decoded.problem:
        notes.append(Note(diagnostics.EncodingProblem, f"the file {decoded.problem}", decoded.problem_line))
    return Read(decoded.text, name_notes(path, notes))


def name_notes(path: str, notes: list[Note]) -> list[Note]:
    """`notes`, and one more when the file's name is not valid UTF-8 (IO009)."""
    if printable_path(path) != path:
        notes.append(Note(diagnostics.InvalidFileName, _BAD_NAME))
    return notes


def _unreadable(path: str, reason: str) -> Read:
    message = f"{printable_path(path)} {reason}; it was not audited"
    return Read(None, name_notes(path, [Note(diagnostics.UnreadableFile, message)]))
