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
import operator
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from typing import NamedTuple

from auditor.models import Block, Page, cached_property
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


def terms_of_text(value: str, block: Block | None = None) -> list[Term]:
    """Terms of a free-standing string (a title, a user's term), tokenised like page text,
    each once, in the order they first occur (so ties are broken the same way on every run).
    When `block` (the title's block) holds that very text, its words are read, not cut again."""
    if block is None or block.text != value:
        block = Block("paragraph", value, 1)
    return list(dict.fromkeys(o.term for o in occurrences(block)))


def term_words(value: str) -> Term:
    """A user-configured term as normalised words ("Heyon卡" → ("heyon", "卡"))."""
    return tuple(w.norm for w in tokenize(value, detect_language(value)) if w.norm.strip())


def contains(term: Term, part: Term) -> bool:
    """Whether `part` is a contiguous run of the words of `term`."""
    n = len(part)
    return any(term[i : i + n] == part for i in range(len(term) - n + 1))


LIST_KINDS = frozenset({"list_item", "table_cell"})


def block_key(norms: Sequence[str]) -> str:
    """What makes two blocks "the same line": their words without numbers, ids and hashes
    (a changelog's "update dependencies (#123) (4c07b74)" lines are one line)."""
    key = " ".join(norms)
    if _HAS_DIGIT.search(key) is None:  # the usual block: no word to leave out, one search for all
        return key
    # isalpha(): letters only, so surely no digit, without a regular expression per word
    return " ".join([n for n in norms if n.isalpha() or not _HAS_DIGIT.search(n)])


class Columns(NamedTuple):
    """A body block's prose words, one tuple per field: made once per page for the rules that
    walk every word of it (KS101's counts, KS103), so each reads them without a pass per word."""

    block: Block
    words: list[Word]
    norms: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    content: tuple[bool, ...]


def _columns(block: Block) -> Columns:
    words = prose_words(block)
    if not words:
        return Columns(block, words, (), (), (), ())
    _, norms, starts, ends, content = zip(*words, strict=True)
    return Columns(block, words, norms, starts, ends, content)


def page_columns(page: Page) -> list[Columns]:
    """The columns of every body block, in order (blocks without words too: KS103 keys them)."""
    return page.memo((__name__, "columns"), lambda: [_columns(b) for b in page.body])


def display(occurrence: Occurrence) -> str:
    return occurrence.block.text[occurrence.start : occurrence.end]


class _FirstPlaces:
    """The first occurrence of each term, found when asked for (only reported terms ever are)."""

    def __init__(self, owner: TermCounts) -> None:
        self._owner = owner

    def __getitem__(self, term: Term) -> Occurrence:
        # Asked for counted terms only, so no test against every count first (which would
        # make them all): a term that is not there is found nowhere in the walk.
        for block, words in self._owner.blocks:
            for occurrence in occurrences(block, words):
                if occurrence.term == term:
                    return occurrence
        raise KeyError(term)

    def __contains__(self, term: object) -> bool:
        return term in self._owner.counts

    def items(self) -> Iterator[tuple[Term, Occurrence]]:
        """Every counted term with its first occurrence, in page order (one walk over the blocks)."""
        counts = self._owner.counts
        seen: set[Term] = set()
        for block, words in self._owner.blocks:
            for occurrence in occurrences(block, words):
                if occurrence.term in counts and occurrence.term not in seen:
                    seen.add(occurrence.term)
                    yield occurrence.term, occurrence


class TermCounts:
    """Counts of every term in a page's body, and the number of content words.

    List items and table cells repeated word for word (a changelog's "update
    dependencies" lines, a repeated cell) are counted once: that repetition
    is structure. Repeated paragraphs do count; KS103 reports them too.

    The words are counted up front; terms when asked for, all of them
    (`counts`) or only those made of some words (`among`): KS101 needs
    only the terms of a page's most frequent words, a few of its thousands.
    """

    def __init__(self, columns: Iterable[Columns]) -> None:
        self._kept: list[Columns] = []
        seen: set[str] = set()
        norms: list[str] = []
        for block_columns in columns:
            content_norms = list(itertools.compress(block_columns.norms, block_columns.content))
            key = block_key(content_norms)
            if not key or (block_columns.block.kind in LIST_KINDS and key in seen):
                continue
            seen.add(key)
            self._kept.append(block_columns)
            norms += content_norms
        self.total = len(norms)
        # Every content word, lone Han characters too: no term holding a word is more frequent than it.
        self.words: Counter[str] = Counter(norms)

    @property
    def first(self) -> _FirstPlaces:
        """The first occurrence of each term (made when asked for: held here, it would make
        a reference cycle, and keep the page's words alive until the collector ran)."""
        return _FirstPlaces(self)

    @property
    def blocks(self) -> Iterator[tuple[Block, list[Word]]]:
        """The counted blocks and their prose words."""
        return ((c.block, c.words) for c in self._kept)

    @cached_property
    def counts(self) -> Counter[Term]:
        return self.among()

    def among(self, words: Set[str] | None = None) -> Counter[Term]:
        """The count of every term made only of `words` (of any words when None).

        The terms `occurrences()` yields, made a whole block at a time: each
        n-gram is kept where its words are all content words and adjacent, as
        there, but the n-grams are made by zip() and counted by Counter, not one
        Occurrence at a time. Pages have tens of thousands of terms.
        """
        counts: Counter[Term] = Counter(
            {
                (norm,): count
                for norm, count in self.words.items()
                if (words is None or norm in words) and (len(norm) > 1 or not is_lone_han(norm))
            }
        )
        grams: list[Term] = []  # the whole page's, counted at once (an update per block costs more)
        for block, _, norms, starts, ends, content in self._kept:
            # one byte a word: 1 where it is wanted, so a block with no two wanted in a row is passed over at once
            if words is None:
                wanted = bytes(content)
            else:
                wanted = bytes(map(operator.and_, content, map(words.__contains__, norms)))
            if b"\x01\x01" not in wanted:
                continue
            text = block.text
            # runs[k]: words k … k+size-1 are wanted, each after the one before with only spaces between
            runs = [
                a and b and not text[end:start].strip()
                for a, b, end, start in zip(wanted, wanted[1:], ends, starts[1:], strict=False)
            ]
            for size in range(2, MAX_WORDS + 1):
                if size > 2:
                    runs = [r and more for r, more in itertools.pairwise(runs)]
                grams += itertools.compress(zip(*(norms[k:] for k in range(size)), strict=False), runs)
        counts.update(grams)
        return counts

    def share(self, term: Term, count: int | None = None) -> float:
        """The part of the content words the term takes up (count × words in it ÷ all); `count`
        when the term's count is known (from `among`)."""
        count = self.counts[term] if count is None else count
        return count * len(term) / self.total if self.total else 0.0


def page_counts(page: Page) -> TermCounts:
    """The page's body counts, made once and shared by the rules of this check."""
    return page.memo(__name__, lambda: TermCounts(page_columns(page)))
