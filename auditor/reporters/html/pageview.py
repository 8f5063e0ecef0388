"""What the HTML report shows of one page beyond its findings: its text with the
evidence marked in place, its term density, its heading skeleton.

The Report holds only findings, so the page is read again here, read-only,
through the same `decode` and `parse_page` the audit used, and its terms are
counted by the keyword-stuffing check's own `page_counts`. A page that can no
longer be read (moved, deleted, unreadable) gets a view with a note and no
text; a page whose text changed since the audit (its digest differs) is shown
as it is now, with a note that the marks may be off.

Placing a finding in the text: findings point at source lines and columns,
while the report shows the parsed plain text (markup gone). So each finding
is placed by what it names: its evidence (a quoted term or phrase, a claim
sentence, a URL or handle) searched in the blocks nearest its line, a link
at its position, and as a last resort the whole block on its line. Rules
whose evidence recurs are marked at every occurrence: the stuffed term
(KS101) and the title term in headings (KS102) via the check's own term
occurrences, a repeated phrase (KS103), each stock phrase (TS102), each
stock heading (TS101), the skeleton's headings (TS201).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from auditor_checks.keyword_stuffing import grade_term, is_allowed, is_watched, user_terms
from auditor_checks.keyword_stuffing.terms import (
    Term,
    contains,
    display,
    occurrences,
    page_counts,
    term_words,
)

from auditor.config import Config
from auditor.engine import FileResult, text_digest
from auditor.loading import LoadError, decode
from auditor.models import Block, Finding, Page, Severity
from auditor.parsing import parse_page
from auditor.registry import Registry

# A page's text is shown up to this much; past it the section says how much was left out.
MAX_BLOCKS = 600
MAX_CHARS = 120_000
# Terms drawn in a page's density chart.
CHART_TERMS = 8

_QUOTED = re.compile(r"‘([^’]{1,300})’")
_QUOTED_AT_LINE = re.compile(r"‘([^’]{1,300})’ \([^)]*?line (\d+)\)")
_MD_LINK = re.compile(r"^!?\[([^\]]*)\]\(")


@dataclass
class Span:
    """A marked piece of a block's text, for one finding."""

    start: int
    end: int
    finding: int  # index into the page's findings


@dataclass
class BlockView:
    block: Block
    spans: list[Span] = field(default_factory=list)


@dataclass
class TermBar:
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
class Heading:
    level: int  # 0 for the page title
    text: str
    findings: list[int]


@dataclass
class PageView:
    note: str = ""  # why the text is missing, or that it changed since the audit
    blocks: list[BlockView] = field(default_factory=list)
    omitted: int = 0  # blocks left out past MAX_BLOCKS / MAX_CHARS
    headings: list[Heading] = field(default_factory=list)
    density: Density | None = None
    placed: set[int] = field(default_factory=set)  # findings marked somewhere in the text
    title: str = ""


