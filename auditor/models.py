"""The records that flow through the auditor: findings, and the Page that checks read.

A Page is the one seam between file formats and checks. Parsers build it from
Markdown or HTML; checks only ever see blocks of plain text, links and the
shared text analysis, never markdown-it tokens or a soup.
"""

from __future__ import annotations

import bisect
import enum
import itertools
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, overload

from auditor import text

# How deep HTML elements may nest by default (config: `max-depth`). Real pages stay under
# 40 levels; beautifulsoup4 builds, searches and frees its tree with recursion in places.
DEFAULT_MAX_DEPTH = 256

T = TypeVar("T")
_NEWLINE = re.compile("\n")


class cached_property(Generic[T]):  # named as the one in functools it stands for
    """functools.cached_property without the lock Python 3.11 takes on every first read.

    Pages hold thousands of blocks, each reading its language and words once:
    the lock was a tenth of that cost. Pages are never shared between threads.
    """

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object, owner: type | None = None) -> T | cached_property[T]:
        if instance is None:
            return self
        # Stored under the same name, the value hides this descriptor from then on.
        value = instance.__dict__[self.name] = self.func(instance)
        return value


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@dataclass(frozen=True)
class Span:
    """A piece of the page a finding rests on: characters `start` to `end` of the text of prose
    block number `block` (an index into `Page.prose`), so a report can mark it without parsing."""

    block: int
    start: int
    end: int
    label: str = ""  # what the piece is to the rule: "term", "phrase", "claim", "link", "heading"…
    term: str = ""  # the counted term the piece is an occurrence of, as the finding quotes it


@dataclass(frozen=True)
class Finding:
    """One reported problem, immutable once made. Positions are 1-based, columns in characters."""

    rule: str
    name: str
    check: str
    severity: Severity
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    evidence: str = ""
    # For site rules: what the finding's page shares with the others it is reported with
    # (a skeleton, a promo destination, a group of near-copies), so reports can group them.
    group: str = ""
    # Where in the page's text the evidence stands; not part of the JSON output.
    spans: tuple[Span, ...] = ()
    # For site rules: what sets this page apart within its group (its keyword, its link text, its
    # nearest copy), for reports that list a group's pages; not part of the JSON output.
    member: str = ""

    def sort_key(self) -> tuple[Any, ...]:
        return (self.path, self.line, self.column, self.rule, self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "check": self.check,
            "severity": self.severity.value,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "message": self.message,
            "evidence": self.evidence,
        }


# Kinds of prose block a parser produces. "title" and "description" come from
# front matter or <title>/<meta>; the rest mirror the document structure.
# A page's declared keywords (`keywords:` in front matter, <meta name="keywords">) are a
# block of kind "keywords" in `Page.blocks`: a list, not prose, so not in PROSE_KINDS.
KEYWORDS_KIND = "keywords"
PROSE_KINDS = frozenset({"title", "description", "heading", "paragraph", "list_item", "table_cell", "quote"})


@dataclass
class Block:
    kind: str
    text: str
    line: int
    column: int = 1
    level: int = 0  # heading level (1-6); 0 for other kinds

    @property
    def is_heading(self) -> bool:
        return self.kind in ("title", "heading")

    @cached_property
    def language(self) -> str:
        return text.detect_language(self.text)

    @cached_property
    def words(self) -> list[text.Word]:
        return text.tokenize(self.text, self.language)


@dataclass
class Link:
    url: str
    text: str
    line: int
    column: int
    in_title: bool = False
    in_heading: bool = False
    is_image: bool = False
    bare: bool = False  # a URL written out in the text rather than marked up as a link
    # A link whose only content is an image (a banner, a button, a badge): its text is the image's alt.
    image_only: bool = False
    # A link reference definition (`[label]: https://…`) no link of the page uses: its line is the
    # definition's, its text the label. Used definitions are the links that use them.
    definition: bool = False


