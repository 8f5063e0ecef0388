"""Text analysis shared by every check: language, words, content terms, sentences.

Chinese is segmented with jieba, whose dictionary is loaded once per process
(on first use, so runs that meet no Chinese never pay for it) with its log
messages silenced. Other scripts use a Unicode-aware word pattern.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from auditor import lexicon

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_HAS_LETTER = re.compile(r"[^\W\d_]")
# Ends of sentences in either script; a period only ends one when a space or
# the end of the text follows, so "v1.2" and "example.com" stay whole.
_SENTENCE_END = re.compile(r"[。！？!?；;]+|\.(?=\s|$)|\n+")


@dataclass(frozen=True, slots=True)
class Word:
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
    han = len(_HAN.findall(value))
    latin = len(_LATIN.findall(value))
    if han == 0 and latin == 0:
        return "und"
    return "zh" if han * 3 >= latin else "en"


@cache
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@cache
def stopwords(lang: str) -> frozenset[str]:
    return frozenset(lexicon.words("auditor", "stopwords", lang))


def is_content(norm: str, lang: str) -> bool:
    if not _HAS_LETTER.search(norm):
        return False
    if len(norm) == 1 and not _HAN.match(norm):
        return False
    return norm not in stopwords("zh") and norm not in stopwords("en")


def tokenize(value: str, lang: str) -> list[Word]:
    """Words of `value` with their offsets. Whitespace and punctuation are dropped."""
    words: list[Word] = []
    if lang == "zh":
        for token, start, end in _jieba().tokenize(value):
            if not token.strip() or not (_HAS_LETTER.search(token) or token.isdigit()):
                continue
            norm = token.lower()
            words.append(Word(token, norm, start, end, is_content(norm, lang)))
    else:
        for match in _WORD.finditer(value):
            token = match.group()
            norm = token.lower()
            words.append(Word(token, norm, match.start(), match.end(), is_content(norm, lang)))
    return words


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
