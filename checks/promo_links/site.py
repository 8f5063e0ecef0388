"""promo-links across a site: one promo destination planted on many pages of a run.

A site rule (see `auditor.registry.SiteRule`): each page is reduced in the
worker to its few promo-ish destinations (a shop-like site, a shortener, a
referral code, a messaging account) with where each is linked; the site
phase groups the pages by destination, never comparing pages in pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import Any, ClassVar, NamedTuple

from auditor.models import Link, Page, Severity, Span
from auditor.registry import Context, Hit, SiteRule

from . import anchors, urls
from .survey import AFFILIATE, CONTACT, SHORTENER, Item, item_span, link_position, survey

STORE = "store"
# How a report names the messaging accounts a destination can be ("qq:123" is "QQ 123").
_ACCOUNTS = {
    "telegram": "Telegram",
    "whatsapp": "WhatsApp",
    "wechat": "WeChat",
    "qq": "QQ",
    "line": "LINE",
    "discord": "Discord",
}
_MAX_DESTINATIONS = 24  # per page; a page with more promo destinations than this is loud on its own
_TEXT_CHARS = 60  # of a link text kept for the message and for counting different texts
# Why a repeated shortener, code or contact is an error with no other signal: each is promo by nature.
_PROMO = {
    SHORTENER: "each hides where it leads",
    CONTACT: "a private chat account, pushed site-wide",
    AFFILIATE: "a code that earns its owner a commission per sign-up",
}


class Carrier(NamedTuple):
    """One promo destination of a page, where the page first links it, and how its text reads."""

    family: str  # STORE, SHORTENER, CONTACT or AFFILIATE
    key: str  # the destination: "example.io.vn", "bit.ly", "telegram:name", "text:CODE"
    line: int
    column: int
    end_line: int
    end_column: int
    text: str = ""  # the link text (store links)
    unnamed: bool = False  # a store link whose text does not name it
    planted: bool = False  # …and an ordinary phrase with two shop signals: PL406's error on its own
    span: tuple[int, int, int] | None = None  # (block, start, end): where it stands in the prose


def _plain(span: Span | None) -> tuple[int, int, int] | None:
    """A span as plain numbers, for a signature the cache stores as plain data."""
    return None if span is None else (span.block, span.start, span.end)


def _domain(host: str) -> str:
    """The registered domain, in Unicode: "xn--…" and its Chinese spelling are one destination."""
    registered = urls.registered_domain(host)
    try:
        return registered.encode("ascii").decode("idna") if "xn--" in registered else registered
    except UnicodeError:  # a malformed label: keep it as written
        return registered


def _shop_like(url: urls.Url) -> bool:
    """A storefront by its address alone, as anchors.py reads it."""
    return any(anchors.shop_traits(url))


def _store_links(page: Page, allowed: tuple[str, ...]) -> Iterator[tuple[Link, str, bool, bool]]:
    """(link, registered domain, unnamed, planted) of each link to a shop-like site."""
    for link in page.links:
        url = urls.parse(link.url)
        if link.is_image or url is None or not url.host or url.parts.scheme not in ("http", "https"):
            continue
        if not _shop_like(url) or (allowed and any(t in link.url.lower() for t in allowed)):
            continue
        # None when the text names the site, or cannot be judged (a heading, a bare URL, Chinese)
        found = anchors.signals(page, link)
        planted = (
            found is not None
            and found.shop_host + found.shop_path + found.unrelated >= 2
            and anchors.is_ordinary_phrase(link)
        )
        yield link, _domain(url.host), found is not None, planted


def _promo_key(item: Item) -> str | None:
    """The destination a surveyed item stands for, or None for those this rule leaves alone."""
    if item.community:
        return None  # a project's Discord or QQ group on every page is how it talks to users
    if item.family == CONTACT or (item.family == AFFILIATE and item.kind == "text"):
        return item.key
    url = urls.parse(item.key)
    if url is None or not url.host:
        return None
    if item.family == SHORTENER:
        return url.host
    if item.family == AFFILIATE:
        return f"{_domain(url.host)} {urls.affiliate_code(url)}"
    return None  # redirect wrappers: their targets are surveyed as items of their own


def _carriers(page: Page, context: Context) -> tuple[Carrier, ...]:
    """The page's promo destinations, each once, at the place that speaks for it: in the body
    before a title or a heading, a planted link before one whose text does not name the store,
    before any other, then in reading order."""
    allowed = tuple(t.lower() for t in context.allow_terms if t.strip())
    # Each place with what finds its span, found only for the place that is kept.
    places: dict[tuple[str, str], list[tuple[Carrier, bool, Callable[[], Span | None]]]] = {}

    def add(carrier: Carrier, in_body: bool, locate: Callable[[], Span | None]) -> None:
        ident = (carrier.family, carrier.key)
        if ident in places or len(places) < _MAX_DESTINATIONS:
            places.setdefault(ident, []).append((carrier, in_body, locate))

    for link, registered, unnamed, planted in _store_links(page, allowed):
        text = " ".join(link.text.split())[:_TEXT_CHARS]
        in_body = not (link.in_title or link.in_heading)
        carrier = Carrier(STORE, registered, *link_position(page, link), text, unnamed, planted)
        add(carrier, in_body, lambda link=link: page.link_span(link))
    for item in survey(page, tuple(context.allow_terms)).items:
        key = _promo_key(item)
        if key is not None:
            position = (item.line, item.column, item.end_line, item.end_column)
            carrier = Carrier(item.family, key, *position, item.anchor[:_TEXT_CHARS])
            add(carrier, item.where == "body", lambda item=item: item_span(page, item))
    carriers = []
    for found in places.values():
        best, _, locate = min(
            found, key=lambda f: (not f[1], not f[0].planted, not f[0].unnamed, f[0].line, f[0].column)
        )
        unnamed, planted = any(c.unnamed for c, _, _ in found), any(c.planted for c, _, _ in found)
        carriers.append(best._replace(unnamed=unnamed, planted=planted, span=_plain(locate())))
    return tuple(carriers)


def _subject(family: str, key: str, text: str) -> tuple[str, str]:
    """What the page does with the destination, and what to do instead."""
    if family == STORE:
        return f"‘{text}’ links to the shop {key}", "link what the words say, or drop the link"
    if family == SHORTENER:
        return f"short links of {key} are used", "link the real destinations"
    if family == CONTACT:
        kind, _, account = key.partition(":")
        return f"the {kind} account {account} is posted", "keep one contact page instead"
    if key.startswith("text:"):
        return f"the promo code {key[5:]} is posted", "keep the offer on one page, marked as an ad"
    domain, _, code = key.partition(" ")
    return f"the referral code {code} of {domain} is linked", "link the plain page, or one marked as paid"


def _others(paths: list[str], path: str) -> str:
    """Two other pages of the group, the first ones in path order."""
    return ", ".join([p for p in paths[:3] if p != path][:2])


class PromoAcrossSite(SiteRule):
    """The same promo destination linked on many pages of the site.

    **What it catches**
    A shop, a link shortener, a referral code or a messaging account that turns
    up on `min_pages` pages of the run or more. Each page carrying it is
    reported at its link, with how many pages carry it and two of them.
    Shorteners, referral codes and personal chat accounts are promo by nature:
    repeated over the site, they are an error. A shop-like site (a shop word in
    its host or path, as for PL406) is judged by the texts that link it: when
    `min_planted` pages or more, a `planted_share` of its pages, link it from
    ordinary phrases that do not name it, under that many different texts, the
    site plants it in its articles, and every page carrying it is an error,
    even where its text is one word, a name or a heading. A shop linked on many
    pages from texts that do not name it but do not look planted (one footer
    text, names of products) is a warning; a site linked from texts that name
    it ("GitHub", "Steam") is not reported, nor are sites that are no shop.

    **Why it matters**
    A link farm rewrites articles by the thousand and turns one phrase of each
    into a link to the one store it is paid to promote. Each page alone may
    look like an odd link; the same store under a different phrase on every
    page is what gives the farm away, and what search engines penalise.

    **Example**
    Three hundred articles, each with one phrase linked to the same store:
    `…patience is the [secret of good bread](https://store.example.io.vn/collection/lee)…`
    `…keep the [receipts for your taxes](https://store.example.io.vn/dog-mom-t-shirt)…`

    **Better**
    Link what each phrase talks about. To promote your own shop, name it where
    you link it, in one place of the site (a footer or an about page).

    **Options**
    - `min_pages` (3): pages that must carry a destination for it to be reported.
    - `min_planted` (3): pages (with different link texts) that must link a shop
      from unrelated ordinary phrases for an error.
    - `planted_share` (0.33): share of the shop's pages those must make.

    **Silence it**
    `<!-- auditor-disable-next-line PL408 -->` above the link on a page,
    `ignore = ["PL408"]` in the config, or put a destination you own in
    `allow-terms` (`allow-terms = ["shop.example.com"]`).
    """

    code = "PL408"
    group_title = "Promo destinations linked across the site"

    @classmethod
    def group_name(cls, group: str) -> str:
        """A destination as a reader says it: "text:CODE" is a promo code, "qq:123" a QQ account."""
        kind, sep, rest = group.partition(":")
        if sep and kind == "text":
            return f"promo code {rest}"
        if sep and kind in _ACCOUNTS:
            return f"{_ACCOUNTS[kind]} {rest}"
        return group

    name = "promo-destination-across-site"
    default_severity = Severity.ERROR
    options: ClassVar[Mapping[str, Any]] = {"min_pages": 3, "min_planted": 3, "planted_share": 0.33}

    def signature(self, page: Page, context: Context) -> tuple[Carrier, ...] | None:
        return _carriers(page, context) or None

    def keys(self, step: int, path: str, signature: tuple[Carrier, ...], context: Context) -> list[tuple[Any, Any]]:
        # One group-by: the pages of a destination.
        return [((carrier.family, carrier.key), (path, carrier)) for carrier in signature]

    def reduce(
        self, step: int, key: Hashable, values: list[tuple[str, Carrier]], context: Context
    ) -> Iterator[tuple[str, Hit]]:
        options = context.options
        if len(values) < options["min_pages"]:
            return
        family, destination = key  # type: ignore[misc]
        members = sorted(values, key=lambda member: member[0])
        graded = self._grade(family, members, options)
        if graded is None:
            return
        severity, why = graded
        paths = [path for path, _carrier in members]
        for path, carrier in members:
            subject, advice = _subject(family, destination, carrier.text)
            hit = Hit(
                carrier.line,
                carrier.column,
                f"{subject[:1].upper()}{subject[1:]} on {len(members)} pages of the site ({why}); {advice}",
                f"{destination} on {len(members)} pages; also {_others(paths, path)}",
                carrier.end_line,
                carrier.end_column,
                severity,
                group=destination,
                member=f"‘{carrier.text}’" if family == STORE and carrier.text else "",
                spans=(Span(*carrier.span, "promo destination"),) if carrier.span else (),
            )
            yield path, hit

    @staticmethod
    def _grade(
        family: str, members: list[tuple[str, Carrier]], options: Mapping[str, Any]
    ) -> tuple[Severity, str] | None:
        """The severity of a destination and the evidence for it, or None to leave it alone."""
        if family != STORE:
            return Severity.ERROR, _PROMO[family]
        planted = [c for _path, c in members if c.planted]
        texts = len({c.text.lower() for c in planted})
        unnamed = sum(1 for _path, c in members if c.unnamed)
        if (
            len(planted) >= options["min_planted"]
            and texts >= options["min_planted"]
            and len(planted) >= options["planted_share"] * len(members)
        ):
            return Severity.ERROR, f"{len(planted)} of them from {texts} different phrases that do not name it"
        if unnamed >= options["min_pages"]:
            return Severity.WARNING, f"{unnamed} of them from texts that do not name it"
        return None
