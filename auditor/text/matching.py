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

_GAP = re.compile(r"(?<!\s)\s*(?:…|\.\.\.)\s*")  # entered at the start of a run of spaces only
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
        self._prefilter = _Prefilter(self.entries)

    def __bool__(self) -> bool:
        return self._pattern is not None

    def may_match(self, text: str) -> bool:
        """False only when no entry can match anywhere in `text`; cheaper than matching (see `_Prefilter`)."""
        return self._pattern is not None and self._prefilter.may_match(_folded(text))

    def finditer(self, text: str) -> Iterator[Match]:
        if self._pattern is None or not self.may_match(text):
            return
        for found in self._pattern.finditer(text):
            matched = found.group()
            if found.lastgroup == "lit":
                entry = self._literals.get(matched.lower(), matched)
            else:
                entry = self._gapped.get(found.lastgroup or "", matched)
            yield Match(found.start(), found.end(), matched, entry)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the entries match, without naming them."""
        if self._pattern is None or not self.may_match(text):
            return []
        return [found.span() for found in self._pattern.finditer(text)]

    def search(self, text: str) -> Match | None:
        return next(self.finditer(text), None)


def _special_folds() -> re.Pattern[str]:
    """Characters (lower-cased) that match others case-insensitively beyond lower-casing:
    ſ matches s, ı matches i, µ matches μ …; and U+0307, left by lower-casing İ."""
    try:
        from re._casefix import _EXTRA_CASES  # Python 3.11 and later

        chars = {c for key, values in _EXTRA_CASES.items() for c in (key, *values) if c > 127}
    except ImportError:  # pragma: no cover - Python 3.10: a superset, every non-ASCII letter but Han
        return re.compile(r"[^\x00-\x7f\u2000-\u206f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
    chars.add(0x307)
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(chars)) + "]")


_SPECIAL_FOLDS = _special_folds()


class _Folded:
    """A text as every prefilter reads it: lower-cased, and whether it holds a special fold.

    `low` starts with a space, so that a word at the start of the text follows a
    character that is no letter or digit, as every other word does.
    """

    __slots__ = ("low", "special")

    def __init__(self, text: str) -> None:
        self.low = " " + text.lower()
        # Characters whose case-insensitive match differs from lower-casing them (ſ, ı, K …);
        # all of them are beyond ASCII.
        self.special = not self.low.isascii() and _SPECIAL_FOLDS.search(self.low) is not None


# Texts folded lately. Checks ask several matchers about the same block texts (the
# claims check asks six about each sentence, and every check of a page reads its
# blocks), so each is lower-cased once. Emptied when full, to stay small.
_FOLDED: dict[str, _Folded] = {}
_FOLDED_MAX = 1024


def _folded(text: str) -> _Folded:
    folded = _FOLDED.get(text)
    if folded is None:
        if len(_FOLDED) >= _FOLDED_MAX:
            _FOLDED.clear()
        folded = _FOLDED[text] = _Folded(text)
    return folded


class _Prefilter:
    """What `may_match` looks for: the first piece of some entry, lower-cased, in the lower-cased text.

    A match of an entry holds its first piece in the same letters (the text's
    case-insensitive match of a piece, lower-cased, is the piece lower-cased),
    after a character that is no Latin letter or digit when the piece starts
    with one (Latin ends carry word edges). Text with characters whose
    case-insensitive match differs from lower-casing them (ſ, ı, K …) always may
    match, and so does any text when an entry holds such a character or starts
    with a gap (then `exact_only`).
    """

    def __init__(self, entries: tuple[str, ...]) -> None:
        firsts = {_GAP.split(entry)[0] for entry in entries}
        self.exact_only = "" in firsts or any(
            _SPECIAL_FOLDS.search(e) or _SPECIAL_FOLDS.search(e.lower()) for e in entries
        )
        # Split by the first character as written, as the pattern puts its word edges:
        # U+212A (Kelvin) starts no Latin piece, though it lower-cases to "k".
        latin = sorted({f.lower() for f in firsts if _LATIN_EDGE.match(f[:1])})
        other = sorted({f.lower() for f in firsts if not _LATIN_EDGE.match(f[:1])})
        # Two patterns: the edge test would keep the engine from skipping ahead to the
        # first characters of the others.
        self.patterns = [
            re.compile(pattern)
            for pattern in (
                _NON_WORD + _plain_trie(_trie(latin)) if latin else "",
                _plain_trie(_trie(other)) if other else "",
            )
            if pattern
        ]

    def may_match(self, text: _Folded) -> bool:
        if self.exact_only or text.special:
            return True
        return any(pattern.search(text.low) for pattern in self.patterns)


# Consumed rather than looked behind for: the engine then skips ahead to such characters.
_NON_WORD = "[^a-z0-9]"


def _plain_trie(node: dict[str, dict]) -> str:
    """A prefix tree as a pattern that matches any of its words anywhere (no word edges)."""
    if _END in node:
        return ""  # a word ends here: its longer words need not be tried for a yes or no
    branches = [re.escape(char) + _plain_trie(child) for char, child in sorted(node.items())]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


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
