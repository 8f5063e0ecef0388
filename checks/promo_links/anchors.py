"""Does a link's text say where it goes? Signals for an anchor planted to carry a shop link.

Link farms rewrite an article and turn one of its ordinary phrases ("roaming
agreements") into a link to an unrelated store. No single signal proves it,
so this module only measures; the rule weighs the signals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import attrgetter

from auditor import text
from auditor.models import Link, Page
from auditor.text import lexicon

from . import urls

_LATIN_WORD = re.compile(r"[a-z]{3,}")
_TOKEN = re.compile(r"[a-z]+")
_HAN = re.compile(r"[\u3400-\u9fff]")
# Parts of a URL that say nothing about its subject.
_URL_NOISE = frozenset({"www", "com", "net", "org", "html", "htm", "php", "index", "page", "amp"})
_STEM = 5  # "translators" and "translator" share a head; enough to call two words related


@cache
def _shop_words() -> frozenset[str]:
    return frozenset(lexicon.words(urls.PACKAGE, "shop_words", "en"))


@dataclass(frozen=True)
class AnchorSignals:
    shop_host: bool  # "store.example.io.vn", "fistore.…"
    shop_path: bool  # "/collection/…", "…-t-shirt"
    unrelated: bool  # the destination's own words are not on the page (judged for a shop-like address only)
    registered: str


def anchor_words(link: Link) -> list[str]:
    stop = text.stopwords("en")
    return [w for w in _LATIN_WORD.findall(link.text.lower()) if w not in stop]


def is_ordinary_phrase(link: Link) -> bool:
    """Two words or more, not all capitalised: a phrase of the prose, not a name or a label.
    A word with a capital anywhere ("yGraph", "iTerm", "macOS") is written as a name."""
    words = [w for w in link.text.split() if w[:1].isalpha()]
    return len(_LATIN_WORD.findall(link.text.lower())) >= 2 and not all(_NAME_CAPITAL.search(w) for w in words)


_NAME_CAPITAL = re.compile(r"[A-Z]")


def names_the_subject(page: Page, link: Link) -> bool:
    """Every word of the link text is in the page's title: the link names what the page is about
    ("Raycast" on a page titled "Raycast tips"), as a page links the product it reviews."""
    if not page.title:
        return False
    words = anchor_words(link)
    title = set(_LATIN_WORD.findall(page.title.lower()))
    return bool(words) and all(w in title for w in words)


def page_words(page: Page) -> frozenset[str]:
    """The page's words, as a set; read only for links that get that far, and shared by the rules."""
    return page.memo((__name__, "words"), lambda: frozenset(map(attrgetter("norm"), page.words)))


def page_prose(page: Page) -> str:
    """The page's body text, lower-cased, for `mentioned_elsewhere`; built once, when first asked."""
    return page.memo((__name__, "prose"), lambda: " ".join(b.text for b in page.body).lower())


def signals(page: Page, link: Link) -> AnchorSignals | None:
    """The signals of an in-text English link to another site whose text shares nothing with
    its address, or None when the link is not such a link."""
    if link.is_image or link.bare or link.in_title or link.in_heading or _HAN.search(link.text):
        return None
    url = urls.parse(link.url)
    if url is None or not url.host or url.parts.scheme not in ("http", "https"):
        return None
    words = anchor_words(link)
    if not words:
        return None
    destination = (url.host + " " + url.parts.path).lower()
    if any(w[:_STEM] in destination for w in words):
        return None  # the text names its destination: "Smallpdf" → smallpdf.com
    shop_host, shop_path = shop_traits(url)
    # Every reader weighs the signals of shop-like addresses only: the page's words are
    # gathered for those.
    unrelated = (shop_host or shop_path) and _unrelated(page, url)
    return AnchorSignals(shop_host, shop_path, unrelated, urls.registered_domain(url.host))


def _unrelated(page: Page, url: urls.Url) -> bool:
    """Most of the address's own words (not shop words or URL noise) are nowhere on the page."""
    shop = _shop_words()
    own = [t for t in [*_host_labels(url), *_path_tokens(url)] if len(t) >= 4 and t not in shop and t not in _URL_NOISE]
    if not own:
        return False
    words = page_words(page)
    return sum(1 for t in own if t in words) * 2 < len(own)


@lru_cache(maxsize=4096)  # a pure reading of an immutable Url; sites repeat their links
def shop_traits(url: urls.Url) -> tuple[bool, bool]:
    """Whether an address looks like a shop by itself: a shop word in a host label
    ("store.", "…prints"), and in the path ("/collection/…", "…-t-shirt")."""
    shop = _shop_words()
    names_shop = _shop_label()
    return (
        any(names_shop.search(label) for label in _host_labels(url)),
        any(token in shop for token in _path_tokens(url)),
    )


def _host_labels(url: urls.Url) -> list[str]:
    """The host's own labels: subdomains and the registered name, without the public suffix."""
    registered = urls.registered_domain(url.host)
    return url.host.split(".")[: -len(registered.split("."))] + registered.split(".")[:1]


def _path_tokens(url: urls.Url) -> list[str]:
    return _TOKEN.findall(url.parts.path.lower())


@cache
def _shop_label() -> re.Pattern[str]:
    """A host label made with a shop word: "fistore", "mysenprints", "shop"; short words must
    start the label, so "smallpdf" is no mall and "steel" no tee. One search for all the words."""
    words = sorted(_shop_words())
    short = [re.escape(w) for w in words if len(w) < 5]
    anywhere = [re.escape(w) for w in words if len(w) >= 5]
    return re.compile("|".join(([f"^(?:{'|'.join(short)})"] if short else []) + anywhere))


def mentioned_elsewhere(page: Page, link: Link, registered: str, prose: str) -> bool:
    """The site is linked again or named in the text, as an honest reference usually is."""
    for other in page.links:
        if other is link:
            continue
        parsed = urls.parse(other.url)
        if parsed is not None and parsed.host and urls.registered_domain(parsed.host) == registered:
            return True
    name = registered.split(".")[0]
    return registered in prose or (len(name) >= 4 and name in prose)
