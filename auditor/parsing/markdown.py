"""Markdown into blocks and links, with markdown-it-py's source line maps.

Raw HTML blocks inside Markdown are handed to the HTML parser, so a
`<p><a href=…>` in a Markdown page counts like the same thing in Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.token import Token

from auditor.models import DEFAULT_MAX_DEPTH, Block, Link

if TYPE_CHECKING:
    from auditor.parsing.html import HtmlContent

# markdown-it recurses once per level of nested quotes and lists, and its link labels
# cost up to this many steps per "[": past this many levels it stops reading the
# nested part (reported as `nesting_cut`). Its CommonMark default.
MARKDOWN_MAX_NESTING = 20


def parse_html(
    source: str, line_offset: int = 0, fragment: bool = False, max_depth: int = DEFAULT_MAX_DEPTH
) -> HtmlContent:
    """The HTML parser, imported on the first raw HTML met: most Markdown pages hold none,
    and beautifulsoup4 costs a tenth of a second to import."""
    from auditor.parsing.html import parse_html as parse

    return parse(source, line_offset=line_offset, fragment=fragment, max_depth=max_depth)


_CONTAINERS = {
    "list_item_open": "list_item",
    "blockquote_open": "quote",
    "th_open": "table_cell",
    "td_open": "table_cell",
}
_CLOSERS = {name.replace("_open", "_close"): kind for name, kind in _CONTAINERS.items()}


_LONE_CR = re.compile(r"\r(?!\n)")
_LINK_TAG = re.compile(r"<(?:a|img)(?![\w-])", re.I)
_A_CLOSE = re.compile(r"</a\s*>", re.I)


@cache
def _parser(max_nesting: int) -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "maxNesting": max_nesting}).enable(["table", "strikethrough"])


@dataclass
class MarkdownContent:
    blocks: list[Block] = field(default_factory=list)
    code: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    # HTML elements flattened past the depth limit, in raw HTML blocks.
    flattened: int = 0
    # The nesting limit markdown-it stopped at, when quotes or lists went deeper (their inside was not read).
    nesting_cut: int = 0


def parse_markdown(source: str, max_depth: int = DEFAULT_MAX_DEPTH) -> MarkdownContent:
    content = MarkdownContent()
    lines = source.split("\n")
    containers: list[str] = []
    heading_level = 0
    nesting = min(max_depth or MARKDOWN_MAX_NESTING, MARKDOWN_MAX_NESTING)
    # markdown-it ends a line at a lone "\r" too; the Page counts "\n" only, so its line map would drift.
    env: dict = {}
    tokens = _parser(nesting).parse(_LONE_CR.sub(" ", source), env)
    if any(token.level >= nesting - 1 for token in tokens):
        content.nesting_cut = nesting
    for token in tokens:
        if token.type in _CONTAINERS:
            containers.append(_CONTAINERS[token.type])
        elif token.type in _CLOSERS and containers:
            containers.pop()
        elif token.type == "heading_open":
            heading_level = int(token.tag[1])
        elif token.type == "heading_close":
            heading_level = 0
        elif token.type in ("fence", "code_block") and token.map:
            content.code.append(Block("code", token.content, token.map[0] + 1))
        elif token.type == "html_block" and token.map:
            fragment = parse_html(token.content, line_offset=token.map[0], fragment=True, max_depth=max_depth)
            content.flattened += fragment.flattened
            for block in fragment.blocks:
                if heading_level:
                    block.kind, block.level = "heading", heading_level
                elif containers and block.kind == "paragraph":
                    block.kind = containers[-1]
            content.blocks.extend(fragment.blocks)
            content.code.extend(fragment.code)
            content.links.extend(fragment.links)
        elif token.type == "inline" and token.map:
            kind = "heading" if heading_level else (containers[-1] if containers else "paragraph")
            _inline(token, kind, heading_level, lines, content)
    content.links.extend(_unused_definitions(env.get("references", {}), lines, content.links))
    return content


def _unused_definitions(references: dict, lines: list[str], links: list[Link]) -> list[Link]:
    """Link reference definitions (`[label]: https://…`) that no link of the page uses, as links
    at their own line: a definition is a link a renderer may drop, but a reader of the source,
    and a search engine reading a careless export, still sees it. A used one is already the
    link that uses it (with that link's text and line), so it is not counted twice."""
    used = {link.url for link in links}
    found = []
    for reference in references.values():
        href, where = str(reference.get("href", "")), reference.get("map")
        if not href or href in used or not where:
            continue
        line = where[0] + 1
        raw = lines[line - 1] if line <= len(lines) else ""
        column = raw.find(href) + 1 if href in raw else 1
        found.append(Link(href, _definition_label(raw), line, column, definition=True))
        used.add(href)
    return found


def _inline(token: Token, kind: str, level: int, lines: list[str], content: MarkdownContent) -> None:
    """Plain text of one inline run, its links, and its inline code kept apart."""
    assert token.map is not None
    first_line = token.map[0] + 1
    parts: list[str] = []
    # href, index into parts where its text starts, alts of the images inside it
    link_stack: list[tuple[str, int, list[str]]] = []
    # Raw `<a href>` tags opened in this run and not yet closed: their link, text start, image alts.
    html_open: list[tuple[Link, int, list[str]]] = []
    finder = _Finder(lines, first_line, token.map[1])
    for child in token.children or []:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "code_inline":
            content.code.append(Block("code", child.content, first_line))
        elif child.type == "link_open":
            link_stack.append((str(child.attrs.get("href", "")), len(parts), []))
        elif child.type == "link_close" and link_stack:
            href, start, images = link_stack.pop()
            label = "".join(parts[start:]).strip()
            line, column = finder.find(href)
            link = Link(href, label, line, column, in_heading=kind == "heading")
            _label_images(link, images)
            content.links.append(link)
        elif child.type == "image":
            src = str(child.attrs.get("src", ""))
            _inside(link_stack, html_open, child.content.strip())
            line, column = finder.find(src)
            content.links.append(Link(src, child.content, line, column, in_heading=kind == "heading", is_image=True))
        elif child.type == "html_inline":
            if _LINK_TAG.match(child.content):  # only <a> and <img> hold links: no soup for every <b>
                fragment = parse_html(child.content, line_offset=first_line - 1, fragment=True)
                for link in fragment.links:
                    link.line, link.column = finder.find(link.url)
                    link.in_heading = kind == "heading"
                    if link.is_image:
                        _inside(link_stack, html_open, link.text.strip())
                    elif not link.text and _A_CLOSE.search(child.content) is None:
                        html_open.append((link, len(parts), []))
                content.links.extend(fragment.links)
            elif _A_CLOSE.match(child.content) and html_open:
                link, start, images = html_open.pop()
                link.text = "".join(parts[start:]).strip()
                _label_images(link, images)
            elif child.content.lower().startswith("<br"):
                parts.append("\n")
    text = "".join(parts).strip()
    if text:
        column = len(lines[first_line - 1]) - len(lines[first_line - 1].lstrip()) + 1
        content.blocks.append(Block(kind, text, first_line, column, level))


def _definition_label(raw: str) -> str:
    """The label of the definition `[label]: url` on a source line (after any quote markers)."""
    head = raw.lstrip(" >")
    end = head.find("]:")
    return head[1:end].strip() if head.startswith("[") and end > 0 else ""


def _inside(
    link_stack: list[tuple[str, int, list[str]]], html_open: list[tuple[Link, int, list[str]]], alt: str
) -> None:
    """Note an image's alt on the innermost link open around it, if any."""
    if link_stack:
        link_stack[-1][2].append(alt)
    elif html_open:
        html_open[-1][2].append(alt)


def _label_images(link: Link, images: list[str]) -> None:
    """A link around an image and no text is a banner or a button: the alt is what it says."""
    if not link.text and images:
        link.text = " ".join(a for a in images if a)
        link.image_only = True


# How far past the previous link of a run the next link's URL is looked for. Links come
# in order, so the search goes on from there and stays linear; without a bound, a page
# with 200,000 links that cannot be found (their URLs normalised) would be rescanned for each.
_SEARCH_REACH = 8192


class _Finder:
    """Line and column of each link's URL within source lines first..last (1-based), in order."""

    def __init__(self, lines: list[str], first: int, last: int) -> None:
        self.lines, self.first, self.last = lines, first, min(last, len(lines))
        self.line, self.column = first, 0  # where the previous URL was found (column 0-based)

    def find(self, needle: str) -> tuple[int, int]:
        if needle:
            reach, start = _SEARCH_REACH, self.column
            for lineno in range(self.line, self.last + 1):
                text = self.lines[lineno - 1]
                column = text.find(needle, start, start + reach + len(needle))
                if column >= 0:
                    self.line, self.column = lineno, column
                    return lineno, column + 1
                reach -= len(text) - start + 1
                if reach <= 0:
                    break
                start = 0
        return self.first, 1
