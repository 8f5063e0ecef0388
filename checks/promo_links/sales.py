"""PL412: one outside site linked again and again under calls to action, the shape of a vendor's advertorial."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from auditor.models import Link, Page, Severity
from auditor.registry import Context, Hit, Rule

from . import urls
from .survey import cues, link_hit


@dataclass
class _Site:
    links: list[Link] = field(default_factory=list)
    sales: list[Link] = field(default_factory=list)  # the links whose text is a call to action


def _sites(page: Page) -> dict[str, _Site]:
    """The page's links grouped by the outside site (registered domain) they lead to."""
    found: dict[str, _Site] = {}
    for link in page.links:
        if link.is_image or link.in_title:
            continue
        parsed = urls.parse(link.url)
        if parsed is None or not parsed.host or "." not in parsed.host:
            continue
        site = found.setdefault(urls.registered_domain(parsed.host), _Site())
        site.links.append(link)
        if link.text and cues("cta").search(link.text):
            site.sales.append(link)
    return found


class SalesLinksToOneSite(Rule):
    """One outside site linked again and again, under calls to action.

    **What it catches**
    A page that links one outside site (one registered domain) three times or more, at
    least twice under a call to action: link texts such as "立即注册", "领取免费额度",
    "Claim your bonus", "sign up" (the words are `data/cta.*.txt`). The links need no
    referral code: the page is built to send its readers to that one vendor. One error
    for the site, at its first call to action, with the counts.

    **Why it matters**
    Advertorials for resellers, API relays and sign-up offers repeat the vendor's name and
    link in every section and end each one with "立即注册…". An honest article links a
    product where it is discussed, under its name, and does not keep asking the reader
    to sign up.

    **Example**
    `👉 [立即注册某某AI中转站，领取免费额度](https://relay.example.cc/)` at the top, the
    middle and the end of the page, with the brand linked in between.

    **Better**
    Link the product once, under its name, where the article discusses it; if the page is
    sponsored, say so.

    **Options**
    `min_links` (3): links to the one site, all told. `min_sales` (2): of them, links whose
    text is a call to action.

    **Silence it**
    `<!-- auditor-disable-next-line PL412 -->` above the first call to action, or
    `ignore = ["PL412"]`; put your own domain in `allow-terms`.
    """

    code = "PL412"
    name = "sales-links-to-one-site"
    default_severity = Severity.ERROR
    options: ClassVar[Mapping[str, Any]] = {"min_links": 3, "min_sales": 2}

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        allowed = tuple(t.lower() for t in context.allow_terms if t.strip())
        for domain, site in _sites(page).items():
            if len(site.links) < context.options["min_links"] or len(site.sales) < context.options["min_sales"]:
                continue
            if allowed and any(t in domain or any(t in link.url.lower() for link in site.links) for t in allowed):
                continue
            first = site.sales[0]
            texts = len({link.text.strip() for link in site.sales})
            yield link_hit(
                page,
                first,
                f"{domain} linked {len(site.links)} times, {len(site.sales)} of them under a call to action "
                f"({texts} different texts); link the product once, under its name, or mark the page as sponsored",
                f"‘{first.text.strip()}’ → {first.url}",
                Severity.ERROR,
            )