@dataclass
class Page:
    path: str
    format: str  # "markdown" or "html"
    source: str
    title: str | None = None
    front_matter: dict[str, Any] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    code: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    # The block the title comes from: front matter or <title> (kind "title"),
    # or the body's first-level heading or bold first line it was taken from.
    title_block: Block | None = None
    # What the parser left out because the page nests deeper than the depth limit, in words.
    cut: list[str] = field(default_factory=list)
    _memo: dict[Hashable, Any] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Work several rules of a check share, done once per page: `compute()` under `key`."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @cached_property
    def prose(self) -> list[Block]:
        """Blocks that hold prose (code is kept apart), in document order."""
        return [b for b in self.blocks if b.kind in PROSE_KINDS]

    @cached_property
    def keywords(self) -> Block | None:
        """The keywords the page declares for search engines, as one block (None when it has none)."""
        return next((b for b in self.blocks if b.kind == KEYWORDS_KIND), None)

    @cached_property
    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "heading"]

    @cached_property
    def body(self) -> list[Block]:
        """Prose of the page itself, without the title and meta description."""
        return [b for b in self.prose if b.kind not in ("title", "description")]

    @cached_property
    def language(self) -> str:
        """The page's main language: the one most of its body characters are written in."""
        weights: Counter[str] = Counter()
        for block in self.body or self.prose:
            weights[block.language] += len(block.text)
        if not weights:
            return "und"
        return weights.most_common(1)[0][0]

    @cached_property
    def words(self) -> list[text.Word]:
        """Every word of the body, in order."""
        return [w for b in self.body for w in b.words]

    @cached_property
    def content_words(self) -> list[text.Word]:
        """Body words that carry meaning: no stopwords, punctuation or bare numbers."""
        return [w for w in self.words if w.content]

    @cached_property
    def _links_by_line(self) -> tuple[list[int], list[Link]]:
        ordered = sorted(self.links, key=lambda link: link.line)
        return [link.line for link in ordered], ordered

    def links_in(self, block: Block) -> list[Link]:
        """The links on the source lines of `block` (found by bisection: pages hold thousands)."""
        lines, ordered = self._links_by_line
        last_line = block.line + block.text.count("\n")
        return ordered[bisect.bisect_left(lines, block.line) : bisect.bisect_right(lines, last_line)]

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0, *(m.end() for m in _NEWLINE.finditer(self.source))]

    @cached_property
    def lines(self) -> list[str]:
        return self.source.split("\n")

    def locate(self, block: Block, needle: str) -> tuple[int, int, int, int]:
        """Where `needle`, a piece of `block`'s text, stands in the source.

        Plain text loses inline markup, so the needle is looked up in the
        source lines from the block's line on; when it cannot be found (it
        spans markup), the block's own position is returned.
        """
        first_line = needle.split("\n", 1)[0].strip()
        if first_line:
            for lineno in range(block.line, min(block.line + 200, len(self.lines)) + 1):
                col = self.lines[lineno - 1].find(first_line)
                if col >= 0:
                    return lineno, col + 1, lineno, col + 1 + len(first_line)
        return block.line, block.column, block.line, block.column

    @cached_property
    def _prose_index(self) -> dict[int, int]:
        return {id(block): index for index, block in enumerate(self.prose)}

    def span(self, block: Block, start: int, end: int, label: str = "", term: str = "") -> Span | None:
        """The span of `block`'s text from `start` to `end`; None for a block outside the prose
        (code, the keywords list), which reports do not show."""
        index = self._prose_index.get(id(block))
        return None if index is None or end <= start else Span(index, start, end, label, term)

    def block_span(self, block: Block | None, label: str = "") -> Span | None:
        """The whole of `block`'s text as a span."""
        return None if block is None else self.span(block, 0, len(block.text), label)

    @cached_property
    def _prose_by_line(self) -> dict[int, list[Block]]:
        """The prose blocks on each source line (pages hold thousands of blocks and links)."""
        found: dict[int, list[Block]] = {}
        for block in self.prose:
            for line in range(block.line, block.line + block.text.count("\n") + 1):
                found.setdefault(line, []).append(block)
        return found

    def link_span(self, link: Link, label: str = "link") -> Span | None:
        """Where a link's text stands in the prose: in the nearest block within two lines of its own."""
        needle = link.text.strip()
        if not needle:
            return None
        by_line = self._prose_by_line
        seen: set[int] = set()
        for line in (link.line, link.line - 1, link.line + 1, link.line - 2, link.line + 2):
            for block in by_line.get(line, ()):
                if id(block) in seen:
                    continue
                seen.add(id(block))
                # From the start of the link's line in the block: a search of the whole of a long block
                # for each of its links would cost its length times its links.
                start = block.text.find(needle, self._line_start(block, link.line))
                if start < 0:
                    start = block.text.find(needle)
                if start >= 0:
                    return self.span(block, start, start + len(needle), label)
        return None

    def _line_start(self, block: Block, line: int) -> int:
        """The offset in `block`'s text where source line `line` starts (0 before the block)."""
        starts = self.memo(("line starts", id(block)), lambda: [0, *(m.end() for m in _NEWLINE.finditer(block.text))])
        return starts[min(max(line - block.line, 0), len(starts) - 1)]

    def find(self, needle: str, label: str = "", blocks: Iterable[Block] | None = None) -> tuple[Span, ...]:
        """Every place of `needle` in the prose (or in `blocks`), ignoring case and reading any run
        of white space as one: for evidence that recurs word for word (a repeated phrase)."""
        words = needle.split()
        if not words or len(needle.strip()) < 2:
            return ()
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
        found = (
            self.span(block, m.start(), m.end(), label)
            for block in (self.prose if blocks is None else blocks)
            for m in pattern.finditer(block.text)
        )
        return spans(*found)

    def line_of_offset(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset into `source`."""
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1


# A page's text is kept for a report up to this much; past it the report says how much was left out.
MAX_TEXT_BLOCKS = 600
MAX_TEXT_CHARS = 120_000


@dataclass
class TermBar:
    """One term of a page's density chart, as KS101 counts and grades it."""

    label: str
    count: int
    share: float
    severity: Severity | None  # what KS101 makes of it (None: under the limits)
    limit: float  # the limit it is measured against (lower for a watch term)
    note: str = ""  # "allowed", "watched"


@dataclass
class Density:
    total: int  # content words of the body
    bars: list[TermBar]
    limit: float
    error_limit: float
    min_words: int


@dataclass
class PageText:
    """What a report that shows more of a page than its findings needs of it, handed over by the
    engine in the runs whose report asks for it (`Auditor(keep_text=True)`): no reporter reads or
    parses a page again. The spans of the page's findings index `blocks`."""

    # Source lines holding more than ASCII, by number: what turning a column from characters
    # into UTF-8 bytes needs (rdjson). Cut down to the lines findings point at once they are known.
    lines: dict[int, str] = field(default_factory=dict)
    title: str = ""
    blocks: list[Block] = field(default_factory=list)  # the first of `Page.prose`, without their words
    omitted: int = 0  # prose blocks left out past MAX_TEXT_BLOCKS / MAX_TEXT_CHARS
    # The heading skeleton, the title's block first (level 0): level, text, index in `blocks` (None: not kept).
    headings: list[tuple[int, str, int | None]] = field(default_factory=list)
    density: Density | None = None

    @staticmethod
    def lines_of(source: str) -> dict[int, str]:
        return {n: line for n, line in enumerate(source.split("\n"), 1) if not line.isascii()}

    def add_page(self, page: Page, density: Density | None) -> None:
        """The page's prose, title, headings and term density."""
        chars = 0
        for block in page.prose:
            if len(self.blocks) >= MAX_TEXT_BLOCKS or chars >= MAX_TEXT_CHARS:
                break
            # A copy: the original holds its words, many times the size of its text.
            self.blocks.append(Block(block.kind, block.text, block.line, block.column, block.level))
            chars += len(block.text)
        self.omitted = len(page.prose) - len(self.blocks)
        self.title = page.title or ""
        shown = {id(block): index for index, block in enumerate(page.prose[: len(self.blocks)])}
        title = page.title_block
        self.headings = [(0, title.text, shown.get(id(title)))] if title is not None else []
        self.headings += [(b.level, b.text, shown.get(id(b))) for b in page.headings if b is not title]
        self.density = density

    def keep_lines(self, numbers: Iterable[int]) -> None:
        """Drop the lines no finding points at."""
        self.lines = {n: self.lines[n] for n in sorted(set(numbers)) if n in self.lines}


# Spans a finding keeps at most: a term stuffed ten thousand times is marked at its first places,
# and its findings stay small in memory and in the cache.
MAX_SPANS = 1_000


def spans(*found: Span | None) -> tuple[Span, ...]:
    """The spans found (the first MAX_SPANS), without the Nones of pieces that are not in the prose."""
    return tuple(itertools.islice((span for span in found if span is not None), MAX_SPANS))
