"""PL410: a call to action whose destination the page hides, from the reader and from every crawler.

Three forms of one trick, each read from the page as written, never run:
an address kept base64-encoded in a script or a link's query, a script that
decodes its destination at run time and sends the reader there, and a link
whose address is a placeholder a click tracker fills in when it is clicked.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from urllib.parse import unquote

from auditor.models import Page, Severity
from auditor.registry import Context, Hit, Rule

from . import urls
from .survey import cues, link_hit

# The start of a script element: its name must end there (not `<scripts>`).
_SCRIPT_OPEN = re.compile(r"<script(?=[\s>/])", re.I)
_SCRIPT_CLOSE = re.compile(r"</script", re.I)
# Script types that hold data or templates, not code the browser runs.
_DATA_TYPES = re.compile(r"""type\s*=\s*["']?(?:application/(?:ld\+)?json|text/(?:template|x-template|html))""", re.I)
# A quoted string of base64 (standard or URL-safe) long enough to hold an address: "aHR0cHM6Ly9…".
_QUOTED_BASE64 = re.compile(r"""(["'`])([A-Za-z0-9+/_-]{16,}={0,2})\1""")
# A base64 value in a query: the same letters, as a parameter carries them.
_BASE64_VALUE = re.compile(r"^[A-Za-z0-9+/_-]{16,}={0,2}$")
# String.fromCharCode(104, 116, 116, 112, …): an address spelled out as character codes.
_CHAR_CODES = re.compile(r"fromCharCode\(\s*((?:\d{2,3}\s*,\s*){7,}\d{2,3})\s*\)")
# What an address decodes to: a web address with a host.
_DECODED_URL = re.compile(r"^(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:[/?#:]\S*)?$")
# A click tracker's or landing-page kit's placeholder standing for the whole address:
# {offer_link}, %OFFER_URL%, [AFFILIATE_LINK], #OFFER#. Double braces are the site generator's
# own templates ({{ post.url }}) and are left alone.
_PLACEHOLDER = re.compile(
    r"^(?:\{[A-Za-z_][A-Za-z0-9_.-]*\}|%[A-Za-z_][A-Za-z0-9_]*%|\[[A-Z_][A-Z0-9_]*\]|#[A-Z_][A-Z0-9_]*#)$"
)


@cache
def _decoders() -> re.Pattern[str]:
    names = urls.data("script_decoders")
    # Decoding a value only known at run time: a string written in the script is read as it stands.
    return re.compile(r"(?<![\w$])(?:" + "|".join(re.escape(n) for n in names) + r")\s*\((?!\s*[\"'`])")


@cache
def _navigation() -> re.Pattern[str]:
    calls = urls.data("script_navigation")
    return re.compile("|".join(r"(?<![\w$])" * c[0].isalpha() + re.escape(c) for c in calls))


def decoded_url(value: str) -> str | None:
    """The web address a base64 string decodes to, if it decodes to one."""
    padded = value + "=" * (-len(value) % 4)
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            text = decode(padded).decode("ascii")
        except (binascii.Error, ValueError):
            continue
        if _DECODED_URL.match(text):
            return text
    return None


def _char_codes(codes: str) -> str | None:
    text = "".join(chr(int(c)) for c in codes.split(",") if 32 <= int(c) < 127)
    return text if _DECODED_URL.match(text.split("'")[0].split('"')[0]) else None


@dataclass(frozen=True)
class _Hidden:
    offset: int  # in the page's source
    message: str
    evidence: str
    severity: Severity


def _code_lines(page: Page) -> list[tuple[int, int]]:
    return [(b.line, b.line + b.text.count("\n") + 1) for b in page.code]


def _scripts(page: Page) -> Iterator[tuple[int, str]]:
    """Each script the page runs: the offset of its body in the source, and the body."""
    if "<script" not in page.source and "<SCRIPT" not in page.source:
        return
    code = _code_lines(page)
    for tag, attributes, body_start, body in _script_elements(page.source):
        if not body.strip() or _DATA_TYPES.search(attributes):
            continue
        line, _ = page.line_of_offset(tag)
        if any(start <= line <= end for start, end in code):
            continue
        yield body_start, body


def _script_elements(source: str) -> Iterator[tuple[int, str, int, str]]:
    """Each `<script …>…</script>` of `source`: where its tag starts, its attributes, where its body
    starts and the body. A scan, not one pattern: a lazy `.*?` to the closing tag costs time in
    the square of a page of unclosed tags, and after the first unclosed one no later tag can close."""
    at = 0
    while (opening := _SCRIPT_OPEN.search(source, at)) is not None:
        tag_end = source.find(">", opening.end())
        closing = _SCRIPT_CLOSE.search(source, tag_end) if tag_end != -1 else None
        if closing is None:
            return
        yield opening.start(), source[opening.end() : tag_end], tag_end + 1, source[tag_end + 1 : closing.start()]
        at = closing.end()


