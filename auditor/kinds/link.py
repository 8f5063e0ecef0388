"""link: links to listed hosts (and their subdomains) or to URLs a regular expression matches.

    [[custom-rules]]
    code = "XX104"
    name = "banned-shortener"
    kind = "link"
    message = "link to {url} hides where it goes"
    hosts = ["bit.ly", "t.co"]
    patterns = ['[?&]aff(iliate)?_?id=']

Each link is reported once, at the link. Images are links too, unless
`images = false`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar
from urllib.parse import urlsplit

from auditor.kinds.base import DataRule, RuleError, tokens
from auditor.models import Page, spans
from auditor.registry import Context, Hit

KEYS = frozenset({"hosts", "patterns", "images"})
LISTS = frozenset({"hosts"})  # word lists, which may be given as files too


class LinkRule(DataRule):
    hosts: ClassVar[frozenset[str]]
    patterns: ClassVar[tuple[re.Pattern[str], ...]]
    images: ClassVar[bool]

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        for link in page.links:
            if link.is_image and not self.images:
                continue
            if self._matches(link.url):
                yield Hit(link.line, link.column, self.say(url=link.url), link.url, spans=spans(page.link_span(link)))

    def _matches(self, url: str) -> bool:
        try:
            host = (urlsplit(url.strip()).hostname or "").lower()
        except ValueError:  # a malformed URL (a bad IPv6 literal): no host to compare
            host = ""
        parts = host.split(".")
        # The host itself or any domain it is under: "go.bit.ly" is under "bit.ly".
        if any(".".join(parts[i:]) in self.hosts for i in range(len(parts))):
            return True
        return any(pattern.search(url) for pattern in self.patterns)


def build(definition: Mapping[str, Any], where: str) -> type[DataRule]:
    hosts = frozenset(h.lower().strip(".") for h in tokens(definition, "hosts", where, required=False))
    patterns: list[re.Pattern[str]] = []
    for raw in tokens(definition, "patterns", where, required=False):
        try:
            patterns.append(re.compile(raw))
        except re.error as exc:
            raise RuleError(f"{where}: pattern {raw!r} is not a regular expression: {exc}") from None
    if not hosts and not patterns:
        raise RuleError(f"{where}: a link rule needs hosts, patterns or both")
    images = definition.get("images", True)
    if not isinstance(images, bool):
        raise RuleError(f"{where}: images must be true or false")
    return type("LinkKind", (LinkRule,), {"hosts": hosts, "patterns": tuple(patterns), "images": images})
