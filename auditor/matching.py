"""Matching word lists against text: one compiled alternation per list.

Entries are literal phrases, never user regular expressions, so a list is
compiled into a single alternation of escaped strings, longest first. Python's
engine tries the alternatives at each position without backtracking into
nested quantifiers, so matching stays linear in the size of the text.

Latin entries match whole words only ("best" not in "bestow"); Han entries
match anywhere, since Chinese has no spaces between words. An entry may hold
"…" (or "..."): it then matches its two parts with at most 16 characters
between them within one sentence, as in "比…更".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_GAP = re.compile(r"\s*(?:…|\.\.\.)\s*")
_LATIN_EDGE = re.compile(r"[A-Za-z0-9]")
_BETWEEN = r"[^。！？!?\n.;；]{0,16}?"


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    text: str
    entry: str  # the list entry that matched, as written in the list


class PhraseMatcher:
    def __init__(self, entries: Iterable[str]) -> None:
        self.entries = tuple(dict.fromkeys(e for e in entries if e.strip()))
        self._by_key: dict[str, str] = {}
        alternatives = []
        for entry in sorted(self.entries, key=len, reverse=True):
            pattern = _BETWEEN.join(_piece(part) for part in _GAP.split(entry))
            alternatives.append(f"(?P<e{len(alternatives)}>{pattern})")
            self._by_key[f"e{len(alternatives) - 1}"] = entry
        self._pattern = re.compile("|".join(alternatives), re.I) if alternatives else None

    def __bool__(self) -> bool:
        return self._pattern is not None

    def finditer(self, text: str) -> Iterator[Match]:
        if self._pattern is None:
            return
        for found in self._pattern.finditer(text):
            key = found.lastgroup or ""
            yield Match(found.start(), found.end(), found.group(), self._by_key.get(key, found.group()))

    def search(self, text: str) -> Match | None:
        return next(self.finditer(text), None)


def _piece(literal: str) -> str:
    """An escaped literal, with word boundaries on its Latin ends."""
    pattern = re.escape(literal)
    if _LATIN_EDGE.match(literal[:1]):
        pattern = r"(?<![A-Za-z0-9])" + pattern
    if _LATIN_EDGE.match(literal[-1:]):
        pattern += r"(?![A-Za-z0-9])"
    return pattern
