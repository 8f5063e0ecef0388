"""promo-links: links and contacts whose purpose is to pull the reader to a seller.

Every rule reads one survey of the page (survey.py): messaging contacts,
affiliate codes, shortened links and redirect wrappers, in links and in the
text. A trait alone is a warning; repeated, in the title, or beside a trait of
another family, it is an error. URLs are parsed, never fetched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar

from auditor.models import Link, Page, Severity, spans
from auditor.registry import Check, Context, Hit, Rule

from . import anchors, urls
from .hidden import HiddenDestination
from .lures import DownloadLure
from .push import FrontPagePush
from .sales import SalesLinksToOneSite
from .site import PromoAcrossSite
from .survey import (
    AFFILIATE,
    CONTACT,
    SHORTENER,
    WRAPPER,
    Item,
    Survey,
    cues,
    item_span,
    link_hit,
    link_position,
    survey,
)

_FAMILY_NAMES = {
    CONTACT: "a messaging contact",
    AFFILIATE: "an affiliate code",
    SHORTENER: "a shortened link",
    WRAPPER: "a redirect wrapper",
}


def _survey(page: Page, context: Context) -> Survey:
    return survey(page, tuple(context.allow_terms))


def _firsts(items: Iterable[Item]) -> Iterator[tuple[Item, list[Item]]]:
    """Each distinct item (by key) at its first place in the body (else its first place),
    with all its occurrences."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(item.key, []).append(item)
    for group in groups.values():
        yield next((i for i in group if i.where == "body"), group[0]), group


def _groups(items: Iterable[Item]) -> dict[str, list[Item]]:
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(item.key, []).append(item)
    return groups


def _also(found: Survey, family: str) -> str:
    others = sorted(_FAMILY_NAMES[f] for f in found.others(family))
    return f"; the page also has {' and '.join(others)}" if others else ""


def _hit(page: Page, item: Item, message: str, evidence: str, severity: Severity) -> Hit:
    return Hit(
        item.line,
        item.column,
        message,
        evidence,
        item.end_line,
        item.end_column,
        severity,
        spans=spans(item_span(page, item)),
    )


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


class MessagingContact(Rule):
    """A messaging account (Telegram, WhatsApp, WeChat, QQ, LINE, Discord) posted in the page.

    **What it catches**
    Links that open a chat (`t.me/…`, `wa.me/…`, `line.me/ti/p/…`, `qm.qq.com/…`, Discord
    invites) and accounts written out in the text: an `@handle` next to "TG", "电报" or
    "飞机", a number after "QQ", an id after "微信号" or "WeChat ID", a number after "WhatsApp".
    One contact is a warning. It is an error when contacts are posted three times or more,
    next to selling words ("客服", "购买", "buy"), also in the title or a heading, or on a
    page that also carries affiliate codes, shortened links or redirect wrappers. Community
    links (a Discord invite, a QQ group) are reported as info and never make an error.

    **Why it matters**
    Spam pages exist to move readers into a private chat where the sale happens; search
    engines and readers treat pages built around such contacts as ads.

    **Example**
    `如需代充请联系客服QQ：12345678，或电报 @card_shop_bot`

    **Better**
    Point readers to an official, public page of the service, or a support page of your
    own site; leave out personal chat accounts.

    **Options**
    `repeat_error` (3): contacts posted this many times make an error.

    **Silence it**
    `<!-- auditor-disable-next-line PL401 -->` above the line, or `ignore = ["PL401"]` in the
    config; put an account you own in
    `allow-terms` (`allow-terms = ["@your_account"]`).
    """

    code = "PL401"
    name = "messaging-contact"
    default_severity = Severity.WARNING
    options: ClassVar[Mapping[str, Any]] = {"repeat_error": 3}

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        found = _survey(page, context)
        contacts = found.of(CONTACT)
        personal = [c for c in contacts if not c.community]
        # Each line once: a page may put thousands of contacts on one long line.
        sales = any(cues("sales_cues").search(page.lines[n - 1]) for n in sorted({c.line for c in personal}))
        headline = any(c.where != "body" for c in personal)  # also pushed in the title or a heading
        strong = len(personal) >= context.options["repeat_error"] or sales or headline or found.others(CONTACT)
        for item, group in _firsts(contacts):
            if item.where != "body" and len(group) == 1:
                continue  # a contact only in the title or a heading is PL402's
            severity = Severity.INFO if item.community else Severity.ERROR if strong else Severity.WARNING
            why = (
                f" ({len(personal)} posted on the page"
                + ("; next to selling words" if sales else "")
                + ("; also in the title or a heading" if headline else "")
                + _also(found, CONTACT)
                + ")"
                if strong and not item.community
                else ""
            )
            yield _hit(
                page,
                item,
                f"{item.kind} contact posted {_times(len(group))}{why}; "
                + (
                    "a community link, fine on a project's own pages"
                    if item.community
                    else "link an official page instead of a chat account"
                ),
                item.evidence,
                severity,
            )


