"""Terms of a page, as the keyword-stuffing rules count them.

A *term* is a run of one to three adjacent content words of one block: a
single word ("Vite"), a phrase ("perpetual contracts") or, in Chinese, a run
of jieba words such as "Heyon卡", which jieba splits into "Heyon" + "卡". A
lone Han character ("卡", "月", "元") is a morpheme, not a keyword, so it only
counts inside a longer run. Words inside URLs are left out: a link written
out in the text is not a repeated keyword.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from auditor.models import Block, Page
from auditor.text import Word, detect_language, tokenize

Term = tuple[str, ...]  # the normalised words of a term

MAX_WORDS = 3
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]{}\"'，。、；：！？）（】【「」]+", re.I)
_LONE_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAS_DIGIT = re.compile(r"\d")


def is_lone_han(norm: str) -> bool:
    return len(norm) == 1 and _LONE_HAN.match(norm) is not None


def prose_words(block: Block) -> list[Word]:
    """The block's words outside written-out URLs."""
    if "://" not in block.text and "www." not in block.text:
        return block.words
    spans = [m.span() for m in _URL.finditer(block.text)]
    return [w for w in block.words if not any(s <= w.start < e for s, e in spans)]


@dataclass(frozen=True, slots=True)
class Occurrence:
    term: Term
    block: Block
    start: int  # offsets into the block's text
    end: int


def occurrences(block: Block, words: list[Word] | None = None) -> Iterator[Occurrence]:
    """Every term occurrence in a block: n-grams of adjacent content words.

    Words are adjacent when only spaces separate them; punctuation, a
    stopword or a number ends the run.
    """
    words = prose_words(block) if words is None else words
    text = block.text
    for i, first in enumerate(words):
        if not first.content:
            continue
        key: list[str] = [first.norm]
        if not is_lone_han(first.norm):
            yield Occurrence((first.norm,), block, first.start, first.end)
        for j in range(i + 1, min(i + MAX_WORDS, len(words))):
            word = words[j]
            if not word.content or text[words[j - 1].end : word.start].strip():
                break
            key.append(word.norm)
            yield Occurrence(tuple(key), block, first.start, word.end)


def block_terms(block: Block) -> set[Term]:
    return {o.term for o in occurrences(block)}


def terms_of_text(value: str) -> list[Term]:
    """Terms of a free-standing string (a title, a user's term), tokenised like page text,
    each once, in the order they first occur (so ties are broken the same way on every run)."""
    return list(dict.fromkeys(o.term for o in occurrences(Block("paragraph", value, 1))))


def term_words(value: str) -> Term:
    """A user-configured term as normalised words ("Heyon卡" → ("heyon", "卡"))."""
    return tuple(w.norm for w in tokenize(value, detect_language(value)) if w.norm.strip())


def contains(term: Term, part: Term) -> bool:
    """Whether `part` is a contiguous run of the words of `term`."""
    n = len(part)
    return any(term[i : i + n] == part for i in range(len(term) - n + 1))


LIST_KINDS = frozenset({"list_item", "table_cell"})


def block_key(words: list[Word]) -> str:
    """What makes two blocks "the same line": their words without numbers, ids and hashes
    (a changelog's "update dependencies (#123) (4c07b74)" lines are one line)."""
    # isalpha(): letters only, so surely no digit, without a regular expression per word
    return " ".join([w.norm for w in words if w.norm.isalpha() or not _HAS_DIGIT.search(w.norm)])


def display(occurrence: Occurrence) -> str:
    return occurrence.block.text[occurrence.start : occurrence.end]


class _FirstPlaces:
    """The first occurrence of each term, found when asked for (only reported terms ever are)."""

    def __init__(self, blocks: list[tuple[Block, list[Word]]], counts: Counter[Term]) -> None:
        self._blocks = blocks
        self._counts = counts

    def __getitem__(self, term: Term) -> Occurrence:
        if term in self._counts:
            for block, words in self._blocks:
                for occurrence in occurrences(block, words):
                    if occurrence.term == term:
                        return occurrence
        raise KeyError(term)

    def __contains__(self, term: object) -> bool:
        return term in self._counts

    def items(self) -> Iterator[tuple[Term, Occurrence]]:
        """Every counted term with its first occurrence, in page order (one walk over the blocks)."""
        seen: set[Term] = set()
        for block, words in self._blocks:
            for occurrence in occurrences(block, words):
                if occurrence.term in self._counts and occurrence.term not in seen:
                    seen.add(occurrence.term)
                    yield occurrence.term, occurrence


class TermCounts:
    """Counts of every term in a page's body, and the number of content words.

    List items and table cells repeated word for word (a changelog's "update
    dependencies" lines, a repeated cell) are counted once: that repetition
    is structure. Repeated paragraphs do count; KS103 reports them too.
    """

    def __init__(self, blocks: Iterable[Block]) -> None:
        # The terms `occurrences()` yields, counted a whole block at a time: each
        # n-gram is kept where its words are all content words and adjacent, as
        # there, but the lists are made by comprehensions and counted by Counter,
        # not one Occurrence at a time. Pages have tens of thousands of terms.
        self.counts: Counter[Term] = Counter()
        self.total = 0
        kept: list[tuple[Block, list[Word]]] = []
        seen: set[str] = set()
        for block in blocks:
            words = prose_words(block)
            key = block_key([w for w in words if w.content])
            if not key or (block.kind in LIST_KINDS and key in seen):
                continue
            seen.add(key)
            kept.append((block, words))
            norms = [w.norm for w in words]
            content = [w.content for w in words]
            self.total += sum(content)
            self.counts.update([(n,) for n, c in zip(norms, content, strict=True) if c and not is_lone_han(n)])
            text = block.text
            # runs[k]: words k … k+size-1 are content words, each after the one before with only spaces between
            runs = [
                c and d and not text[a.end : b.start].strip()
                for (a, b), (c, d) in zip(itertools.pairwise(words), itertools.pairwise(content), strict=True)
            ]
            for size in range(2, MAX_WORDS + 1):
                if size > 2:
                    runs = [r and more for r, more in itertools.pairwise(runs)]
                self.counts.update([tuple(norms[k : k + size]) for k, run in enumerate(runs) if run])
        self.first = _FirstPlaces(kept, self.counts)

    def share(self, term: Term) -> float:
        """The part of the content words the term takes up (count × words in it ÷ all)."""
        return self.counts[term] * len(term) / self.total if self.total else 0.0


def page_counts(page: Page) -> TermCounts:
    """The page's body counts, made once and shared by the rules of this check."""
    return page.memo(__name__, lambda: TermCounts(page.body))
