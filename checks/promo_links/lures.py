"""PL409: a download offered from a free blog host, the lure of hijacked repositories and fake app pages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache

from auditor.models import Block, Link, Page, Severity
from auditor.registry import Context, Hit, Rule

from . import urls
from .survey import cues

# An opaque id in a query value or path segment: letters and digits mixed ("?download=2A0Tcs"),
# what a lure host's script maps to the file it serves. Dates, slugs and plain numbers are not ids.
_OPAQUE_ID = re.compile(r"^(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{4,16}$")


@cache
def _free_hosts() -> frozenset[str]:
    return frozenset(urls.data("free_hosts"))


def _on_free_host(url: urls.Url) -> bool:
    labels = url.host.split(".")
    return any(".".join(labels[i:]) in _free_hosts() for i in range(len(labels) - 1))


def opaque_id(url: urls.Url) -> str | None:
    """The first query value or path segment of `url` that reads as an opaque id, if any."""
    for name, value in url.params():
        if _OPAQUE_ID.match(value):
            return f"{name}={value}"
    return next((segment for segment in url.path_segments if _OPAQUE_ID.match(segment)), None)


def _block_of(page: Page, link: Link) -> Block | None:
    """The prose block a link stands in: the last one starting at or before its line."""
    found = None
    for block in page.prose:
        if block.line > link.line:
            break
        found = block
    return found


def _lures(page: Page) -> Iterator[tuple[Link, urls.Url]]:
    for link in page.links:
        if link.is_image:  # an image's own address (1.bp.blogspot.com/…/s1600/x.png) is no download
            continue
        parsed = urls.parse(link.url)
        if parsed is None or not _on_free_host(parsed):
            continue
        block = _block_of(page, link)
        offered = cues("download_cues").search(link.text) or (block and cues("download_cues").search(block.text))
        if offered:
            yield link, parsed


class DownloadLure(Rule):
    """A download offered from a page on a free blog or site-builder host.

    **What it catches**
    A link presented as a download ("Download ✓", "立即下载", the link text or the
    sentence it stands in) whose address is on a free blog or site-builder host
    (a `blogspot.com`, `sites.google.com` or `wordpress.com` page, and others in
    `free_hosts.any.txt`). An error when the address also carries an opaque id
    (`?download=2A0Tcs`), the file a lure page's script hands out; otherwise a
    warning.

    **Why it matters**
    Hijacked repositories and fake app pages put a scraped article under a
    popular name and one bold download link to a throwaway blog, which forwards
    to ads or malware. A project's real download is on its own site, its
    release page or a package registry.

    **Example**
    `**Download ⇒ [https://files-now.blogspot.com/?download=7Qk2Zp](https://files-now.blogspot.com/?download=7Qk2Zp)**`

    **Better**
    `Download the installer from the [releases page](https://github.com/owner/app/releases).`

    **Options**
    None.

    **Silence it**
    `<!-- auditor-disable-next-line PL409 -->`, or `ignore = ["PL409"]`.
    """

    code = "PL409"
    name = "download-lure"
    default_severity = Severity.WARNING

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        for link, parsed in _lures(page):
            code = opaque_id(parsed)
            if code:
                message = f"a download from a free blog host ({parsed.host}) behind an opaque id ({code})"
            else:
                message = f"a download from a free blog host ({parsed.host})"
            yield Hit(
                link.line,
                link.column,
                f"{message}; link the project's own site or release page",
                link.url,
                severity=Severity.ERROR if code else Severity.WARNING,
            )
