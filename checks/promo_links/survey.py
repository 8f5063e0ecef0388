"""One pass over a page that finds every promo-link trait; the rules read its result.

A trait is an *Item*: a messaging contact, an affiliate code, a shortened link
or a redirect wrapper, with where it stands. Rules grade their own items and
look at the other families on the page: a single Telegram link is a warning,
the same link beside a referral code is an error.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property

from auditor.models import Block, Link, Page, Severity, Span, spans
from auditor.registry import Hit
from auditor.text import lexicon
from auditor.text.matching import PhraseMatcher

from . import urls

CONTACT, AFFILIATE, SHORTENER, WRAPPER = "contact", "affiliate", "shortener", "wrapper"
# Community links (a project's Discord, a QQ group) are how honest projects talk to users:
# reported, never an error on their own, and they do not make other traits an error.
COMMUNITY_KINDS = frozenset({"discord", "qq-group"})

# A Telegram username: 5-32 characters, a letter first. Not an e-mail, an npm scope or a path.
_HANDLE = re.compile(r"(?<![A-Za-z0-9_.@])@([A-Za-z][A-Za-z0-9_]{3,31})(?![A-Za-z0-9_/@]|\.[A-Za-z0-9])")
_QQ_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{4,11}(?![0-9A-Za-z])")
_ACCOUNT_ID = re.compile(r"[A-Za-z0-9][-_A-Za-z0-9]{3,19}")
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{7,18}[0-9]")
# What may stand between a cue ("优惠码", "QQ") and the value it introduces.
# A numbered list of codes ("邀请码①：23cw89f") and a dash or a closing bracket after a second
# cue ("Referral Code (Promo Code) – KEZ1586") stand there too; neither sets the value off.
_GAP = re.compile(r"[\s:：是为填写输入使用号码\"“”'‘’「」『』（(）)【\[*–—\u2460-\u2473\u2776-\u277f]{0,8}")
_SEPARATOR = re.compile(r"[:：\"“'‘「『]")
_CAPITALS = re.compile(r"[A-Z].*[A-Z]")
_DIGIT = re.compile(r"[0-9]")
# A digit, an @ or a Chinese character: one of them is in every text that holds a trait.
_TRAIT_CHAR = re.compile(r"[0-9@\u4e00-\u9fff]")
# URLs written in the text; links are read from page.links, not from the words.
_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[^\s，。、；！？）】」]+", re.I)
_CUE_REACH_BEFORE, _CUE_REACH_AFTER = 24, 12  # characters around an @handle its cue may stand in


@dataclass(frozen=True)
class Item:
    family: str
    kind: str  # "telegram", "qq", … for contacts; "link" or "text" for codes; "" otherwise
    key: str  # identity for counting repeats: the account, the code, the short URL
    evidence: str
    line: int
    column: int
    end_line: int
    end_column: int
    where: str  # "title", "heading" or "body"
    anchor: str = ""  # the link text, for links
    # Where it was found, for `item_span` (not part of its identity).
    link: Link | None = field(default=None, compare=False)
    block: Block | None = field(default=None, compare=False)

    @property
    def community(self) -> bool:
        return self.kind in COMMUNITY_KINDS


@dataclass(frozen=True)
class Survey:
    items: tuple[Item, ...]

    def of(self, family: str) -> list[Item]:
        return [i for i in self.items if i.family == family]

    def families(self) -> set[str]:
        """Families with at least one item that is not a community link."""
        return set(self._families)

    @cached_property
    def _families(self) -> frozenset[str]:
        # Rules ask once per item: computed once, not once per item (pages hold 200,000 links).
        return frozenset(i.family for i in self.items if not i.community)

    def others(self, family: str) -> set[str]:
        return self.families() - {family}

    def repeats(self, family: str) -> Counter[str]:
        return Counter(i.key for i in self.of(family) if not i.community)


def survey(page: Page, allow_terms: tuple[str, ...] = ()) -> Survey:
    """The page's promo traits, surveyed once and shared by every rule of this check."""
    return page.memo((__name__, tuple(allow_terms)), lambda: _survey(page, allow_terms))


def _survey(page: Page, allow_terms: tuple[str, ...]) -> Survey:
    allowed = tuple(t.lower() for t in allow_terms if t.strip())
    links = list(_link_items(page))
    linked = {(i.key, i.line) for i in links}
    # "[TG @name](https://t.me/name)": the handle in a link's text is that link, not a second contact
    texts = {(i.family, i.key, i.line, i.column): i for i in _text_items(page) if (i.key, i.line) not in linked}
    items = tuple(
        i for i in [*links, *texts.values()] if not any(t in i.evidence.lower() or t in i.key.lower() for t in allowed)
    )
    return Survey(items)


