"""Matching word lists against text: one compiled alternation per list.

Entries are literal phrases, never user regular expressions, so a list is
compiled into one pattern shaped as the prefix tree of its entries (longest
first where one extends another). There are no nested quantifiers to
backtrack into, so matching stays linear in the size of the text.

Latin entries match whole words only ("best" not in "bestow"); Han entries
match anywhere, since Chinese has no spaces between words. An entry may hold
"…" (or "..."): it then matches its two parts with at most 16 characters
between them within one sentence, as in "比…更".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

_GAP = re.compile(r"\s*(?:…|\.\.\.)\s*")
_LATIN_EDGE = re.compile(r"[A-Za-z0-9]")
_BETWEEN = r"[^。！？!?\n.;；]{0,16}?"


class Match(NamedTuple):  # a named tuple: made for every match, and cheaper than a dataclass
    start: int
    end: int
    text: str
    entry: str  # the list entry that matched, as written in the list


class PhraseMatcher:
    def __init__(self, entries: Iterable[str]) -> None:
        self.entries = tuple(dict.fromkeys(e for e in entries if e.strip()))
        literals = [e for e in self.entries if not _GAP.search(e)]
        gapped = [e for e in self.entries if _GAP.search(e)]
        # Lower-cased literal -> the entry as written, to name what matched.
        self._literals = {e.lower(): e for e in reversed(literals)}
        self._gapped = {f"g{i}": e for i, e in enumerate(gapped)}
        alternatives = [
            f"(?P<{key}>{_BETWEEN.join(_piece(part) for part in _GAP.split(entry))})"
            for key, entry in self._gapped.items()
        ]
        if literals:
            alternatives.append(f"(?P<lit>{_trie_pattern(list(self._literals))})")
        self._pattern = re.compile("|".join(alternatives), re.I) if alternatives else None

    def __bool__(self) -> bool:
        return self._pattern is not None

    def finditer(self, text: str) -> Iterator[Match]:
        if self._pattern is None:
            return
        for found in self._pattern.finditer(text):
            matched = found.group()
            if found.lastgroup == "lit":
                entry = self._literals.get(matched.lower(), matched)
            else:
                entry = self._gapped.get(found.lastgroup or "", matched)
            yield Match(found.start(), found.end(), matched, entry)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the entries match, without naming them (the cheapest question to ask)."""
        if self._pattern is None:
            return []
        return [found.span() for found in self._pattern.finditer(text)]

    def search(self, text: str) -> Match | None:
        return next(self.finditer(text), None)


_BOUNDARY_BEFORE = r"(?<![A-Za-z0-9])"
_BOUNDARY_AFTER = r"(?![A-Za-z0-9])"


def _trie_pattern(literals: list[str]) -> str:
    """One pattern for many literals, shaped as their prefix tree.

    At each position of the text the engine follows one branch of the tree
    instead of trying every entry in turn, so the cost stays close to one
    pass over the text however long the list grows. Longer entries are tried
    before the shorter ones they extend; Latin ends carry word boundaries.
    """
    latin_start = [e for e in literals if _LATIN_EDGE.match(e[:1])]
    other_start = [e for e in literals if not _LATIN_EDGE.match(e[:1])]
    parts = []
    if latin_start:
        parts.append(_BOUNDARY_BEFORE + _subtree(_trie(latin_start), ""))
    if other_start:
        parts.append(_subtree(_trie(other_start), ""))
    return "|".join(f"(?:{p})" for p in parts)


_END = ""


def _trie(words: list[str]) -> dict[str, dict]:
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}
    return root


def _subtree(node: dict[str, dict], last_char: str) -> str:
    branches = [re.escape(char) + _subtree(child, char) for char, child in sorted(node.items()) if char != _END]
    if _END in node:  # an entry ends here: stopping is the last choice, after longer entries
        branches.append(_BOUNDARY_AFTER if _LATIN_EDGE.match(last_char) else "")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _piece(literal: str) -> str:
    """An escaped literal, with word boundaries on its Latin ends."""
    pattern = re.escape(literal)
    if _LATIN_EDGE.match(literal[:1]):
        pattern = _BOUNDARY_BEFORE + pattern
    if _LATIN_EDGE.match(literal[-1:]):
        pattern += _BOUNDARY_AFTER
    return pattern
