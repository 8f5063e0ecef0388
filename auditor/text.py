"""Text analysis shared by every check: language, words, content terms, sentences.

Chinese is segmented with jieba, whose dictionary is loaded once per process
(on first use, so runs that meet no Chinese never pay for it, or up front by
`preload()`) with its log messages silenced. Other scripts use a Unicode-aware word pattern.
"""

from __future__ import annotations

import logging
import marshal
import os
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
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


_JIEBA_LOCK = threading.Lock()
_CHUNK = 20_000  # dictionary entries per marshal chunk: about 10 ms of loading each


@cache
def _jieba() -> Any:
    with _JIEBA_LOCK:  # @cache does not stop two threads from both getting here
        import jieba

        jieba.setLogLevel(logging.WARNING)
        if not jieba.dt.initialized:
            _initialize(jieba)
    return jieba


def _initialize(jieba: Any) -> None:
    """jieba's `initialize()`, from a cache of our own that loads twice as fast, in pieces.

    jieba caches its prefix dictionary (half a million entries) as one marshal
    stream that it reads object by object from the file: about 0.5 s of CPU.
    Ours holds the same dictionary as marshal chunks, read from bytes: about
    half that, and other threads (the language server's event loop) run
    between chunks. It is built from jieba's own load the first time, under
    the user's cache folder; anything amiss falls back to jieba's way.
    """
    tokenizer = jieba.dt
    path = _jieba_cache_path(jieba)
    if path is not None and tokenizer.dictionary is None:  # jieba's default dictionary, as we use it
        try:
            total, chunks = marshal.loads(path.read_bytes())
            freq: dict[str, int] = {}
            for chunk in chunks:
                freq.update(marshal.loads(chunk))
            tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
            return
        except (OSError, EOFError, ValueError, TypeError):
            pass
    tokenizer.initialize()
    if path is not None and tokenizer.dictionary is None:
        items = list(tokenizer.FREQ.items())
        chunks = [marshal.dumps(dict(items[i : i + _CHUNK])) for i in range(0, len(items), _CHUNK)]
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{path.name}.{os.getpid()}")
            partial.write_bytes(marshal.dumps((tokenizer.total, chunks)))
            partial.replace(path)
        except OSError:
            pass


def _jieba_cache_path(jieba: Any) -> Path | None:
    """Where our copy of jieba's dictionary is kept: named by jieba's version and its dictionary file."""
    try:
        source = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME).stat()
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "auditor"
    except (OSError, AttributeError, TypeError, RuntimeError):  # RuntimeError: no home folder
        return None
    return folder / f"jieba-{jieba.__version__}-{source.st_size}-{int(source.st_mtime)}.marshal"


def preload() -> None:
    """Load jieba's dictionary now rather than on the first Chinese block.

    A long-running process (the language server) calls it once at start, on a
    background thread, so the first Chinese page it audits does not wait a
    second for it. Safe to call from several threads: jieba's own lock makes
    the load happen once.
    """
    _jieba()


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
