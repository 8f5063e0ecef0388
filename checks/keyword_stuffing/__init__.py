"""keyword-stuffing: one term or phrase repeated far beyond natural writing.

Honest pages repeat their subject too ("Vite" in the Vite docs, "eSIM" in an
eSIM guide), so every threshold here was calibrated against honest pages on
the same topics, and an error needs evidence no honest page in the
calibration set came near; milder cases are warnings.
"""

from __future__ import annotations

import dataclasses
import itertools
import operator
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any, ClassVar

from auditor_checks.keyword_stuffing.commerce import intent, words_in
from auditor_checks.keyword_stuffing.terms import (
    LIST_KINDS,
    MAX_WORDS,
    Columns,
    Occurrence,
    Term,
    TermCounts,
    block_key,
    block_terms,
    contains,
    display,
    is_lone_han,
    occurrences,
    page_columns,
    page_counts,
    term_words,
    terms_of_text,
)

from auditor.models import Block, Density, Page, Severity, Span, TermBar, spans
from auditor.registry import Check, Context, Hit, Rule
from auditor.text import lexicon, stopwords

_PACKAGE = __name__


@cache
def _generic_words() -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon.all_languages(_PACKAGE, "generic_terms"))


def _user_terms(values: Sequence[str]) -> list[Term]:
    return [t for t in (term_words(v) for v in values) if t]


def _allowed(term: Term, allow: list[Term]) -> bool:
    """An allowed term silences every term that holds it ("Vite" silences "Vite core")."""
    return any(contains(term, a) for a in allow)


def _watched(term: Term, watch: list[Term]) -> bool:
    return any(contains(term, w) or contains(w, term) for w in watch)


def _hit_at(
    page: Page, occurrence: Occurrence, message: str, evidence: str, severity: Severity, marks: tuple[Span, ...]
) -> Hit:
    line, col, end_line, end_col = page.locate(occurrence.block, display(occurrence))
    return Hit(line, col, message, evidence, end_line, end_col, severity, spans=marks)


def _block_hit(
    block: Block | None, message: str, evidence: str, severity: Severity, marks: tuple[Span, ...] = ()
) -> Hit:
    line, col = (block.line, block.column) if block else (1, 1)
    return Hit(line, col, message, evidence, severity=severity, spans=marks)


def _term_spans(page: Page, term: Term, blocks: Iterable[Block], quoted: str) -> tuple[Span, ...]:
    """Every occurrence of `term` in `blocks` as the counts see it, longest runs first
    ("极光卡" and not the "极光" inside it twice)."""
    found = []
    for block in blocks:
        taken_until = -1
        for occurrence in occurrences(block):
            if occurrence.term == term and occurrence.start >= taken_until:
                found.append(page.span(block, occurrence.start, occurrence.end, "term", quoted))
                taken_until = occurrence.end
    return spans(*found)


def grade_term(count: int, share: float, opts: Mapping[str, Any], watched: bool) -> tuple[Severity | None, float]:
    """KS101's verdict on one term of a page: the severity its share and count earn (None: neither
    limit is crossed), and the limit that verdict is measured against (a watch term's are lower)."""
    factor = opts["watch_factor"] if watched else 1.0
    if share >= opts["error_limit"] * factor and count >= opts["error_min_count"] * factor:
        return Severity.ERROR, opts["error_limit"] * factor
    if share >= opts["limit"] * factor and count >= opts["min_count"] * factor:
        return Severity.WARNING, opts["limit"] * factor
    return None, opts["limit"] * factor


def user_terms(values: Sequence[str]) -> list[Term]:
    """Configured terms (`watch-terms`, `allow-terms`) as the normalised words of terms."""
    return _user_terms(values)


def is_allowed(term: Term, allow: list[Term]) -> bool:
    return _allowed(term, allow)


def is_watched(term: Term, watch: list[Term]) -> bool:
    return _watched(term, watch)