# How far from a link's recorded column its URL is looked for: the recorded column is the
# `<a` tag or the URL itself, so it is close; unbounded, 200,000 links on one line would
# each rescan the line.
_URL_REACH = 8192


def link_position(page: Page, link: Link) -> tuple[int, int, int, int]:
    """Where the link's URL stands in its source line (or its recorded position)."""
    if 0 < link.line <= len(page.lines):
        start = max(link.column - 1, 0)
        col = page.lines[link.line - 1].find(link.url, start, start + _URL_REACH + len(link.url))
        if col >= 0:
            return link.line, col + 1, link.line, col + 1 + len(link.url)
    return link.line, link.column, link.line, link.column


def link_hit(page: Page, link: Link, message: str, evidence: str, severity: Severity) -> Hit:
    """A hit on a link: at its URL in the source, its text marked in the prose."""
    line, col, end_line, end_col = link_position(page, link)
    return Hit(line, col, message, evidence, end_line, end_col, severity, spans=spans(page.link_span(link)))


def item_span(page: Page, item: Item) -> Span | None:
    """Where an item stands in the prose: its link's text, or the contact or code as written."""
    if item.link is not None:
        return page.link_span(item.link)
    if item.block is not None:
        return next(iter(page.find(item.evidence, item.family, [item.block])), None)
    return None


def _where_link(link: Link) -> str:
    return "title" if link.in_title else "heading" if link.in_heading else "body"


def _where_block(block: Block, title: str | None) -> str:
    if block.kind == "title" or (title is not None and block.text == title):
        return "title"
    return "heading" if block.kind == "heading" else "body"


def _link_items(page: Page) -> Iterator[Item]:
    for link in page.links:
        if link.is_image:
            continue
        outer = urls.parse(link.url)
        if outer is None:
            continue
        pos = link_position(page, link)
        where = _where_link(link)

        def item(family: str, kind: str, key: str, evidence: str) -> Item:
            return Item(family, kind, key, evidence, *pos, where=where, anchor=link.text, link=link)  # noqa: B023

        target_raw = urls.wrapped_target(outer)
        target = urls.parse(target_raw) if target_raw else outer
        if target_raw:
            yield item(WRAPPER, "", target_raw, link.url)
        if target is None:
            continue
        if urls.is_shortener(target):
            yield item(SHORTENER, "", target.raw, target.raw)
        contact = urls.messaging_contact(target)
        if contact is not None:
            kind, account = contact
            yield item(CONTACT, kind, f"{kind}:{account}", target.raw)
            continue
        code = urls.affiliate_code(target)
        if code is None and urls.sign_up_code(target) and _asks_to_sign_up(page, link):
            code = urls.sign_up_code(target)  # "[注册](https://x/#/?code=j1ufpE44)"
        if code is not None:
            yield item(AFFILIATE, "link", target.raw, target.raw)


def _asks_to_sign_up(page: Page, link: Link) -> bool:
    """The link's text, or the sentence it stands in, asks the reader to sign up ("注册并登录 [官网](…)")."""
    sign_up = cues("sign_up_cues")
    if sign_up.search(link.text or ""):
        return True
    block = None
    for candidate in page.prose:  # the last block starting at or before the link's line
        if candidate.line > link.line:
            break
        block = candidate
    return block is not None and sign_up.search(block.text) is not None


@cache
def cues(*names: str) -> PhraseMatcher:
    """One matcher of the entries of the word lists `names` (`data/<name>.<lang>.txt`), in every language."""
    return PhraseMatcher(entry for name in names for entry in lexicon.all_languages(urls.PACKAGE, name))


_CUE_LISTS = ("telegram_cues", "qq_cues", "wechat_cues", "whatsapp_cues", "line_cues", "promo_code_cues")


def _any_cue() -> PhraseMatcher:
    """The cues of every text trait in one matcher: no match, no trait."""
    return cues(*_CUE_LISTS)


# Characters beyond ASCII that match an ASCII letter case-insensitively (as the cue matchers
# read text) but do not lower-case to it: "İ" becomes "i̇", "ı", "ſ" stay as they are.
_CASE_TRAPS = re.compile("[\u0130\u0131\u017f\u212a]")


@cache
def _cue_in_text() -> re.Pattern[str]:
    """Every cue, lower-cased, as a plain string (no word edges): a test on a block's text as
    written, for which a text with a cue after its URLs are blanked out always passes. Blanking
    only turns runs of four or more URL characters into spaces, so a cue found there stands,
    letter for letter, in the text as written; its case-insensitive match, lower-cased, is the
    cue lower-cased, unless the text holds one of the _CASE_TRAPS."""
    entries = {entry.lower() for name in _CUE_LISTS for entry in lexicon.all_languages(urls.PACKAGE, name)}
    return re.compile("|".join(re.escape(entry) for entry in sorted(entries) if entry.strip()))


