"""PL411: one site's front page linked over and over from a page, the push of a page written to send readers there."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, ClassVar

from auditor.models import Link, Page, Severity
from auditor.registry import Context, Hit, Rule

from . import urls
from .survey import link_hit

# A host that is an address, not a name (192.168.1.1, [::1]): a machine, not a site.
_ADDRESS = re.compile(r"^[\d.]+$|:")
# A front page: no path, or an index file at the root.
_FRONT_PATHS = frozenset({"", "/", "/index.html", "/index.htm", "/index.php"})


@cache
def _reserved() -> frozenset[str]:
    return frozenset(urls.data("reserved_hosts"))


def _site(link: Link) -> str | None:
    """The site whose front page `link` opens, if it opens one."""
    if link.is_image or link.definition:
        return None
    parsed = urls.parse(link.url)
    if parsed is None or "." not in parsed.host or _ADDRESS.search(parsed.host):
        return None
    if parsed.parts.path.lower() not in _FRONT_PATHS:
        return None
    labels = parsed.host.split(".")
    if any(".".join(labels[i:]) in _reserved() for i in range(len(labels))):
        return None
    return parsed.host


class FrontPagePush(Rule):
    """One site's front page linked over and over from the same page.

    **What it catches**
    A page that links the front page of one site (`https://vendor.example/`,
    `www.vendor.example`, with or without a query or a `#/register` route) at
    least `repeat_error` times, when those links are at least a quarter of all
    its links: the same address behind the name of the service, behind "立即注册",
    behind "click here", and written out in the text. Links to pages inside a
    site (`/docs/…`, `/pull/123`), documentation hosts (`example.com`,
    `localhost`) and addresses of machines are not counted.

    **Why it matters**
    An article that mentions a service links it once or twice, where it first
    names it. A page built to push one seller sends every second sentence to
    its front page: it is an advertisement written as a tutorial or a review,
    and the destination can be turned into a referral link at any time.

    **Example**
    ```markdown
    注册 [某某API](https://www.vendor-api.example.cc/) 即可使用……
    点击 [立即注册某某API，领取免费额度](https://www.vendor-api.example.cc/) ……
    官网：[www.vendor-api.example.cc](https://www.vendor-api.example.cc/)
    ```

    **Better**
    Link the service once, where the page first names it, and link the pages
    that back what the text says (its pricing page, its documentation).

    **Options**
    `repeat_error` (6): links to one front page that make the error.

    **Silence it**
    `<!-- auditor-disable-next-line PL411 -->` above the first link, or `ignore = ["PL411"]`.
    """

    code = "PL411"
    name = "front-page-push"
    default_severity = Severity.ERROR
    options: ClassVar[Mapping[str, Any]] = {"repeat_error": 6}

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        allowed = tuple(t.lower() for t in context.allow_terms)
        counted = [link for link in page.links if not link.is_image and not link.definition]
        by_site: dict[str, list[Link]] = {}
        for link in counted:
            site = _site(link)
            if site is not None:
                by_site.setdefault(site, []).append(link)
        for site, group in by_site.items():
            if len(group) < context.options["repeat_error"] or 4 * len(group) < len(counted):
                continue
            if any(t in site for t in allowed):
                continue
            first = group[0]
            yield link_hit(
                page,
                first,
                f"the front page of {site} linked {len(group)} times ({len(group)} of the page's "
                f"{len(counted)} links); link it once, where the page first names it",
                first.url,
                Severity.ERROR,
            )
