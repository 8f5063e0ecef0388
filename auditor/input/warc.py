"""Web crawls as input: the HTML responses of a WARC file (`.warc`, or `.warc.gz`), read with warcio.

Every `response` record whose HTTP Content-Type is HTML is a page, named in
reports by its `WARC-Target-URI`; the charset of that header is tried first
when its bytes are decoded, then the page's own `<meta charset>`. Other
records (requests, metadata, revisits, images, scripts) are skipped. A URI
captured twice is audited twice, under the same name.

warcio is an optional dependency (`pip install 'auditor[warc]'`); it is
imported only when a WARC is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from auditor.input.sources import PageSource

SUFFIXES = (".warc", ".warc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.I)


class WarcError(Exception):
    """A WARC that cannot be read; the message says why, for the user."""


def is_warc(path: str) -> bool:
    return path.lower().endswith(SUFFIXES)


@dataclass(frozen=True)
class Slice:
    """Part of a WARC: `count` HTML pages from the record at byte `offset` on, for one task of an engine."""

    path: str
    offset: int
    count: int


def _records(path: str, offset: int = 0, offsets: bool = False) -> Iterator[tuple[int, Any]]:
    """(offset, record) of each record from `offset` on. With `offsets` False the offset is left at -1:
    warcio finds a record's offset by reading the record to its end, which leaves no content to read."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        raise WarcError(f"{path}: reading WARC files needs warcio: pip install 'auditor[warc]'") from None
    try:
        with open(path, "rb") as stream:
            stream.seek(offset)
            records = ArchiveIterator(stream)
            for record in records:
                if record.format != "warc":  # warcio reads any text as the older ARC format
                    raise WarcError(f"{path}: not a WARC file (a record has no WARC header)")
                yield (offset + records.get_record_offset() if offsets else -1), record
    except OSError as exc:
        raise WarcError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except ArchiveLoadFailed as exc:
        raise WarcError(f"{path}: not a readable WARC file: {exc}") from None


def _html_page(record: Any) -> tuple[str, str | None] | None:
    """(target URI, charset of the Content-Type header) when the record is an HTML response."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    if content_type.split(";", 1)[0].strip().lower() not in _HTML_TYPES:
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI")
    if not uri:
        return None
    charset = _CHARSET.search(content_type)
    return uri, charset.group(1) if charset else None


def pages(path: str, offset: int = 0, count: int | None = None) -> Iterator[PageSource]:
    """The HTML pages of a WARC, in record order: all of them, or `count` from the record at `offset`."""
    if count == 0:
        return
    seen = 0
    for _offset, record in _records(path, offset):
        page = _html_page(record)
        if page is None:
            continue
        uri, charset = page
        # content_stream() undoes the HTTP transfer and content encodings (chunked, gzip).
        yield PageSource(uri, record.content_stream().read(), "html", charset)
        seen += 1
        if count is not None and seen >= count:
            return


def slices(path: str, size: int) -> Iterator[Slice]:
    """The WARC cut into slices of `size` HTML pages, found in one pass that keeps only the offsets."""
    start: int | None = None
    count = 0
    for offset, record in _records(path, offsets=True):
        if _html_page(record) is None:
            continue
        if start is None:
            start = offset
        count += 1
        if count == size:
            yield Slice(path, start, count)
            start, count = None, 0
    if start is not None:
        yield Slice(path, start, count)