def _may_hold_cue(value: str) -> bool:
    """False only when the text holds no cue of a trait, even with its URLs blanked out; one
    search of the lower-cased text, where matching the cues proper is a search per cue list."""
    if _cue_in_text().search(value.lower()) is not None:
        return True
    return not value.isascii() and _CASE_TRAPS.search(value) is not None


def _text_items(page: Page) -> Iterator[Item]:
    for block in page.prose:
        value = block.text
        if not _TRAIT_CHAR.search(value):
            continue  # every text trait needs a digit, an @ or a Chinese cue; skip plain prose fast
        if not _may_hold_cue(value):
            continue  # every trait is read after a cue (see _block_traits)
        where = _where_block(block, page.title)
        for family, kind, key, snippet in _block_traits(_URL_IN_TEXT.sub(_blank, value)):
            line, col, end_line, end_col = page.locate(block, snippet)
            yield Item(family, kind, key, snippet, line, col, end_line, end_col, where, block=block)


def _near(value: str, cue_start: int, cue_end: int, start: int, end: int) -> bool:
    """A cue close to a handle, in the same sentence."""
    if cue_end <= start:
        return start - cue_end <= _CUE_REACH_BEFORE and not _SENTENCE_BREAK.search(value, cue_end, start)
    return cue_start - end <= _CUE_REACH_AFTER and not _SENTENCE_BREAK.search(value, end, max(end, cue_start))


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _block_traits(value: str) -> Iterator[tuple[str, str, str, str]]:
    """(family, kind, key, snippet) of the contacts and codes written out in a block's text
    (its URLs blanked out: "blog.csdn.net/qq_123…" names no QQ account)."""
    if _any_cue().search(value) is None:
        return  # every trait is read after a cue; a block with none has none
    if "@" in value:
        found = list(cues("telegram_cues").finditer(value))
        for handle in _HANDLE.finditer(value):
            if any(_near(value, c.start, c.end, handle.start(), handle.end()) for c in found):
                yield CONTACT, "telegram", f"telegram:{handle.group(1).lower()}", handle.group()
    seen: set[int] = set()  # numbers already read, when one cue's list runs into the next cue
    for cue in cues("qq_cues").finditer(value):
        tail = value[cue.end : cue.end + 60]
        number = _QQ_NUMBER.search(tail)
        if not number or _SENTENCE_BREAK.search(tail[: number.start()]) or cue.end + number.start() in seen:
            continue
        kind = "qq-group" if "群" in tail[: number.start()] else "qq"
        seen.add(cue.end + number.start())
        yield CONTACT, kind, f"qq:{number.group()}", cue.text + tail[: number.end()]
        # a list of numbers after one cue ("客服1:…，客服2:…") is a list of contacts
        for more in _QQ_NUMBER.finditer(tail, number.end()):
            if _SENTENCE_BREAK.search(tail[number.end() : more.start()]) or cue.end + more.start() in seen:
                break
            seen.add(cue.end + more.start())
            yield CONTACT, kind, f"qq:{more.group()}", more.group()
    yield from _after_cue(value, "wechat_cues", _ACCOUNT_ID, CONTACT, "wechat")
    yield from _after_cue(value, "whatsapp_cues", _PHONE, CONTACT, "whatsapp")
    yield from _after_cue(value, "line_cues", _ACCOUNT_ID, CONTACT, "line")
    yield from _after_cue(value, "promo_code_cues", _ACCOUNT_ID, AFFILIATE, "text")


_SENTENCE_BREAK = re.compile(r"[。！？!?\n]")
_CONTINUES = re.compile(r"[A-Za-z0-9_]|[./-][0-9]")


def _after_cue(
    value: str, cue_list: str, pattern: re.Pattern[str], family: str, kind: str
) -> Iterator[tuple[str, str, str, str]]:
    """An id right after a cue word. It must look like one: a digit or two capitals in it, or set
    off by a colon or quotes ("邀请码：jf2025", "微信 abc_123"), so "WeChat WebView" is no account."""
    for cue in cues(cue_list).finditer(value):
        gap = _GAP.match(value, cue.end)
        start = gap.end() if gap else cue.end
        found = pattern.match(value, start)
        if found is None or _CONTINUES.match(value, found.end()):
            continue  # no id, or only the head of a longer word or number ("2023.5.11")
        token = found.group()
        separated = bool(_SEPARATOR.search(value[cue.end : start]))
        if not (_DIGIT.search(token) or _CAPITALS.search(token) or separated):
            continue
        yield family, kind, f"{kind}:{token.lower()}", value[cue.start : found.end()]