def density(page: Page, context: Context, top: int = 8) -> Density | None:
    """The page's `top` terms by share of its content words, counted and graded as KS101 does
    with `context` (its options and the user's terms): the HTML report's density chart."""
    opts = context.options
    counts = page_counts(page)
    if not counts.total:
        return None
    allow, watch = _user_terms(context.allow_terms), _user_terms(context.watch_terms)
    ranked = sorted(counts.counts.items(), key=lambda item: (-counts.share(item[0]), item[0]))
    bars: list[TermBar] = []
    chosen: list[Term] = []
    for term, count in ranked:
        # "heyon 卡" and "heyon" are one term to a reader: keep the larger share only, as KS101 does.
        if any(contains(term, c) or contains(c, term) for c in chosen):
            continue
        chosen.append(term)
        share = counts.share(term)
        watched = _watched(term, watch)
        allowed = _allowed(term, allow)
        severity, limit = grade_term(count, share, opts, watched)
        if allowed or counts.total < opts["min_words"]:
            severity = None
        note = "allowed" if allowed else ("watched" if watched else "")
        bars.append(TermBar(display(counts.first[term]), count, share, severity, limit, note))
        if len(bars) >= top:
            break
    return Density(counts.total, bars, opts["limit"], opts["error_limit"], opts["min_words"])


class TermDensity(Rule):
    """A term takes up a far larger share of the page's words than natural writing gives it.

    **What it catches**
    One word or phrase (up to three adjacent content words; in Chinese a run
    of jieba words, so "Heyon卡" counts as one term) whose occurrences make up
    a large share of the page's content words. The share is the standard
    keyword density: occurrences × words in the term ÷ content words.
    Stopwords, numbers, URLs and lone Chinese characters are not terms;
    list items repeated word for word (changelog lines) count once.

    **Why it matters**
    Repeating the search phrase in every sentence is the oldest SEO trick.
    Readers notice the text reads like a chant, and search engines treat it
    as spam. Honest pages repeat their subject too, so the warning limit sits
    above what documentation and blogs about one product reach, and the
    error limit far above it. Past the error limit it is an error only on a
    page that also sells (buying, downloading or sign-up words in its title
    or headings, see `commerce_terms`): a plugin guide where "插件" is a fifth
    of the words is about plugins, and gets a warning.

    **Example**
    Heyon卡是一款电话卡。Heyon卡的续费很简单：打开Heyon卡应用，选择Heyon卡套餐，
    再为Heyon卡付款。Heyon卡用户都应该……

    **Better**
    Name the product once or twice, then write "it", "the card", or just
    say what to do: 打开应用，选择套餐并付款。

    **Options**
    `limit` (0.08) share for a warning; `error_limit` (0.15) share for an
    error; `min_count` (10) and `error_min_count` (20) occurrences needed;
    `min_words` (150) pages with fewer content words are skipped;
    `watch_factor` (0.5) multiplies limits and counts for the configured
    watch terms; `max_terms` (3) terms reported per page. Terms in
    `allow-terms` are never reported.

    **Silence it**
    `<!-- auditor-disable-next-line KS101 -->` above the first use, or
    `ignore = ["KS101"]` in the config; for a product the site documents,
    add it to `allow-terms`.
    """

    code = "KS101"
    name = "term-density"
    default_severity = Severity.WARNING
    options: ClassVar[Mapping[str, Any]] = {
        "limit": 0.08,
        "error_limit": 0.15,
        "min_count": 10,
        "error_min_count": 20,
        "min_words": 150,
        "watch_factor": 0.5,
        "max_terms": 3,
    }

    def density(self, page: Page, context: Context) -> Density | None:
        return density(page, context)

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        opts = context.options
        counts = page_counts(page)
        if counts.total < opts["min_words"]:
            return
        allow, watch = _user_terms(context.allow_terms), _user_terms(context.watch_terms)
        found: list[tuple[float, Term, Severity, float]] = []
        # No term rarer than this can pass either limit, whatever its factor.
        fewest = min(opts["min_count"], opts["error_min_count"]) * min(1.0, opts["watch_factor"])
        terms = counts.among(_frequent_words(counts, opts, fewest))
        for term, count in terms.items():
            if count < fewest or _allowed(term, allow):
                continue
            share = counts.share(term, count)
            watched = _watched(term, watch)
            severity, limit = grade_term(count, share, opts, watched)
            if severity is Severity.ERROR and not watched and not intent(page).commercial:
                severity = Severity.WARNING  # the page's own subject, and nothing sold: not stuffing alone
            if severity is not None:
                found.append((share, term, severity, limit))
        reported: list[Term] = []
        for share, term, severity, limit in sorted(found, reverse=True):
            # "heyon 卡" and "heyon" are one finding: keep the larger share only.
            if any(contains(term, r) or contains(r, term) for r in reported):
                continue
            reported.append(term)
            first = counts.first[term]
            text, count = display(first), terms[term]
            yield _hit_at(
                page,
                first,
                f"‘{text}’ is {share:.1%} of the words (limit {limit:.1%}); vary the wording or cut repeats",
                f"‘{text}’ {count} times in {counts.total} content words ({share:.1%})",
                severity,
                _term_spans(page, term, page.prose, text),
            )
            if len(reported) >= opts["max_terms"]:
                return


