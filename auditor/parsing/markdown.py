"""Markdown into blocks and links, with markdown-it-py's source line maps.

Raw HTML blocks inside Markdown are handed to the HTML parser, so a
`<p><a href=…>` in a Markdown page counts like the same thing in Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.token import Token

from auditor.models import Block, Link

if TYPE_CHECKING:
    from auditor.parsing.html import HtmlContent


def parse_html(source: str, line_offset: int = 0, fragment: bool = False) -> HtmlContent:
    """The HTML parser, imported on the first raw HTML met: most Markdown pages hold none,
    and beautifulsoup4 costs a tenth of a second to import."""
    from auditor.parsing.html import parse_html as parse

    return parse(source, line_offset=line_offset, fragment=fragment)


_CONTAINERS = {
    "list_item_open": "list_item",
    "blockquote_open": "quote",
    "th_open": "table_cell",
    "td_open": "table_cell",
}
_CLOSERS = {name.replace("_open", "_close"): kind for name, kind in _CONTAINERS.items()}


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


@dataclass
class MarkdownContent:
    blocks: list[Block] = field(default_factory=list)
    code: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


def parse_markdown(source: str) -> MarkdownContent:
    content = MarkdownContent()
    lines = source.split("\n")
    containers: list[str] = []
    heading_level = 0
    for token in _parser().parse(source):
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
            fragment = parse_html(token.content, line_offset=token.map[0], fragment=True)
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
    return content


def _inline(token: Token, kind: str, level: int, lines: list[str], content: MarkdownContent) -> None:
    """Plain text of one inline run, its links, and its inline code kept apart."""
    assert token.map is not None
    first_line = token.map[0] + 1
    parts: list[str] = []
    link_stack: list[tuple[str, int]] = []  # href, index into parts where its text starts
    for child in token.children or []:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "code_inline":
            content.code.append(Block("code", child.content, first_line))
        elif child.type == "link_open":
            link_stack.append((str(child.attrs.get("href", "")), len(parts)))
        elif child.type == "link_close" and link_stack:
            href, start = link_stack.pop()
            label = "".join(parts[start:]).strip()
            line, column = _find(lines, first_line, token.map[1], href)
            content.links.append(Link(href, label, line, column, in_heading=kind == "heading"))
        elif child.type == "image":
            src = str(child.attrs.get("src", ""))
            line, column = _find(lines, first_line, token.map[1], src)
            content.links.append(Link(src, child.content, line, column, in_heading=kind == "heading", is_image=True))
        elif child.type == "html_inline":
            fragment = parse_html(child.content, line_offset=first_line - 1, fragment=True)
            for link in fragment.links:
                link.line, link.column = _find(lines, first_line, token.map[1], link.url)
                link.in_heading = kind == "heading"
            content.links.extend(fragment.links)
            if child.content.lower().startswith("<br"):
                parts.append("\n")
    text = "".join(parts).strip()
    if text:
        column = len(lines[first_line - 1]) - len(lines[first_line - 1].lstrip()) + 1
        content.blocks.append(Block(kind, text, first_line, column, level))


def _find(lines: list[str], first: int, last: int, needle: str) -> tuple[int, int]:
    """Line and column of `needle` within source lines first..last (1-based, inclusive)."""
    if needle:
        for lineno in range(first, min(last, len(lines)) + 1):
            column = lines[lineno - 1].find(needle)
            if column >= 0:
                return lineno, column + 1
    return first, 1
