"""What the HTML report shows of one page beyond its findings: its text with the
evidence marked in place, its term density, its heading skeleton.

Nothing here reads or parses the page: the engine keeps its text for this
report (`FileResult.text`: the prose blocks, the headings, the term density as
KS101 grades it), and each finding carries the spans of that text its evidence
stands on (`Finding.spans`), so a finding is marked exactly where its rule saw
it: every occurrence of a stuffed term, each stock phrase, a claim's sentence,
a link's text. A finding without spans is marked as the block on its line,
unless it is a site finding (its group is shown in the site section).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.engine.results import FileResult
from auditor.models import Block, Density, Finding, PageText


@dataclass
class Mark:
    """A marked piece of a block's text, for one finding."""

    start: int
    end: int
    finding: int  # index into the page's findings


@dataclass
class BlockView:
    block: Block
    spans: list[Mark] = field(default_factory=list)


@dataclass
class Heading:
    level: int  # 0 for the page title
    text: str
    findings: list[int]


@dataclass
class PageView:
    note: str = ""  # why the text is missing
    blocks: list[BlockView] = field(default_factory=list)
    omitted: int = 0  # blocks the engine left out past its limits
    headings: list[Heading] = field(default_factory=list)
    density: Density | None = None
    placed: set[int] = field(default_factory=set)  # findings marked somewhere in the text
    title: str = ""


def view_page(result: FileResult) -> PageView:
    """The view of a page from what the engine kept of it."""
    if any(f.rule == "IO001" for f in result.findings):
        return PageView(note="The file could not be read when it was audited, so its text is not shown.")
    if result.outside:
        # A link out of the audited tree (IO010, even with that rule ignored): its text was never read.
        return PageView(note="The file is a link to outside the audited folder, so its text is not shown.")
    if result.text is None:
        return PageView(note="The page's text was not kept with its findings, so it is not shown.")
    return _build(result.text, result.findings)


def _build(text: PageText, findings: list[Finding]) -> PageView:
    blocks = [BlockView(block) for block in text.blocks]
    view = PageView(blocks=blocks, omitted=text.omitted, title=text.title, density=text.density)
    for index, finding in enumerate(findings):
        for block_view, start, end in _places(finding, blocks):
            block_view.spans.append(Mark(start, end, index))
            view.placed.add(index)
    for level, heading, shown in text.headings:
        marked = sorted({m.finding for m in blocks[shown].spans}) if shown is not None else []
        view.headings.append(Heading(level, heading, marked))
    return view


def _places(finding: Finding, blocks: list[BlockView]) -> list[tuple[BlockView, int, int]]:
    if finding.spans:
        # Spans past the kept blocks (a very long page) are not shown.
        return [(blocks[s.block], s.start, s.end) for s in finding.spans if 0 <= s.block < len(blocks)]
    if finding.group:
        return []  # a site finding about the whole page: the site section shows its group
    on_line = [b for b in blocks if b.block.line <= finding.line <= b.block.line + b.block.text.count("\n")]
    return [(b, 0, len(b.block.text)) for b in on_line[:1]]