def _frequent_words(counts: TermCounts, opts: Mapping[str, Any], fewest: float) -> set[str]:
    """The words frequent enough to be part of a term KS101 reports.

    A term is no more frequent than any of its words, and takes up at most
    MAX_WORDS times its count: a word whose count fails both limits even so,
    watched or not, is in no reportable term (`grade_term` passes a term only
    where it passes every more frequent one).
    """
    frequent = set()
    for word, count in counts.words.items():
        if count < fewest:
            continue
        most = count * MAX_WORDS / counts.total
        if any(grade_term(count, most, opts, watched)[0] is not None for watched in (False, True)):
            frequent.add(word)
    return frequent


# A heading that is a code identifier ("server.host", "build.rollupOptions"):
# reference pages name each option under the page's term, and that is structure.
# It starts only where a name starts, so it stays linear when searched as well as fullmatched.
_IDENTIFIER = re.compile(r"(?<![\w$@-])[\w$@-]+(?:[.:/][\w$@-]+)+(?:\(\))?")


class TitleTermInHeadings(Rule):
    """The title's key term is repeated in most of the page's headings.

    **What it catches**
    A term from the title (brand, product or search phrase) that comes back
    in most headings of the page's top sections (subsection headings are
    not compared): "X介绍", "X优惠码", "X价格", "X官网". Headings
    that are code identifiers ("server.port") and the title's generic words
    ("guide", "教程", "步骤") do not count.

    **Why it matters**
    Headings weigh heavily in search ranking, so stuffed pages put the
    target term in each of them. For a reader the headings stop telling the
    sections apart: each one says the same thing plus a word.

    **Example**
    # Candy Cloud官网地址 / ## Candy Cloud介绍 / ## Candy Cloud优惠码 /
    ## Candy Cloud价格 / ## Candy Cloud下载

    **Better**
    The title names the subject once; headings name the section:
    ## 介绍 / ## 优惠码 / ## 价格 / ## 下载.

    **Options**
    `min_headings` (4) headings needed before the rule judges; `coverage`
    (0.6) share of headings holding the term for a warning. An error needs
    `error_coverage` (0.8) of at least `error_min_headings` (6) headings
    and the term at `error_density` (0.05) of the body's words with
    `error_min_count` (15) uses, on a page that also sells (buying,
    downloading or sign-up words in its title or headings: a how-to that
    names "附件" in five of six headings is about attachments); for a watch
    term the coverage alone is enough. Terms in `allow-terms` are never
    reported.

    **Silence it**
    `<!-- auditor-disable-next-line KS102 -->` above the title line, or
    `ignore = ["KS102"]` in the config.
    """

    code = "KS102"
    name = "title-term-in-headings"
    default_severity = Severity.WARNING
    options: ClassVar[Mapping[str, Any]] = {
        "min_headings": 4,
        "coverage": 0.6,
        "error_coverage": 0.8,
        "error_min_headings": 6,
        "error_density": 0.05,
        "error_min_count": 15,
    }

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        opts = context.options
        title = page.title_block
        if page.title is None:
            return
        headings = _section_headings(page, title)
        if len(headings) < opts["min_headings"]:
            return
        allow, watch = _user_terms(context.allow_terms), _user_terms(context.watch_terms)
        generic = _generic_words()
        heading_terms = [block_terms(h) for h in headings]
        best: tuple[int, int, Term] | None = None
        # In sorted order, so that a tie goes the same way in every process (sets follow the hash seed).
        for term in sorted(terms_of_text(page.title, title)):
            if all(w in generic or is_lone_han(w) for w in term) or _allowed(term, allow):
                continue
            covered = sum(1 for terms in heading_terms if term in terms)
            if best is None or (covered, len(term)) > best[:2]:
                best = (covered, len(term), term)
        if best is None or best[0] < opts["coverage"] * len(headings):
            return
        covered, _, term = best
        counts = page_counts(page)
        count = counts.among(set(term))[term]  # counted alone, not with every term of the page
        share = counts.share(term, count)
        strong = covered >= opts["error_coverage"] * len(headings) and (
            _watched(term, watch)
            or (
                len(headings) >= opts["error_min_headings"]
                and share >= opts["error_density"]
                and count >= opts["error_min_count"]
                and intent(page).commercial  # a how-to naming its subject in each heading is structure
            )
        )
        label = next((display(o) for h in headings for o in _occurrences_of(h, term)), " ".join(term))
        yield _block_hit(
            title,
            f"‘{label}’ from the title is in {covered} of {len(headings)} headings; let headings name their sections",
            f"‘{label}’ in {covered}/{len(headings)} headings, {count} times in the body ({share:.1%})",
            Severity.ERROR if strong else Severity.WARNING,
            _term_spans(page, term, [b for b in page.prose if b.is_heading], label),
        )


