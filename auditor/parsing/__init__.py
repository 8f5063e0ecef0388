"""Parsing a page's text into the Page model, whatever its format."""

from __future__ import annotations

import re
from typing import Any

from auditor.input.loading import FrontMatter, split_front_matter
from auditor.models import DEFAULT_MAX_DEPTH, KEYWORDS_KIND, Block, Link, Page

# A URL written out in prose. It stops at spaces, quotes, brackets and the
# full-width punctuation Chinese text puts right after a URL.
# Liquid/Jinja/Hugo template directives, `{% … %}` and `{{ … }}`: markup of the
# site generator, not prose. Removed by a scan (see `_strip_template_tags`).
_TEMPLATE_TAGS = (("{%", "%}"), ("{{", "}}"))
_BARE_URL = re.compile(r"(?:https?://|www\.|t\.me/)[^\s<>()\[\]{}\"'，。、；：！？）（】【「」]+", re.I)


def parse_page(path: str, source: str, fmt: str, max_depth: int = DEFAULT_MAX_DEPTH) -> tuple[Page, FrontMatter]:
    """Build the Page of `source`; the front matter is returned too, for its errors and key lines.

    Elements nested deeper than `max_depth` (0: no limit) are flattened, and
    `page.cut` says so.
    """
    front, body = split_front_matter(source)
    page = Page(path=path, format=fmt, source=source, front_matter=front.data)
    meta: list[Block] = []
    title = _front_matter_text(front, "title")
    description = _front_matter_text(front, "description")
    keywords = _front_matter_text(front, KEYWORDS_KIND)
    if fmt == "html":
        from auditor.parsing.html import parse_html

        html = parse_html(body, max_depth=max_depth)
        blocks, code, links = html.blocks, html.code, html.links
        flattened = html.flattened
        title = title or html.title
        description = description or html.description
        keywords = keywords or html.keywords
    else:
        from auditor.parsing.markdown import parse_markdown

        md = parse_markdown(body, max_depth)
        blocks, code, links = md.blocks, md.code, md.links
        flattened = md.flattened
        if md.nesting_cut:
            page.cut.append(
                f"nests quotes or lists {md.nesting_cut} levels deep or more; what is nested deeper was not read"
            )
    if flattened:
        page.cut.append(
            f"nests HTML elements deeper than {max_depth} levels; {flattened:,} elements below that depth were "
            "flattened into their ancestor (their text was still read)"
        )
    blocks = _without_template_tags(blocks)
    if title is None:
        title = _title_from_body(blocks, page.lines)
    if title is not None:
        page.title = title.text
        page.title_block = title
        if title.kind == "title":
            meta.append(title)
        if title.kind != "title":  # the title is a block of the body: mark the links in it
            for link in links:
                link.in_title = link.line == title.line
    if description is not None:
        meta.append(description)
    if keywords is not None:
        meta.append(keywords)
    page.blocks = meta + blocks
    page.code = code
    page.links = links + _bare_urls(page.blocks, links)
    for link in page.links:
        if link.bare and title is not None and link.line == title.line:
            link.in_title = True
    return page, front


def _without_template_tags(blocks: list[Block]) -> list[Block]:
    kept = []
    for block in blocks:
        if "{" in block.text:
            block.text = _strip_template_tags(block.text).strip()
        if block.text:
            kept.append(block)
    return kept


def _strip_template_tags(value: str) -> str:
    """`value` without its template tags, in one pass.

    A pattern such as `\\{%.*?%\\}` rescans the rest of the text from every
    opener that is never closed, which is quadratic on `{%{%{%…`; here an
    opener whose closer is missing ends the search for that kind of tag.
    """
    kept: list[str] = []
    position = 0
    closers = dict(_TEMPLATE_TAGS)
    # The next place of each opener at or after `position`, found again only once passed.
    starts = {opener: value.find(opener) for opener in closers}
    while True:
        starts = {o: (value.find(o, position) if 0 <= start < position else start) for o, start in starts.items()}
        starts = {o: start for o, start in starts.items() if start >= 0}
        if not starts:
            break
        opener = min(starts, key=lambda o: starts[o])
        start = starts[opener]
        end = value.find(closers[opener], start + len(opener))
        if end < 0:  # never closed here, so never closed further on either
            del starts[opener]
            continue
        kept.append(value[position:start])
        position = end + len(closers[opener])
    kept.append(value[position:])
    return "".join(kept)


def _front_matter_text(front: FrontMatter, key: str) -> Block | None:
    """The front matter's `title`, `description` or `keywords` as a block of that kind; a list of
    keywords (`keywords: [a, b]`) is read as the comma-separated list a meta tag would hold."""
    value: Any = front.data.get(key)
    if key == KEYWORDS_KIND and isinstance(value, list):
        value = ", ".join(str(v).strip() for v in value if isinstance(v, (str, int, float)) and str(v).strip())
    if isinstance(value, (str, int, float)) and str(value).strip():
        return Block(key, str(value).strip(), front.key_lines.get(key, 1), 1)
    return None


def _title_from_body(blocks: list[Block], lines: list[str]) -> Block | None:
    """The first heading of level 1, or a first line set wholly in bold (a common export style)."""
    for block in blocks:
        if block.kind == "heading" and block.level == 1:
            return block
    if blocks and blocks[0].kind == "paragraph" and "\n" not in blocks[0].text:
        raw = lines[blocks[0].line - 1].strip() if blocks[0].line <= len(lines) else ""
        if raw.startswith("**") and raw.endswith("**"):
            return blocks[0]
    return None


def _bare_urls(blocks: list[Block], links: list[Link]) -> list[Link]:
    """URLs written out in prose that are not already the text of a link."""
    labels = " ".join(link.text for link in links)
    found: list[Link] = []
    for block in blocks:
        for match in _BARE_URL.finditer(block.text):
            url = match.group().rstrip(".,;:!?")
            if url in labels:
                continue
            found.append(Link(url, url, block.line, block.column, in_heading=block.kind == "heading", bare=True))
    return found