class LinkInTitle(Rule):
    """A contact or promo link in the page title or a heading.

    **What it catches**
    A messaging handle, an affiliate link, a shortened link or a redirect wrapper placed in
    the title or a heading (error; a community invite there is a warning), and any link in
    the title itself (warning).

    **Why it matters**
    Titles and headings are what search results and tables of contents show. A handle or
    a sign-up link there ("…怎么注册 [TG @shop_bot]") makes the page an ad for the contact.

    **Example**
    `# 某某卡如何充值？[TG @cardshop]`

    **Better**
    `# 某某卡如何充值` — keep the title about the subject; if a link is needed, put it in
    the text, to an official page.

    **Options**
    None.

    **Silence it**
    `<!-- auditor-disable-next-line PL402 -->` above the heading, or `ignore = ["PL402"]`.
    """

    code = "PL402"
    name = "link-in-title"
    default_severity = Severity.ERROR

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        found = _survey(page, context)
        promo_lines = set()
        for item, _group in _firsts(i for i in found.items if i.where != "body"):
            promo_lines.add(item.line)
            severity = Severity.WARNING if item.community else Severity.ERROR
            yield _hit(
                page,
                item,
                f"{_FAMILY_NAMES[item.family]} in the {item.where}; keep titles and headings about the subject",
                item.evidence,
                severity,
            )
        for link in page.links:
            if not link.in_title or link.is_image or link.line in promo_lines:
                continue
            parsed = urls.parse(link.url)
            if parsed is None or not parsed.host:
                continue
            promo_lines.add(link.line)
            yield link_hit(page, link, "a link in the page title; move it into the text", link.url, Severity.WARNING)


class Shortener(Rule):
    """A link through a URL shortener (bit.ly, t.cn, tinyurl …) that hides its destination.

    **What it catches**
    Links whose host is a third-party shortener (the list is `data/shorteners.any.txt`).
    One is a warning; the same short link three times, twice with a sales text ("Claim
    your bonus", "立即注册"), or on a page with other promo traits is an error.

    **Why it matters**
    Readers and crawlers cannot see where a short link leads; promo pages use them to hide
    affiliate targets and to swap the destination later.

    **Example**
    `[Claim your welcome bonus](https://bit.ly/xyz123)`

    **Better**
    `[Pricing](https://example.com/pricing)` — link the real address.

    **Options**
    `repeat_error` (3): the same short link this many times is an error.

    **Silence it**
    `<!-- auditor-disable-next-line PL403 -->`, or `ignore = ["PL403"]`.
    """

    code = "PL403"
    name = "link-shortener"
    default_severity = Severity.WARNING
    options: ClassVar[Mapping[str, Any]] = {"repeat_error": 3}

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        found = _survey(page, context)
        cta = cues("cta")
        for item, group in _firsts(found.of(SHORTENER)):
            pushed = len(group) >= 2 and any(cta.search(i.anchor) for i in group)
            strong = len(group) >= context.options["repeat_error"] or pushed or found.others(SHORTENER)
            note = " with a sales text" if pushed else ""
            yield _hit(
                page,
                item,
                f"shortened link used {_times(len(group))}{note}{_also(found, SHORTENER)}; link the real destination",
                item.evidence,
                Severity.ERROR if strong else Severity.WARNING,
            )