def _section_headings(page: Page, title: Block | None) -> list[Block]:
    """The headings of the page's top sections: subsections of "steps" or "FAQ"
    name their own items, so only the shallowest heading level is compared."""
    headings = [h for h in page.headings if h is not title and not _IDENTIFIER.fullmatch(h.text.strip())]
    top = min((h.level for h in headings), default=0)
    return [h for h in headings if h.level == top]


def _occurrences_of(block: Block, term: Term) -> Iterator[Occurrence]:
    return (o for o in occurrences(block) if o.term == term)


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class RepeatedPhrase(Rule):
    """The same long phrase is repeated many times on one page.

    **What it catches**
    A run of at least six words (in Chinese, six jieba words spanning at
    least twelve characters) with three or more content words that occurs
    again and again in the body. List items and table cells repeated word
    for word (changelog lines) count once: they are structure, not prose.

    **Why it matters**
    Pasting the target phrase into paragraph after paragraph ("使用虚拟卡进行
    信用卡支付", "add our support QQ for help") is stuffing by copy and paste.
    It pads the page without saying anything new.

    **Example**
    Each of eight paragraphs ends with "contact our technical support on
    Telegram for the best price".

    **Better**
    Say it once, where it helps the reader, and link to it from elsewhere.

    **Options**
    `words` (6) phrase length in words; `min_han_chars` (12) shortest
    Chinese phrase; `min_repeats` (4) repeats for a warning;
    `error_repeats` (10) repeats for an error; `max_phrases` (3) phrases
    reported per page. Phrases holding an `allow-terms` entry are skipped.

    **Silence it**
    `<!-- auditor-disable-next-line KS103 -->` above the first occurrence,
    or `ignore = ["KS103"]` in the config.
    """

    code = "KS103"
    name = "repeated-phrase"
    default_severity = Severity.WARNING
    options: ClassVar[Mapping[str, Any]] = {
        "words": 6,
        "min_han_chars": 12,
        "min_repeats": 4,
        "error_repeats": 10,
        "max_phrases": 3,
    }

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        opts = context.options
        n, least = opts["words"], opts["min_repeats"]
        blocks = _phrase_blocks(page, n)
        # A phrase repeats no more often than any of its words, so only runs of n words each seen
        # `least` times or more can repeat enough: few, and a block without one is passed over
        # after a substring search (with `frequent` as bytes, one byte a word).
        uses = Counter(itertools.chain.from_iterable(columns.norms for _, columns in blocks))
        grams: list[Term] = []  # the whole page's, counted at once (an update per block costs more)
        kept: list[tuple[int, Columns, list[bool], list[Term]]] = []
        for index, columns in blocks:
            frequent = bytes(map(operator.le, itertools.repeat(least), map(uses.__getitem__, columns.norms)))
            if b"\x01" * n not in frequent:
                continue
            phrases = _phrases(columns, n, opts["min_han_chars"], frequent)
            block_grams = list(itertools.compress(zip(*(columns.norms[k:] for k in range(n)), strict=False), phrases))
            grams += block_grams
            kept.append((index, columns, phrases, block_grams))
        counts = Counter(grams)
        allow = _user_terms(context.allow_terms)
        wanted = {g for g, c in counts.items() if c >= opts["min_repeats"] and not _allowed(g, allow)}
        first = _first_places(kept, wanted, n) if wanted else {}
        repeated = sorted((first[g], counts[g]) for g in wanted)
        for (_, block, start, end), count in _merge(repeated)[: opts["max_phrases"]]:
            phrase = block.text[start:end]
            line, col, end_line, end_col = page.locate(block, phrase)
            severity = Severity.ERROR if count >= opts["error_repeats"] else Severity.WARNING
            yield Hit(
                line,
                col,
                f"‘{_short(phrase)}’ is repeated {count} times; say it once",
                f"‘{phrase}’ × {count}",
                end_line,
                end_col,
                severity,
                spans=page.find(phrase, "phrase"),
            )


