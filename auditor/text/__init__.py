"""Text analysis shared by every check: language, words, content terms, sentences.

Chinese is segmented with jieba (or jieba_fast, see `auditor.text.segmenter`),
whose dictionary is loaded once per process, on first use, so runs that meet
no Chinese never pay for it, or up front by `preload()`. Other scripts use a Unicode-aware word pattern.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import accumulate, repeat
from typing import Any, NamedTuple

from auditor.text import lexicon, segmenter

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD_SPLIT = re.compile(r"([^\W_]+(?:['’][^\W_]+)*)")
_HAS_LETTER = re.compile(r"[^\W\d_]")
# Ends of sentences in either script; a period only ends one when a space or
# the end of the text follows, so "v1.2" and "example.com" stay whole.
_SENTENCE_END = re.compile(r"[。！？!?；;]+|\.(?=\s|$)|\n+")


class Word(NamedTuple):
    # A named tuple, not a dataclass: pages hold hundreds of thousands of words,
    # and a tuple is several times cheaper to make.
    text: str
    norm: str  # lower-cased, for counting
    start: int  # offsets into the block's text
    end: int
    content: bool  # not a stopword, a number or a one-letter Latin token


def detect_language(value: str) -> str:
    """ "zh" when Han characters outnumber a third of the letters, else "en" (or "und" when empty).

    A third, not a half: Chinese pages are full of Latin brand names and URLs,
    and one Han character carries about as much as a whole English word.
    """
    if value.isascii():  # no Han character can be there: only whether there is a Latin letter matters
        return "en" if _LATIN.search(value) else "und"
    han = _HAN.subn("", value)[1]  # counted without a string per character
    latin = _LATIN.subn("", value)[1]
    if han == 0 and latin == 0:
        return "und"
    return "zh" if han * 3 >= latin else "en"


def _jieba() -> Any:
    """jieba (or jieba_fast), its dictionary loaded once per process, on first use."""
    return segmenter.load()


def preload() -> None:
    """Load jieba's dictionary now rather than on the first Chinese block.

    A long-running process (the language server) calls it once at start, on a
    background thread, so the first Chinese page it audits does not wait a
    second for it. Safe to call from several threads: the segmenter's lock
    makes the load happen once.
    """
    _jieba()


@cache
def stopwords(lang: str) -> frozenset[str]:
    return frozenset(lexicon.words("auditor.text", "stopwords", lang))


def is_content(norm: str, lang: str) -> bool:
    if not _HAS_LETTER.search(norm):
        return False
    if len(norm) == 1 and not _HAN.match(norm):
        return False
    return norm not in stopwords("zh") and norm not in stopwords("en")


# What is known of each token met: its normal form and whether it is a content
# word (None: not a word at all). Sites repeat their vocabulary, so this saves
# most of the work per word; it is emptied when it grows past a bound, so
# memory stays flat on any site.
_KNOWN_ZH: dict[str, tuple[str, bool] | None] = {}
_KNOWN_LATIN: dict[str, tuple[str, bool]] = {}
_KNOWN_MAX = 200_000


def _zh_token(token: str) -> tuple[str, bool] | None:
    if not token.strip() or not (_HAS_LETTER.search(token) or token.isdigit()):
        return None
    norm = token.lower()
    return norm, is_content(norm, "zh")


def _latin_token(token: str) -> tuple[str, bool]:
    norm = token.lower()
    return norm, is_content(norm, "en")


_new_word = tuple.__new__  # Word(...) without the Python-level __new__ of a named tuple


def tokenize(value: str, lang: str) -> list[Word]:
    """Words of `value` with their offsets. Whitespace and punctuation are dropped."""
    if lang == "zh":
        # jieba's pieces cover the whole text, so each one's offsets are running sums of lengths.
        tokens = list(_jieba().cut(value))
        ends = list(accumulate(map(len, tokens)))
        starts = [0, *ends[:-1]]
        known, learn = _KNOWN_ZH, _zh_token
    else:
        # Split on words kept as groups: separators and words alternate, so offsets are running
        # sums too. The lists are made by map and slicing: a page has tens of thousands of words.
        pieces = _WORD_SPLIT.split(value)
        offsets = list(accumulate(map(len, pieces)))
        tokens, starts, ends = pieces[1::2], offsets[0::2], offsets[1::2]
        known, learn = _KNOWN_LATIN, _latin_token
    if len(known) > _KNOWN_MAX:
        known.clear()
    infos = list(map(known.get, tokens, repeat(False)))
    if False in infos:  # a token met for the first time; sites repeat their words, so most blocks have none
        for index, info in enumerate(infos):
            if info is False:
                token = tokens[index]
                infos[index] = known[token] = learn(token)
    return [
        _new_word(Word, (token, info[0], start, end, info[1]))
        for token, info, start, end in zip(tokens, infos, starts, ends, strict=False)
        if info is not None
    ]


def sentences(value: str) -> list[tuple[int, int]]:
    """Spans of the sentences in `value`, stripped of surrounding space."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(value):
        _append_span(spans, value, start, match.end())
        start = match.end()
    _append_span(spans, value, start, len(value))
    return spans


def _append_span(spans: list[tuple[int, int]], value: str, start: int, end: int) -> None:
    while start < end and value[start].isspace():
        start += 1
    while end > start and value[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