class AffiliateLink(Rule):
    """Referral, affiliate or invite codes, in links or written out as promo codes.

    **What it catches**
    Links carrying a referral code (`?ref=2821105`, `?aff=…`, `?invite_code=…`,
    `/join/CODE`, `#/register?code=CODE`) and codes written in the text after "邀请码",
    "优惠码", "注册码", "promo code", "referral code" (also in a numbered list, "邀请码①：…").
    On a sign-up route (`/join`, `/register`, `?path=register`) any `ref=`, any `…code=`
    (`vipCode=`) and any parameter holding a generated token (`?channel=c_7o7g8tlk`) is a
    code; off such a route, a `code=` token or a `/r/TOKEN` path counts when the link's text
    or its sentence asks the reader to sign up ("注册", "sign up"). One is a warning; two
    different codes, one code three times, one referral link twice with a sales text
    ("立即注册", "Claim your bonus"), a code on a page whose title names one ("X Referral
    Code", "某某邀请码": a landing page for the code), or a code on a page with contacts,
    shortened links or redirect wrappers is an error.

    **Why it matters**
    A page whose links pay its author per sign-up is an ad; it should say so, and a site
    full of them reads as an affiliate farm.

    **Example**
    `注册时填写邀请码 **ABC123** 立减 2 美元：[点此注册](https://example.com/register?code=ABC123)`

    **Better**
    `[官网](https://example.com)` — link the plain page; if you keep a referral link, say it
    is one and keep it to one place.

    **Options**
    `repeat_error` (3): one code this many times is an error.

    **Silence it**
    `<!-- auditor-disable-next-line PL404 -->`, or `ignore = ["PL404"]`.
    """

    code = "PL404"
    name = "affiliate-link"
    default_severity = Severity.WARNING
    options: ClassVar[Mapping[str, Any]] = {"repeat_error": 3}

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        found = _survey(page, context)
        counts = found.repeats(AFFILIATE)
        cta = cues("cta")
        # The same referral link twice or more, with a sales text ("立即注册", "Claim your bonus")
        pushed = {
            key
            for key, group in _groups(found.of(AFFILIATE)).items()
            if len(group) >= 2 and any(i.kind == "link" and cta.search(i.anchor) for i in group)
        }
        # A page titled for a code ("X Referral Code", "某某邀请码") is a landing page for it.
        titled = bool(counts) and any(
            cues("promo_code_cues").search(text)
            for text in (page.title or "", *(h.text for h in page.headings if h.level == 1))
        )
        strong = (
            len(counts) >= 2
            or max(counts.values(), default=0) >= context.options["repeat_error"]
            or bool(pushed)
            or titled
            or found.others(AFFILIATE)
        )
        for item, group in _firsts(found.of(AFFILIATE)):
            what = "promo code in the text" if item.kind == "text" else "referral code in a link"
            codes = "1 code" if len(counts) == 1 else f"{len(counts)} codes"
            sales = "; linked with a sales text" if pushed else ""
            sales += "; the page is titled for a code" if titled else ""
            why = f" ({codes} on the page{sales}{_also(found, AFFILIATE)})" if strong else ""
            yield _hit(
                page,
                item,
                f"{what}, {_times(len(group))}{why}; link the plain page or mark the link as paid",
                item.evidence,
                Severity.ERROR if strong else Severity.WARNING,
            )


class TrackingParams(Rule):
    """Click-tracking parameters (utm_*, fbclid, gclid, spm …) left in a link.

    **What it catches**
    Links whose query carries campaign or click-tracking parameters.

    **Why it matters**
    They track readers, make one page look like many to crawlers, and on promo pages show
    that the link was placed for a campaign. On honest pages they are usually copied by
    accident.

    **Example**
    `[the talk](https://example.com/talk?utm_source=newsletter&utm_medium=email)`

    **Better**
    `[the talk](https://example.com/talk)`

    **Options**
    None.

    **Silence it**
    `<!-- auditor-disable-next-line PL405 -->`, or `ignore = ["PL405"]`.
    """

    code = "PL405"
    name = "tracking-params"
    default_severity = Severity.INFO

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        allowed = tuple(t.lower() for t in context.allow_terms)
        seen: set[str] = set()
        for link in page.links:
            if "?" not in link.url:
                continue  # parameters, in the query or a "#/route?…" fragment, follow a "?"
            parsed = urls.parse(link.url)
            if link.is_image or parsed is None or link.url in seen:
                continue
            params = urls.tracking_params(parsed)
            if not params or any(t in link.url.lower() for t in allowed):
                continue
            seen.add(link.url)
            line, col, end_line, end_col = link_position(page, link)
            yield Hit(
                line,
                col,
                f"tracking parameters in a link ({', '.join(p.split('=')[0] for p in params)}); remove them",
                link.url,
                end_line,
                end_col,
                spans=spans(page.link_span(link)),
            )