def _phrase_blocks(page: Page, n: int) -> list[tuple[int, Columns]]:
    """The body blocks KS103 reads, with their index in the body: those of n words or more, but
    not a list item or table cell repeating an earlier block (changelog lines are structure)."""
    blocks = []
    seen: set[str] = set()
    for index, columns in enumerate(page_columns(page)):
        key = block_key(columns.norms)
        if columns.block.kind in LIST_KINDS and key in seen:
            continue
        seen.add(key)
        if len(columns.norms) >= n:
            blocks.append((index, columns))
    return blocks


def _phrases(columns: Columns, n: int, min_han_chars: int, frequent: bytes) -> list[bool]:
    """phrases[i]: the n words from word i are a phrase KS103 counts, with three content words or
    more and not a short run of mostly Han characters, and may repeat enough (each word `frequent`)."""
    # words of each kind among the first i words, so a run's count is one subtraction
    content = list(itertools.accumulate(columns.content, initial=0))
    common = list(itertools.accumulate(frequent, initial=0))
    phrases = [
        content[i + n] - content[i] >= 3 and common[i + n] - common[i] == n for i in range(len(columns.norms) - n + 1)
    ]
    text = columns.block.text
    for i, (start, end) in enumerate(zip(columns.starts, columns.ends[n - 1 :], strict=False)):
        # a short run of mostly Han characters is too short a phrase
        if phrases[i] and end - start < min_han_chars and len(_HAN.findall(text, start, end)) * 3 >= end - start:
            phrases[i] = False
    return phrases


_Place = tuple[int, Block, int, int]


def _first_places(
    kept: list[tuple[int, Columns, list[bool], list[Term]]], wanted: set[Term], n: int
) -> dict[Term, _Place]:
    """Where each wanted phrase is first counted: its block's index and the phrase's offsets."""
    first: dict[Term, _Place] = {}
    for index, columns, phrases, grams in kept:
        for i, gram in zip(itertools.compress(itertools.count(), phrases), grams, strict=False):
            if gram in wanted and gram not in first:
                first[gram] = (index, columns.block, columns.starts[i], columns.ends[i + n - 1])
    return first


def _merge(repeated: list[tuple[_Place, int]]) -> list[tuple[_Place, int]]:
    """Overlapping repeated n-grams of one block are one longer phrase; it repeats as often
    as its rarest part. Longest-repeated first."""
    merged: list[tuple[_Place, int]] = []
    for (index, block, start, end), count in repeated:
        if merged:
            (m_index, m_block, m_start, m_end), m_count = merged[-1]
            if m_index == index and start < m_end:
                merged[-1] = ((m_index, m_block, m_start, max(m_end, end)), min(m_count, count))
                continue
        merged.append(((index, block, start, end), count))
    return sorted(merged, key=lambda item: -item[1])


def _short(phrase: str, limit: int = 40) -> str:
    return phrase if len(phrase) <= limit else phrase[: limit - 1] + "…"


# Where a keyword list breaks: list punctuation, a spaced dash, or a space
# between two Han characters ("欧易返佣 币安返佣"). Single characters and
# simple alternations only, and a run of spaces is entered at its start only, so no backtracking.
_LIST_BREAK = re.compile(
    r"[,，/|｜、;；]+|(?<!\s)\s+[-–—]\s+"
    r"|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])"
)
_SENTENCE_BREAK = re.compile(r"[。？！?!]+")
# The site's name after the page's own title: "… - Sa-Token 博客", "… | Site". Searched from a
# spaced separator on; the name itself holds no separator, so the search stays linear.
_SITE_SUFFIX = re.compile(r"\s[-–—|｜_]\s(?P<name>[^-–—|｜_]{1,20})$")
# A clause of this many characters or more, holding a function word, reads as a sentence.
_CLAUSE_CHARS = 10


