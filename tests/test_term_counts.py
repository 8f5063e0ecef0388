"""The keyword-stuffing check's term counts: made a block at a time, and for KS101 only among a
page's frequent words; both must give what counting every occurrence one by one gives."""

from __future__ import annotations

import re
from collections import Counter

from auditor_checks.keyword_stuffing import (
    RepeatedPhrase,
    TermDensity,
    _merge,
    grade_term,
    is_allowed,
    is_watched,
    user_terms,
)
from auditor_checks.keyword_stuffing.terms import (
    LIST_KINDS,
    Term,
    block_key,
    contains,
    display,
    occurrences,
    page_counts,
    prose_words,
)
from hypothesis import given
from hypothesis import strategies as st

from auditor.models import Page
from auditor.parsing import parse_page
from auditor.registry import Context

# Few words, so that terms repeat: English and Chinese, stopwords, numbers, a URL, punctuation.
WORDS = ["vite", "build", "heyon", "卡", "电话卡", "续费", "the", "of", "2024", "v2", "https://x.example/a", ",", "。"]
line = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join)
block = st.tuples(st.sampled_from(["", "- ", "# "]), line).map("".join)
source = st.lists(block, min_size=1, max_size=30).map("\n\n".join)


def _page(text: str) -> Page:
    return parse_page("page.md", text, "markdown")[0]


@given(source)
def test_counts_are_the_occurrences_counted_one_by_one(text: str) -> None:
    counts = page_counts(_page(text))
    assert counts.counts == Counter(o.term for block, words in counts.blocks for o in occurrences(block, words))


@given(source, st.sets(st.sampled_from(WORDS)))
def test_among_counts_the_terms_made_of_those_words(text: str, chosen: set[str]) -> None:
    counts = page_counts(_page(text))
    expected = {t: c for t, c in counts.counts.items() if all(w in chosen for w in t)}
    assert counts.among(chosen) == expected


def _reported(page: Page, context: Context) -> list[str]:
    """The evidence of KS101's findings, graded over the counts of every term of the page (as KS101
    did before it counted only the terms of frequent words)."""
    opts, counts = context.options, page_counts(page)
    allow, watch = user_terms(context.allow_terms), user_terms(context.watch_terms)
    if counts.total < opts["min_words"]:
        return []
    found = []
    for term, count in counts.counts.items():
        if is_allowed(term, allow):
            continue
        severity, _ = grade_term(count, counts.share(term), opts, is_watched(term, watch))
        if severity is not None:
            found.append((counts.share(term), term))
    reported: list[Term] = []
    evidence = []
    for share, term in sorted(found, reverse=True):
        if any(contains(term, r) or contains(r, term) for r in reported):
            continue
        reported.append(term)
        text = display(counts.first[term])
        evidence.append(f"‘{text}’ {counts.counts[term]} times in {counts.total} content words ({share:.1%})")
        if len(reported) >= opts["max_terms"]:
            break
    return evidence


@given(
    source,
    st.floats(0.0, 0.3),
    st.floats(0.0, 0.3),
    st.integers(0, 12),
    st.integers(0, 12),
    st.floats(0.0, 2.0),
    st.sampled_from([(), ("卡",), ("build",)]),
)
def test_ks101_reports_what_every_term_graded_would(
    text: str,
    limit: float,
    error_limit: float,
    min_count: int,
    error_min_count: int,
    watch_factor: float,
    allow: tuple[str, ...],
) -> None:
    """KS101 grades only the terms of words frequent enough: no term it leaves out would pass."""
    opts = {
        **TermDensity.options,
        "limit": limit,
        "error_limit": error_limit,
        "min_count": min_count,
        "error_min_count": error_min_count,
        "min_words": 0,
        "watch_factor": watch_factor,
    }
    page = _page(text)
    context = Context(options=opts, watch_terms=("heyon", "vite build"), allow_terms=allow)
    assert [h.evidence for h in TermDensity().check(page, context)] == _reported(page, context)


def _repeated(page: Page, opts: dict[str, int]) -> list[str]:
    """The evidence of KS103's findings, from every run of n words counted one by one (as KS103
    did before it passed over the runs holding a word too rare to repeat)."""
    n, counts, first, seen = opts["words"], Counter[Term](), {}, set()
    for index, block in enumerate(page.body):
        words = prose_words(block)
        key = block_key([w.norm for w in words])
        if block.kind in LIST_KINDS and key in seen:
            continue
        seen.add(key)
        for i in range(len(words) - n + 1):
            run = words[i : i + n]
            start, end = run[0].start, run[-1].end
            han = len(re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]", block.text[start:end]))
            if sum(w.content for w in run) < 3 or (end - start < opts["min_han_chars"] and han * 3 >= end - start):
                continue
            gram = tuple(w.norm for w in run)
            counts[gram] += 1
            first.setdefault(gram, (index, block, start, end))
    repeated = sorted((first[g], c) for g, c in counts.items() if c >= opts["min_repeats"])
    return [f"‘{b.text[s:e]}’ × {c}" for (_, b, s, e), c in _merge(repeated)[: opts["max_phrases"]]]


@given(source, st.integers(2, 6), st.integers(0, 14), st.integers(1, 5))
def test_ks103_counts_what_every_run_counted_would(text: str, words: int, min_han_chars: int, repeats: int) -> None:
    opts = {**RepeatedPhrase.options, "words": words, "min_han_chars": min_han_chars, "min_repeats": repeats}
    page = _page(text)
    assert [h.evidence for h in RepeatedPhrase().check(page, Context(options=opts))] == _repeated(page, opts)
