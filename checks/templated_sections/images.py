"""TS104: illustrations that are a search engine's answer to the page's keywords."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

from auditor.models import Link, Page, Severity
from auditor.registry import Context, Hit, Rule
from auditor.text import lexicon

_PACKAGE = "auditor_checks.templated_sections"
# Words in a query value: a letter or a Chinese character ("tbn:ANd9Gc…", an image id, has none
# of the shape of words, so Google's copied thumbnails are not read as searches).
_WORDS = re.compile(r"[A-Za-z\u3400-\u4dbf\u4e00-\u9fff]")
_IMAGE_ID = re.compile(r"^(?:tbn:|OIP\.|[A-Za-z0-9_-]{20,}$)")


@cache
def _hosts() -> frozenset[str]:
    return frozenset(lexicon.words(_PACKAGE, "image_search_hosts", "any"))


@cache
def _params() -> frozenset[str]:
    return frozenset(lexicon.words(_PACKAGE, "image_search_params", "any"))


def searched_words(url: str) -> str | None:
    """The words an image address asks a search engine for ("快连 教程" for
    "https://tse-mm.bing.com/th?q=%E5%BF%AB%E8%BF%9E%20%E6%95%99%E7%A8%8B"), if it is such an address."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    labels = host.split(".")
    if not any(".".join(labels[i:]) in _hosts() for i in range(len(labels) - 1)):
        return None
    for name, value in parse_qsl(parts.query):
        value = value.strip()
        if name.lower() in _params() and _WORDS.search(value) and not _IMAGE_ID.match(value):
            return value
    return None


def _searched_images(page: Page) -> list[tuple[Link, str]]:
    found = []
    for link in page.links:
        if link.is_image:
            words = searched_words(link.url)
            if words:
                found.append((link, words))
    return found


class SearchQueryImage(Rule):
    """Illustrations that are a search engine's answer to the page's keywords.

    **What it catches**
    Images whose address is an image-search or thumbnail query of a search engine
    (`https://tse-mm.bing.com/th?q=快连+教程`, a Google or Baidu image search by words;
    the hosts are `data/image_search_hosts.any.txt`): the picture is whatever the
    engine returns for those words today. One is a warning; two or more on a page are
    an error. A thumbnail copied from a result by its id (`th?id=OIP.…`,
    `images?q=tbn:…`) is not a query and is not reported.

    **Why it matters**
    Article generators cannot take screenshots, so they fill the page's image slots
    with a search for its keyword ("快连下载界面" → `th?q=快连下载 教程`). The reader
    sees a random picture captioned as the product's screen; a farm of such pages
    shows the same trick on every one. A writer who shows a screen has the screenshot.

    **Example**
    `![快连下载安装界面](https://tse-mm.bing.com/th?q=%E5%BF%AB%E8%BF%9E%E5%AE%89%E8%A3%85)`

    **Better**
    `![The installer's first screen](/images/installer-step-1.png)` — a picture you
    made or may use, stored with the page; or no picture.

    **Options**
    `error_images` (2): this many searched images on a page make an error.

    **Silence it**
    `<!-- auditor-disable-next-line TS104 -->` above the image, or `ignore = ["TS104"]`.
    """

    code = "TS104"
    name = "search-query-image"
    default_severity = Severity.WARNING
    options: ClassVar[Mapping[str, Any]] = {"error_images": 2}

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        found = _searched_images(page)
        if not found:
            return
        severity = Severity.ERROR if len(found) >= context.options["error_images"] else Severity.WARNING
        for link, words in found:
            yield Hit(
                link.line,
                link.column,
                f"an image searched for by words (‘{words}’; {len(found)} such image"
                f"{'s' if len(found) > 1 else ''} on the page); use a picture you made, or none",
                link.url,
                severity=severity,
            )