def view_page(result: FileResult, config: Config | None, registry: Registry) -> PageView:
    """Read `result.path` again and build its view; never raises for a page's sake."""
    if any(f.rule == "IO001" for f in result.findings):
        return PageView(note="The file could not be read when it was audited, so its text is not shown.")
    if result.outside:
        # A link out of the audited tree (IO010, even with that rule ignored): the report reads no more than the audit.
        return PageView(note="The file is a link to outside the audited folder, so its text is not shown.")
    try:
        with open(result.path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return PageView(note=f"The file can no longer be read ({exc.strerror or exc}); its text is not shown.")
    try:
        source, _encoding = decode(data, result.format)
        page, _front = parse_page(result.path, source, result.format)
        view = _build(page, result.findings, config, registry)
    except LoadError as exc:
        return PageView(note=f"The file can no longer be read as text ({exc}); its text is not shown.")
    except Exception as exc:  # one odd page must not cost the whole report; its findings still show
        return PageView(note=f"The page's text could not be shown ({type(exc).__name__}: {exc}).")
    if result.digest and text_digest(source) != result.digest:
        view.note = "The file changed since it was audited: the text below is the current one, and marks may be off."
    return view


def _build(page: Page, findings: list[Finding], config: Config | None, registry: Registry) -> PageView:
    blocks: list[BlockView] = []
    chars = 0
    prose = page.prose
    for block in prose:
        if len(blocks) >= MAX_BLOCKS or chars >= MAX_CHARS:
            break
        blocks.append(BlockView(block))
        chars += len(block.text)
    view = PageView(blocks=blocks, omitted=len(prose) - len(blocks), title=page.title or "")
    placer = _Placer(page, blocks)
    for index, finding in enumerate(findings):
        for block_view, start, end in placer.place(finding):
            block_view.spans.append(Span(start, end, index))
            view.placed.add(index)
    in_heading: dict[int, list[int]] = {}
    for block_view in blocks:
        if block_view.block.is_heading:
            in_heading[id(block_view.block)] = sorted({s.finding for s in block_view.spans})
    title = page.title_block
    if title is not None:
        view.headings.append(Heading(0, title.text, in_heading.get(id(title), [])))
    for heading in page.headings:
        if heading is not title:
            view.headings.append(Heading(heading.level, heading.text, in_heading.get(id(heading), [])))
    view.density = _density(page, config, registry)
    return view


class _Placer:
    """Finds where each finding's evidence stands in the page's blocks."""

    def __init__(self, page: Page, blocks: list[BlockView]) -> None:
        self.page = page
        self.blocks = blocks

    def place(self, finding: Finding) -> list[tuple[BlockView, int, int]]:
        quoted = _QUOTED.findall(finding.evidence)
        rule = finding.rule
        if rule == "KS101" and quoted:
            return self._term(self._term_named(quoted[0]), self.blocks)
        if rule == "KS102" and quoted:
            return self._term(self._term_named(quoted[0]), [b for b in self.blocks if b.block.is_heading])
        if rule == "KS103" and quoted:
            return self._everywhere(quoted[0])
        if rule == "TS102":
            return [
                hit for text, line in _QUOTED_AT_LINE.findall(finding.evidence) for hit in self._near(text, int(line))
            ]
        if rule == "TS101":
            return [
                hit for text, line in _QUOTED_AT_LINE.findall(finding.evidence) for hit in self._whole(text, int(line))
            ]
        if rule == "TS201":
            return [(b, 0, len(b.block.text)) for b in self.blocks if b.block.kind == "heading" and b.block.level > 1]
        if rule == "TS202":
            return []  # the whole page is a copy: the site section shows its group
        if rule == "PL408":
            found = self._link(finding)
            if found:
                return found
        return self._generic(finding, quoted)

    def _generic(self, finding: Finding, quoted: list[str]) -> list[tuple[BlockView, int, int]]:
        needles = []
        if quoted:
            needles.append(quoted[0])
        if finding.evidence:
            needles.append(finding.evidence.removesuffix("…"))
        span = self._source_span(finding)
        if span:
            needles.append(span)
        for needle in needles:
            found = self._near(needle, finding.line)
            if found:
                return found
        found = self._link(finding)
        if found:
            return found
        return [
            (b, 0, len(b.block.text)) for b in self._ordered(finding.line) if _distance(b.block, finding.line) == 0
        ][:1]

    def _source_span(self, finding: Finding) -> str:
        """The source text between the finding's start and end, when both are on one line."""
        lines = self.page.lines
        if finding.end_line != finding.line or finding.end_column <= finding.column or finding.line > len(lines):
            return ""
        piece = lines[finding.line - 1][finding.column - 1 : finding.end_column - 1]
        link = _MD_LINK.match(piece)
        return link.group(1) if link else piece

    def _ordered(self, line: int) -> list[BlockView]:
        return sorted(self.blocks, key=lambda b: _distance(b.block, line))

    def _near(self, needle: str, line: int, within: int = 8) -> list[tuple[BlockView, int, int]]:
        """The first place of `needle` in the blocks nearest `line`."""
        pattern = _pattern(needle)
        if pattern is None:
            return []
        for block_view in self._ordered(line):
            if _distance(block_view.block, line) > within:
                break
            match = pattern.search(block_view.block.text)
            if match:
                return [(block_view, match.start(), match.end())]
        return []

    def _everywhere(self, needle: str) -> list[tuple[BlockView, int, int]]:
        pattern = _pattern(needle)
        if pattern is None:
            return []
        return [(b, m.start(), m.end()) for b in self.blocks for m in pattern.finditer(b.block.text)]

    def _whole(self, text: str, line: int) -> list[tuple[BlockView, int, int]]:
        for block_view in self._ordered(line):
            if _distance(block_view.block, line) > 3:
                break
            if block_view.block.text.strip() == text.strip():
                return [(block_view, 0, len(block_view.block.text))]
        return self._near(text, line)

    def _term_named(self, text: str) -> Term:
        """The counted term a finding quotes: the one whose first occurrence reads `text` (the most
        frequent on a tie), so the words are cut as they were in context."""
        counts = page_counts(self.page)
        named = [term for term, first in counts.first.items() if display(first) == text]
        return max(named, key=lambda t: (counts.counts[t], t)) if named else term_words(text)

    def _term(self, term: Term, blocks: Iterable[BlockView]) -> list[tuple[BlockView, int, int]]:
        """Every occurrence of a term as the keyword-stuffing check counts it, longest runs first
        ("极光卡" and not the "极光" inside it twice)."""
        if not term:
            return []
        found = []
        for block_view in blocks:
            taken_until = -1
            for occurrence in occurrences(block_view.block):
                if occurrence.term == term and occurrence.start >= taken_until:
                    found.append((block_view, occurrence.start, occurrence.end))
                    taken_until = occurrence.end
        return found

    def _link(self, finding: Finding) -> list[tuple[BlockView, int, int]]:
        """The text of the link the finding points at (its position, or its URL as evidence)."""
        evidence = finding.evidence.strip()
        candidates = [
            link
            for link in self.page.links
            if link.text.strip()
            and abs(link.line - finding.line) <= 1
            and (
                (link.line == finding.line and link.column == finding.column)
                or (evidence and (link.url == evidence or evidence.split(" ", 1)[0] in link.url))
            )
        ]
        candidates.sort(key=lambda link: (link.line != finding.line, abs(link.column - finding.column)))
        for link in candidates:
            found = self._near(link.text.strip(), link.line, within=2)
            if found:
                return found
        return []


def _distance(block: Block, line: int) -> int:
    last = block.line + block.text.count("\n")
    if block.line <= line <= last:
        return 0
    return block.line - line if line < block.line else line - last


def _pattern(needle: str) -> re.Pattern[str] | None:
    """`needle` as a pattern that ignores case and matches any run of white space for one."""
    words = needle.split()
    if not words or len(needle.strip()) < 2:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)