class KeywordList(Rule):
    """The title or description is a list of keyword variants, not a sentence.

    **What it catches**
    A title cut by commas, slashes or bars into short pieces that repeat the
    same words ("电报教程/telegram教程/纸飞机教程", "欧易邀请码,okx邀请码,欧易返佣"),
    a meta description whose clauses keep repeating one keyword, and
    declared keywords (`<meta name="keywords">`, `keywords:` in front
    matter) that are variants of one head ("X referral code, X promo code, X
    bonus, X invite code"). A trailing " - Site name" is not part of the
    title, and a description whose clauses read as sentences (long, with
    function words) is prose, not a list.

    **Why it matters**
    This is the SEO keyword-list title: it is written for a search index,
    not a reader, and search engines demote it. It also shows in every
    search result and browser tab, so readers see it first.

    **Example**
    title: 翻墙机场，翻墙加速器下载，机场下载

    **Better**
    One plain title that says what the page offers:
    title: 如何选择和配置加速器

    **Options**
    `max_segment_chars` (20) longest piece that counts as a keyword;
    `title_segments` (3) linked title pieces for an error (two linked
    pieces are a warning); `description_repeats` (4) clauses of the
    description holding one keyword for a warning, `description_error` (5)
    for an error when they are at least `description_share` (0.4) of the
    clauses. `keyword_variants` (4) declared keywords sharing one head for a
    warning (and at least `description_share` of them); an error when
    `keyword_selling` (2) of those variants hold buying or download words.
    Words in `allow-terms` do not link pieces.

    **Silence it**
    `<!-- auditor-disable-next-line KS104 -->` in the body, or
    `auditor: {disable: [KS104]}` in front matter, or `ignore = ["KS104"]`.
    """

    code = "KS104"
    name = "keyword-list"
    default_severity = Severity.WARNING
    options: ClassVar[Mapping[str, Any]] = {
        "max_segment_chars": 20,
        "title_segments": 3,
        "description_repeats": 4,
        "description_error": 5,
        "description_share": 0.4,
        "keyword_variants": 4,
        "keyword_selling": 2,
    }

    def check(self, page: Page, context: Context) -> Iterable[Hit]:
        opts = context.options
        allow = _user_terms(context.allow_terms)
        title = page.title_block
        found: list[tuple[Block, Iterator[Hit]]] = []
        if title is not None:
            found.append((title, self._title(title, opts, allow)))
        found += [(b, self._description(b, opts, allow)) for b in page.prose if b.kind == "description"]
        if page.keywords is not None:
            found.append((page.keywords, self._keywords(page.keywords, opts, allow)))
        for block, hits in found:
            # The list is the whole block (the keywords one is not prose, so it has no span).
            marks = spans(page.block_span(block, "keyword list"))
            yield from (dataclasses.replace(hit, spans=marks) for hit in hits)

    def _title(self, block: Block, opts: Mapping[str, Any], allow: list[Term]) -> Iterator[Hit]:
        pieces = [p for p in _pieces(_without_site_name(block.text), _LIST_BREAK, allow) if p[1]]
        short = [p for p in pieces if len(p[0]) <= opts["max_segment_chars"]]
        if len(short) < 2:
            return
        counts = Counter(w for _, words in short for w in words)
        linked = [text for text, words in short if any(counts[w] > 1 for w in words)]
        top = max(counts.values())
        shared = _readable([w for w, c in counts.items() if c == top], block)[:3]
        if len(linked) >= opts["title_segments"]:
            severity = Severity.ERROR
        elif len(linked) == len(pieces) == 2:
            severity = Severity.WARNING
        else:
            return
        yield _block_hit(
            block,
            f"the title is a keyword list ({len(linked)} variants of ‘{'’, ‘'.join(shared)}’); write one plain title",
            " / ".join(linked),
            severity,
        )

    def _description(self, block: Block, opts: Mapping[str, Any], allow: list[Term]) -> Iterator[Hit]:
        breaks = re.compile(f"{_LIST_BREAK.pattern}|{_SENTENCE_BREAK.pattern}")
        pieces = [p for p in _pieces(block.text, breaks, allow) if p[1]]
        counts = Counter(w for _, words in pieces for w in words)
        if not counts:
            return
        repeats = max(counts.values())
        word = _readable([w for w, c in counts.items() if c == repeats], block)[0]
        if repeats < opts["description_repeats"] or _reads_as_sentences(pieces):
            return
        strong = repeats >= opts["description_error"] and repeats >= opts["description_share"] * len(pieces)
        yield _block_hit(
            block,
            f"‘{word}’ is in {repeats} of the description's {len(pieces)} clauses; "
            "describe the page in one or two plain sentences",
            " / ".join(text for text, words in pieces if word in words),
            Severity.ERROR if strong else Severity.WARNING,
        )


    def _keywords(self, block: Block, opts: Mapping[str, Any], allow: list[Term]) -> Iterator[Hit]:
        """Declared keywords are a list by nature; many variants of one head are the stuffing."""
        pieces = [p for p in _pieces(block.text, _LIST_BREAK, allow) if p[1]]
        counts = Counter(w for _, words in pieces for w in words)
        if not counts:
            return
        repeats = max(counts.values())
        if repeats < opts["keyword_variants"] or repeats < opts["description_share"] * len(pieces):
            return
        word = _readable([w for w, c in counts.items() if c == repeats], block)[0]
        variants = [text for text, words in pieces if word in words]
        selling = [v for v in variants if words_in(v)]
        strong = len(selling) >= opts["keyword_selling"]
        yield _block_hit(
            block,
            f"the page's keywords are {len(variants)} variants of ‘{word}’"
            + (f", {len(selling)} of them buying or download words" if strong else "")
            + "; declare a few distinct keywords",
            " / ".join(variants),
            Severity.ERROR if strong else Severity.WARNING,
        )