def _in_scripts(page: Page) -> Iterator[_Hidden]:
    for start, body in _scripts(page):
        navigates = _navigation().search(body) is not None
        severity = Severity.ERROR if navigates else Severity.WARNING
        where = "a script that sends the reader on" if navigates else "a script"
        found = False
        for match in _QUOTED_BASE64.finditer(body):
            target = decoded_url(match.group(2))
            if target:
                found = True
                yield _Hidden(
                    start + match.start(2),
                    f"an address kept base64-encoded in {where} (it decodes to {target})",
                    target,
                    severity,
                )
        for match in _CHAR_CODES.finditer(body):
            target = _char_codes(match.group(1))
            if target:
                found = True
                yield _Hidden(
                    start + match.start(),
                    f"an address spelled out as character codes in {where} (it reads {target})",
                    target,
                    severity,
                )
        decoder = _decoders().search(body)
        if not found and decoder and navigates:
            yield _Hidden(
                start + decoder.start(),
                "a script that decodes an address at run time and sends the reader there",
                decoder.group(0).rstrip("( \t\n"),
                Severity.ERROR,
            )


class HiddenDestination(Rule):
    """A call to action whose destination the page hides: encoded, decoded by a script, or left to a click tracker.

    **What it catches**
    An address kept base64-encoded (`"aHR0cHM6Ly9…"`) or spelled out as character
    codes in a script of the page, or base64-encoded in a link's query
    (`go.html?u=aHR0cHM6Ly9…`); a script that decodes an address at run time
    (`atob(…)`) and sends the reader there (`location.href = …`, a click on a
    link it builds); and links whose whole address is a placeholder a click
    tracker or landing-page kit fills in (`{offer_link}`, `%OFFER_URL%`). An
    error when the script also sends the reader on, for an encoded query, and
    for a placeholder used by two links or more or behind a call to action
    ("Order now", "立即下载"); otherwise a warning. Scripts shown in code
    blocks are examples and are not read; `{{ … }}` addresses are the site
    generator's templates and are left alone.

    **Why it matters**
    An honest page links where it sends the reader. Fake download pages,
    sneaky redirects and affiliate advertorials hide the destination so that
    link checkers, crawlers and the reader hovering over the button cannot see
    it, and so that it can be swapped for another at any time.

    **Example**
    `<img src="app.png" alt="下载" onclick="go()"><script>function go(){location.href=atob("aHR0cHM6Ly9…")}</script>`

    **Better**
    `<a href="https://example.com/releases/app-2.1.zip">下载 app 2.1</a>` — link the file, or the
    release page, in plain sight.

    **Options**
    None.

    **Silence it**
    `<!-- auditor-disable-next-line PL410 -->` above the line, or `ignore = ["PL410"]`.
    """

    code = "PL410"
    name = "hidden-destination"
    default_severity = Severity.ERROR

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        for hidden in _in_scripts(page):
            line, column = page.line_of_offset(hidden.offset)
            yield Hit(
                line,
                column,
                f"{hidden.message}; link the destination in plain sight",
                hidden.evidence,
                severity=hidden.severity,
            )
        yield from _in_links(page)


def _in_links(page: Page) -> Iterator[Hit]:
    placeholders: dict[str, list] = {}
    seen: set[str] = set()
    for link in page.links:
        if link.is_image:  # an image's own address (imgix "?mark64=…") sends no one anywhere
            continue
        address = link.url.strip()
        written = unquote(address)  # Markdown escapes the braces: "%7Boffer_link%7D"
        if _PLACEHOLDER.match(written):
            placeholders.setdefault(written, []).append(link)
            continue
        if "?" not in address or address in seen:
            continue
        parsed = urls.parse(address)
        if parsed is None:
            continue
        for name, value in parsed.params():
            target = decoded_url(value) if _BASE64_VALUE.match(value) else None
            if target:
                seen.add(address)
                yield link_hit(
                    page,
                    link,
                    f"a link whose destination is base64-encoded in its query ({name}= decodes to {target}); "
                    "link the destination in plain sight",
                    address,
                    Severity.ERROR,
                )
                break
    for address, group in placeholders.items():
        pushed = any(cues("cta", "download_cues").search(link.text) for link in group)
        first = group[0]
        times = "once" if len(group) == 1 else f"{len(group)} times"
        yield link_hit(
            page,
            first,
            f"a link to a placeholder ({address}), used {times}"
            + (" behind a call to action" if pushed else "")
            + ", that a click tracker fills in; link the destination in plain sight",
            address,
            Severity.ERROR if len(group) >= 2 or pushed else Severity.WARNING,
        )
