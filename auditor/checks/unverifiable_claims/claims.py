"""Finding the marketing claims of a page and whether anything near them backs them.

The page is read once for all four rules: every claim phrase of every kind is
matched sentence by sentence, a claim is kept only when nothing near it
supports it, and the page is then graded as a whole (one claim is a warning,
many distinct claims of several kinds an error). The rules of the check only
pick their own kind from this analysis.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from auditor import lexicon, text
from auditor.matching import Match, PhraseMatcher
from auditor.models import Block, Link, Page

PACKAGE = __package__ or "auditor.checks.unverifiable_claims"
KINDS = ("superlative", "popularity", "guarantee", "rival")

# A footnote or a numbered citation written after a claim: [^1], [^note], [3].
_CITATION = re.compile(r"\[\^[\w-]{1,20}\]|\[\d{1,3}\]")
# A measured figure: "30x", "2.5 million", "40%", "3 倍", "120 ms". A measured
# comparison or popularity figure is checkable; it is not support for a
# guarantee, where "100%" is the claim itself.
# It starts only where a run of digits and separators starts, so a long run with no
# unit after it is scanned once, not once from each of its digits.
_FIGURE = re.compile(
    r"(?<![\d,.])[,.]*\d[\d,.]*\s?(?:x|×|倍|times|%|million|billion|thousand|万|亿|ms|秒|seconds)(?![A-Za-z])",
    re.I,
)


@dataclass(frozen=True)
class Claim:
    kind: str
    block: Block
    phrases: tuple[str, ...]  # the claim phrases found, as written on the page
    entries: tuple[str, ...]  # the lexicon entries they matched, for counting distinct claims
    sentence: str
    in_title: bool  # made in the page's title or meta description
    start: int = 0  # where the sentence starts in the block's text


@dataclass(frozen=True)
class PageClaims:
    claims: tuple[Claim, ...]

    def of_kind(self, kind: str) -> list[Claim]:
        return [c for c in self.claims if c.kind == kind]

    @property
    def distinct(self) -> int:
        return len({(c.kind, e.lower()) for c in self.claims for e in c.entries})

    @property
    def strong(self) -> int:
        """Distinct claims in the wording of sales copy (not on the `weak` list)."""
        weak = _weak()
        return len({(c.kind, e.lower()) for c in self.claims for e in c.entries if e.lower() not in weak})

    @property
    def kinds(self) -> int:
        return len({c.kind for c in self.claims})

    @property
    def in_title(self) -> bool:
        return any(c.in_title for c in self.claims)


@cache
def _matcher(name: str) -> PhraseMatcher:
    return PhraseMatcher(lexicon.all_languages(PACKAGE, name))


@cache
def _any_claim() -> PhraseMatcher:
    """Every claim phrase of every kind in one matcher, to find the sentences worth a closer look."""
    return PhraseMatcher(entry for kind in KINDS for entry in lexicon.all_languages(PACKAGE, kind))


@cache
def _weak() -> frozenset[str]:
    return frozenset(e.lower() for e in lexicon.all_languages(PACKAGE, "weak"))


def page_claims(page: Page, allow_terms: Sequence[str] = ()) -> PageClaims:
    """The page's claims, found once and shared by the four rules of this check."""
    allowed = tuple(sorted(t.lower() for t in allow_terms))

    def find() -> PageClaims:
        return PageClaims(tuple(c for block in page.prose for c in _block_claims(page, block, allowed)))

    return page.memo((__name__, allowed), find)


def _block_claims(page: Page, block: Block, allowed: tuple[str, ...]) -> list[Claim]:
    body = block.text
    # No claim phrase of any kind can be in the block (or, below, in a sentence): no closer look.
    anywhere = _any_claim()
    if not anywhere.may_match(body):
        return []
    # A link to a source anywhere in the block backs every claim of the block.
    if has_source_link(page, block):
        return []
    spans = text.sentences(body)
    headline = block.kind in ("title", "description") or (block.kind == "heading" and block.text == page.title)
    claims: list[Claim] = []
    for index, (start, end) in enumerate(spans):
        sentence = body[start:end]
        if not anywhere.may_match(sentence):
            continue
        by_kind = _claim_phrases(sentence, allowed)
        if not by_kind:
            continue
        # A source may follow the claim: look at the next sentence too.
        nearby = sentence + " " + (body[slice(*spans[index + 1])] if index + 1 < len(spans) else "")
        if cited(nearby):
            continue
        measured = figure_besides(sentence, [(m.start, m.end) for matches in by_kind.values() for m in matches])
        for kind, matches in by_kind.items():
            if measured and kind != "guarantee":
                continue
            claims.append(
                Claim(
                    kind=kind,
                    block=block,
                    phrases=tuple(dict.fromkeys(m.text for m in matches)),
                    entries=tuple(dict.fromkeys(m.entry for m in matches)),
                    sentence=sentence,
                    in_title=headline,
                    start=start,
                )
            )
    return claims


def cited(nearby: str) -> bool:
    """Whether a claim's sentence (with the next one) cites a source: a footnote, a citation, "according to …"."""
    return bool(_CITATION.search(nearby)) or _matcher("support").search(nearby) is not None


def figure_besides(sentence: str, claimed: list[tuple[int, int]]) -> bool:
    """Whether the sentence gives a figure other than the claim itself (the "100%" of "100% safe")."""
    return any(not any(s < f.end() and f.start() < e for s, e in claimed) for f in _FIGURE.finditer(sentence))


def _claim_phrases(sentence: str, allowed: tuple[str, ...]) -> dict[str, list[Match]]:
    """The claim phrases of a sentence by kind.

    A phrase inside an honest phrase (第一步, "the best way to") is dropped, and
    so is one inside a longer claim of another kind, so that 用户的首选 counts
    once, as popularity, not also as a superlative.
    """
    taken = [(m.start, m.end) for m in _matcher("exempt").finditer(sentence)]
    found = [(kind, m) for kind in KINDS for m in _matcher(kind).finditer(sentence)]
    found.sort(key=lambda item: item[1].start - item[1].end)  # longest first
    by_kind: dict[str, list[Match]] = {}
    for kind, match in found:
        if any(s < match.end and match.start < e for s, e in taken):
            continue
        taken.append((match.start, match.end))
        if match.text.lower() in allowed or match.entry.lower() in allowed:
            continue
        by_kind.setdefault(kind, []).append(match)
    for matches in by_kind.values():
        matches.sort(key=lambda m: m.start)
    return by_kind


def has_source_link(page: Page, block: Block) -> bool:
    """Whether a link on the block's lines could be a source (not an image, not a seller's link)."""
    return any(_is_source(link) for link in page.links_in(block))


def _is_source(link: Link) -> bool:
    if link.is_image or link.in_title:
        return False
    return _matcher("promo_urls").search(link.url) is None