def _without_site_name(title: str) -> str:
    """The title without a trailing " - Site name" (one that holds no buying word: "… - 机场下载"
    is one more keyword, not the site's name)."""
    found = _SITE_SUFFIX.search(title)
    if found is None or words_in(found.group("name")) or not title[: found.start()].strip():
        return title
    return title[: found.start()]


def _reads_as_sentences(pieces: list[tuple[str, set[str]]]) -> bool:
    """Most clauses are long and hold a function word (的, 是, 在, the, is…): prose cut at commas,
    not a list of keyword variants, which are short and bare."""
    stop = stopwords("zh") | stopwords("en")
    sentences = 0
    for text, _ in pieces:
        words = {w.lower() for w in _LATIN_WORD.findall(text)} | {
            run[i : i + n] for run in _HAN_RUN.findall(text) for n in (1, 2) for i in range(len(run) - n + 1)
        }
        if len(text) >= _CLAUSE_CHARS and words & stop:
            sentences += 1
    return sentences * 2 >= len(pieces)


def _readable(keys: list[str], block: Block) -> list[str]:
    """Keys to show, whole words first ("邀请" before the character pair "请码")."""
    words = {w.norm for w in block.words}
    return sorted(keys, key=lambda k: (k not in words, k))


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")


def _pieces(value: str, breaks: re.Pattern[str], allow: list[Term]) -> list[tuple[str, set[str]]]:
    """The pieces of a title or description with the keys of each.

    Keys are Latin words and pairs of adjacent Han characters: keyword
    variants share a head ("电报教程", "telegram教程"), and jieba does not
    always cut a short title the same way twice ("币安返佣" → "币安返" + "佣"),
    so the pieces are compared below the word. Stopwords, generic Latin
    words and allowed terms are not keys.
    """
    stop = stopwords("zh") | stopwords("en")
    allowed = {w for t in allow for w in t}
    pieces = []
    for raw in breaks.split(value):
        text = raw.strip()
        if not text:
            continue
        keys = {w.lower() for w in _LATIN_WORD.findall(text)}
        for run in _HAN_RUN.findall(text):
            keys.update(run[i : i + 2] for i in range(len(run) - 1))
        pieces.append((text, {k for k in keys if k not in stop and k not in allowed}))
    return pieces


CHECK = Check(
    name="keyword-stuffing",
    prefix="KS",
    rules=(TermDensity, TitleTermInHeadings, RepeatedPhrase, KeywordList),
    description="One term or phrase repeated far beyond natural writing, in body, title and headings.",
    version="1",
)
