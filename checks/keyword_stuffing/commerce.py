"""Commercial intent on a page: buying, downloading and sign-up words (data/commerce_terms.*.txt).

Density of a page's own subject is what single-topic docs look like; it is
stuffing only when the page also sells: the subject next to 下载, 官网,
价格, buy, coupon. The rules of this check ask `intent(page)` before they
make an error of what is otherwise a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from auditor.models import Page
from auditor.text import lexicon
from auditor.text.matching import PhraseMatcher

_PACKAGE = "auditor_checks.keyword_stuffing"

# Headings (the title among them) holding a commerce word, for intent on their own.
INTENT_HEADINGS = 2
# Or one such heading and this share of the body's content words being commerce words.
INTENT_SHARE = 0.01


@cache
def matcher() -> PhraseMatcher:
    return PhraseMatcher(lexicon.all_languages(_PACKAGE, "commerce_terms"))


def words_in(text: str) -> list[str]:
    """The commerce words in `text`, lower-cased, in order."""
    return [m.entry.lower() for m in matcher().finditer(text)]


@dataclass(frozen=True)
class Intent:
    headings: int  # title and headings holding a commerce word
    body: int  # commerce words in the body
    least: int  # body commerce words that, with one such heading, make the page commercial

    @property
    def commercial(self) -> bool:
        return self.headings >= INTENT_HEADINGS or (self.headings >= 1 and self.body >= self.least)


def intent(page: Page) -> Intent:
    """How strongly the page sells, read once per page."""
    return page.memo(("keyword-stuffing", "intent"), lambda: _intent(page))


def _intent(page: Page) -> Intent:
    headings = sum(1 for b in page.prose if b.kind in ("title", "heading") and words_in(b.text))
    body = sum(len(words_in(b.text)) for b in page.body if b.kind != "heading")
    least = max(3, round(INTENT_SHARE * len(page.content_words)))
    return Intent(headings, body, least)