class OffTopicAnchor(Rule):
    """An ordinary phrase of the article linked to an unrelated shop.

    **What it catches**
    An English in-text link whose words share nothing with its address, to a site the
    page never links or names again, when the address looks like a shop: a store-like
    host ("store.", "…prints") or a storefront path ("/collection/…", "…-t-shirt"). Words
    of the address that appear nowhere on the page are a third signal. Two of the three
    make an error, one a warning. The error also needs the link text to be an ordinary
    phrase of two words or more, or all three signals on an English page: a name
    ("Joel Spolsky", "Live Earth Wallpaper") or a single word ("demo", "via") in Latin
    letters on a Chinese page, linked to the maker's shop, is how honest newsletters
    credit a product. Chinese link texts are not judged (they cannot be compared with a
    Latin address).

    **Why it matters**
    Link farms rewrite articles and turn one phrase into a paid link to a store; the
    reader expects more on the phrase and lands in a shop.

    **Example**
    `…earn money by [writing short ads](https://store.example.io.vn/collection/smith) …`

    **Better**
    Link a page about what the words say, and name the shop when you mean the shop:
    `…I bought mine at the [Example Store](https://store.example.com).`

    **Options**
    None.

    **Silence it**
    `<!-- auditor-disable-next-line PL406 -->`, or `ignore = ["PL406"]`.
    """

    code = "PL406"
    name = "off-topic-anchor"
    default_severity = Severity.ERROR

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        allowed = tuple(t.lower() for t in context.allow_terms)
        for link in page.links:
            found = anchors.signals(page, link)
            if found is None or (allowed and any(t in link.url.lower() for t in allowed)):
                continue
            shop = found.shop_host or found.shop_path
            score = found.shop_host + found.shop_path + found.unrelated
            if not shop or anchors.names_the_subject(page, link):
                continue  # the text names the product the page is about
            if anchors.mentioned_elsewhere(page, link, found.registered, anchors.page_prose(page)):
                continue
            signs = [
                s
                for s, on in (
                    ("a store-like host", found.shop_host),
                    ("a storefront path", found.shop_path),
                    ("an address whose words are not on the page", found.unrelated),
                )
                if on
            ]
            yield link_hit(
                page,
                link,
                f"‘{link.text}’ links to {found.registered}, which it does not name "
                f"({', '.join(signs)}); link what the words say or name the shop",
                link.url,
                Severity.ERROR if _planted(page, link, score) else Severity.WARNING,
            )


def _planted(page: Page, link: Link, score: int) -> bool:
    """Strong enough for an error: see OffTopicAnchor's docs."""
    return score >= 2 and (anchors.is_ordinary_phrase(link) or (score == 3 and page.language == "en"))


class RedirectWrapper(Rule):
    """A link sent through a local redirect page (./302.html?target=https://…).

    **What it catches**
    Links whose query forwards to another address (`target=`, `url=`, `goto=` … holding a
    full URL). Alone, one warning for the page (at its first wrapped link, with the count:
    curated lists send every entry through a click counter); an error at each wrapped
    destination when the page also posts contacts, affiliate codes or shortened links
    (including inside the wrapped addresses).

    **Why it matters**
    Wrappers hide the real destination from readers and link checkers, count clicks, and
    let a spam site swap targets; promo farms route every sign-up link through one.

    **Example**
    `[注册地址](./302.html?target=https://example.com/register?code=ABC)`

    **Better**
    `[官网](https://example.com)` — link the destination itself.

    **Options**
    None.

    **Silence it**
    `<!-- auditor-disable-next-line PL407 -->`, or `ignore = ["PL407"]`.
    """

    code = "PL407"
    name = "redirect-wrapper"
    default_severity = Severity.WARNING

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        found = _survey(page, context)
        strong = bool(found.others(WRAPPER))
        wrappers = found.of(WRAPPER)
        total = Counter(i.family for i in wrappers)[WRAPPER]
        if not strong and wrappers:
            # Alone, wrappers are a site's click counter (a curated list sends every entry through
            # one): one warning for the page, at its first wrapped link, with the count.
            targets = len({i.key for i in wrappers})
            first = next((i for i in wrappers if i.where == "body"), wrappers[0])
            yield _hit(
                page,
                first,
                f"{total} links forwarded through a redirect page ({targets} destinations, first "
                f"{first.key}); link the destinations directly",
                first.evidence,
                Severity.WARNING,
            )
            return
        for item, group in _firsts(wrappers):
            yield _hit(
                page,
                item,
                f"link forwarded through a redirect page {_times(len(group))} "
                f"({total} wrapped links{_also(found, WRAPPER)}); link {item.key} directly",
                item.evidence,
                Severity.ERROR if strong else Severity.WARNING,
            )


CHECK = Check(
    name="promo-links",
    prefix="PL",
    rules=(
        MessagingContact,
        LinkInTitle,
        Shortener,
        AffiliateLink,
        TrackingParams,
        OffTopicAnchor,
        RedirectWrapper,
        PromoAcrossSite,
        DownloadLure,
        HiddenDestination,
        FrontPagePush,
        SalesLinksToOneSite,
    ),
    description="Links and contacts whose purpose is to pull the reader to a seller.",
    version="1",
)