def _density(page: Page, config: Config | None, registry: Registry) -> Density | None:
    """The page's top terms by share of its content words, as KS101 counts and grades them."""
    registered = registry.rules.get("KS101")
    if registered is None:
        return None
    opts: Mapping[str, Any] = {**registered.rule.options, **(config.options.get("KS101", {}) if config else {})}
    allow = user_terms(config.allow_terms if config else ())
    watch = user_terms(config.watch_terms if config else ())
    counts = page_counts(page)
    if not counts.total:
        return None
    ranked = sorted(counts.counts.items(), key=lambda item: (-counts.share(item[0]), item[0]))
    bars: list[TermBar] = []
    chosen: list[Term] = []
    for term, count in ranked:
        # "heyon 卡" and "heyon" are one term to a reader: keep the larger share only, as KS101 does.
        if any(contains(term, c) or contains(c, term) for c in chosen):
            continue
        chosen.append(term)
        share = counts.share(term)
        watched = is_watched(term, watch)
        allowed = is_allowed(term, allow)
        severity, limit = grade_term(count, share, opts, watched)
        if allowed or counts.total < opts["min_words"]:
            severity = None
        note = "allowed" if allowed else ("watched" if watched else "")
        bars.append(TermBar(display(counts.first[term]), count, share, severity, limit, note))
        if len(bars) >= CHART_TERMS:
            break
    return Density(counts.total, bars, opts["limit"], opts["error_limit"], opts["min_words"])
