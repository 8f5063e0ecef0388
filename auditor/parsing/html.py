"""HTML into blocks and links, visible text only.

The tree is walked without recursion (pages nest deeply), and whatever a
reader cannot see is skipped: script, style, template, and elements marked
`hidden`, `aria-hidden="true"` or `display:none`.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning, NavigableString, ParserRejectedMarkup, Tag

from auditor.models import DEFAULT_MAX_DEPTH, KEYWORDS_KIND, Block, Link

# A page whose whole text looks like a file name or URL is still a page: no warning on stderr.
warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)

_INVISIBLE_TAGS = frozenset({"script", "style", "template", "noscript", "head", "svg", "iframe", "object", "canvas"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Elements whose text forms a block of its own, and the kind of block.
_BLOCK_KINDS = {
    **dict.fromkeys(_HEADINGS, "heading"),
    "p": "paragraph",
    "li": "list_item",
    "dt": "list_item",
    "dd": "list_item",
    "td": "table_cell",
    "th": "table_cell",
    "blockquote": "quote",
    "figcaption": "paragraph",
    "caption": "paragraph",
    "div": "paragraph",
    "section": "paragraph",
    "article": "paragraph",
    "header": "paragraph",
    "footer": "paragraph",
    "main": "paragraph",
    "aside": "paragraph",
    "nav": "paragraph",
    "body": "paragraph",
    "form": "paragraph",
    "address": "paragraph",
    "summary": "paragraph",
    "details": "paragraph",
    "[document]": "paragraph",
}
_CODE_TAGS = frozenset({"pre", "code", "kbd", "samp"})


@dataclass
class HtmlContent:
    blocks: list[Block] = field(default_factory=list)
    code: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    title: Block | None = None
    description: Block | None = None
    keywords: Block | None = None  # <meta name="keywords">, as a block of kind "keywords"
    # Elements opened deeper than the depth limit: they were not built, their text was kept.
    flattened: int = 0


class _ShallowSoup(BeautifulSoup):
    """A soup that stops nesting at `max_depth`: deeper start tags are dropped (with their end
    tags), so their text lands in the deepest element kept. Guarded while parsing, not after."""

    def __init__(self, markup: str, max_depth: int) -> None:
        self._auditor_max_depth = max_depth
        self._auditor_flattened = 0
        self._auditor_dropped: Counter[str] = Counter()
        super().__init__(markup, "html.parser")

    def handle_starttag(self, name: str, namespace: Any, nsprefix: Any, attrs: Any, *args: Any, **kwargs: Any) -> Any:
        if self._auditor_max_depth and len(self.tagStack) > self._auditor_max_depth:
            self._auditor_flattened += 1
            if not self.builder.can_be_empty_element(name):
                self._auditor_dropped[name] += 1
            return None
        return super().handle_starttag(name, namespace, nsprefix, attrs, *args, **kwargs)

    def handle_endtag(self, name: str, nsprefix: Any = None) -> None:
        if self._auditor_dropped[name]:
            self._auditor_dropped[name] -= 1
            return
        super().handle_endtag(name, nsprefix)


def _meta(soup: BeautifulSoup, name: str, line_offset: int) -> Block | None:
    """The content of `<meta name="…">` (the first one), as a block of that kind."""
    meta = soup.find("meta", attrs={"name": re.compile(f"^{name}$", re.I)})
    if isinstance(meta, Tag) and str(meta.get("content", "")).strip():
        line, column = _position(meta, line_offset)
        return Block(name, " ".join(str(meta["content"]).split()), line, column)
    return None


def _hidden(tag: Tag) -> bool:
    if tag.name in _INVISIBLE_TAGS or tag.has_attr("hidden"):
        return True
    if str(tag.get("aria-hidden", "")).lower() == "true":
        return True
    return bool(_HIDDEN_STYLE.search(str(tag.get("style", ""))))


def _position(tag: Tag, line_offset: int) -> tuple[int, int]:
    line = (tag.sourceline or 1) + line_offset
    column = (tag.sourcepos or 0) + 1
    return line, column


class _Collector:
    """Gathers the text of each innermost block element while walking the tree."""

    def __init__(self, line_offset: int) -> None:
        self.line_offset = line_offset
        self.content = HtmlContent()
        self.open: dict[int, list[str]] = {}

    def flush(self, element: Tag, kind: str, level: int) -> None:
        parts = self.open.pop(id(element), None)
        if not parts:
            return
        value = re.sub(r"[ \t\r\f\v]+", " ", "".join(parts))
        value = re.sub(r" ?\n[ \n]*", "\n", value).strip()
        if not value:
            return
        line, column = _position(element, self.line_offset)
        target = self.content.code if kind == "code" else self.content.blocks
        target.append(Block(kind, value, line, column, level))


def parse_html(
    source: str, line_offset: int = 0, fragment: bool = False, max_depth: int = DEFAULT_MAX_DEPTH
) -> HtmlContent:
    """Blocks, code and links of an HTML document (or of a fragment inside Markdown).

    Elements nested deeper than `max_depth` (0: no limit) are flattened into
    the deepest one kept; `flattened` counts them.
    """
    try:
        soup = _ShallowSoup(source, max_depth)
    except ParserRejectedMarkup:
        # html.parser gives up on a malformed `<![…` (a marked section, never valid in HTML
        # outside SVG); read those as text instead of losing the page.
        soup = _ShallowSoup(source.replace("<![", "&lt;!["), max_depth)
    collector = _Collector(line_offset)
    content = collector.content
    content.flattened = soup._auditor_flattened
    if not fragment:
        title_tag = soup.find("title")
        if isinstance(title_tag, Tag) and title_tag.get_text(strip=True):
            line, column = _position(title_tag, line_offset)
            content.title = Block("title", title_tag.get_text(" ", strip=True), line, column)
        content.description = _meta(soup, "description", line_offset)
        content.keywords = _meta(soup, KEYWORDS_KIND, line_offset)

    # Iterative walk. Each entry: node, the block element that owns its text, that
    # block's kind and heading level, and whether it sits in a heading. A None
    # node marks the end of its owner, whose text is then flushed as a block.
    stack: list[tuple[object, Tag, str, int, bool]] = [(soup, soup, "paragraph", 0, False)]
    while stack:
        node, owner, kind, level, in_heading = stack.pop()
        if node is None:  # a marker: the element `owner` is finished
            collector.flush(owner, kind, level)
            continue
        if isinstance(node, Comment) or (isinstance(node, NavigableString) and type(node) is not NavigableString):
            continue
        if isinstance(node, NavigableString):
            collector.open.setdefault(id(owner), []).append(str(node))
            continue
        assert isinstance(node, Tag)
        if _hidden(node):
            continue
        if node.name in _BLOCK_KINDS or (node.name in _CODE_TAGS and kind != "code"):
            new_kind = "code" if node.name in _CODE_TAGS else _BLOCK_KINDS[node.name]
            if new_kind == "paragraph" and kind in ("list_item", "table_cell", "quote", "heading"):
                new_kind = kind  # a <div> inside a list item is still that list item
            level = _HEADINGS.get(node.name, level if new_kind == "heading" else 0)
            in_heading = in_heading or new_kind == "heading"
            # The parent's text so far forms a block of its own before this one starts.
            collector.flush(owner, kind, level)
            owner, kind = node, new_kind
            stack.append((None, owner, kind, level, in_heading))
        elif node.name == "br":
            collector.open.setdefault(id(owner), []).append("\n")
        if node.name == "a" and node.get("href"):
            line, column = _position(node, line_offset)
            link = Link(str(node["href"]).strip(), node.get_text(" ", strip=True), line, column, in_heading=in_heading)
            if not link.text:  # a banner or a button: what its images say is its text
                images = node.find_all("img")
                if images:
                    link.text = " ".join(str(i.get("alt", "")).strip() for i in images if i.get("alt")).strip()
                    link.image_only = True
            content.links.append(link)
        elif node.name == "img" and node.get("src"):
            line, column = _position(node, line_offset)
            content.links.append(
                Link(
                    str(node["src"]).strip(),
                    str(node.get("alt", "")),
                    line,
                    column,
                    in_heading=in_heading,
                    is_image=True,
                )
            )
        stack.extend((child, owner, kind, level, in_heading) for child in reversed(node.contents))
    content.blocks.sort(key=lambda b: (b.line, b.column))
    return content
