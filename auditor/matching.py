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


_ALNUM_RUN = re.compile(r"[a-z0-9]+")
_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


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
    """A text as every prefilter reads it: lower-cased, and its whole alphanumeric words.

    The claims check asks six matchers about each sentence, so this is made once
    per text (see `_folded`) and its words only when a list with Latin entries asks.
    """

    __slots__ = ("_words", "low", "special", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.low = text.lower()
        # Characters whose case-insensitive match differs from lower-casing them (ſ, ı, K …).
        self.special = _SPECIAL_FOLDS.search(self.low) is not None
        self._words: frozenset[str] | None = None

    @property
    def words(self) -> frozenset[str]:
        if self._words is None:
            self._words = frozenset(_ALNUM_RUN.findall(self.low))
        return self._words


_last_folded = _Folded("")


def _folded(text: str) -> _Folded:
    """`text` folded, reusing the last text folded when it is the same string object.

    Callers ask several matchers about one text in a row. The memo holds that
    one text, so it stays bounded and an identity test cannot be fooled by a
    new string at the address of a freed one.
    """
    global _last_folded
    last = _last_folded
    if last.text is not text:
        last = _last_folded = _Folded(text)
    return last


class _Prefilter:
    """What `may_match` looks for: each entry's pieces, lower-cased, in the lower-cased text.

    A match of an entry holds each of its pieces in its own letters (the text's
    case-insensitive match of a piece, lower-cased, is the piece lower-cased),
    and each word of a Latin piece stands as a whole word in the text (Latin ends
    carry word edges). So an entry is looked at only when the text holds its
    longest word (entries starting in Latin script) or its first piece (entries
    starting in Chinese, found all at once by one pattern), and is then kept when
    every piece is in the text. Text with characters whose case-insensitive match
    differs from lower-casing them (ſ, ı, K …) always may match, and so does any
    text when an entry cannot be prefiltered (then `exact_only`).
    """

    def __init__(self, entries: tuple[str, ...]) -> None:
        self.by_word: dict[str, list[tuple[str, ...]]] = {}
        self.han: list[tuple[str, ...]] = []
        self.exact_only = False
        for entry in entries:
            pieces = tuple(piece.lower() for piece in _GAP.split(entry))
            key = _key(entry, pieces)
            if key is None:
                self.exact_only = True
            elif _HAN_CHAR.match(key):
                self.han.append(pieces)
            else:
                self.by_word.setdefault(key, []).append(pieces)
        anchors = sorted({pieces[0] for pieces in self.han})
        self.anchors = re.compile(_plain_trie(_trie(anchors))) if anchors else None

    def may_match(self, text: _Folded) -> bool:
        if self.exact_only or text.special:
            return True
        low = text.low
        if self.by_word:
            for word in self.by_word.keys() & text.words:
                if any(all(piece in low for piece in pieces) for pieces in self.by_word[word]):
                    return True
        if self.anchors is not None and self.anchors.search(low) is not None:
            return any(all(piece in low for piece in pieces) for pieces in self.han)
        return False


def _key(entry: str, pieces: tuple[str, ...]) -> str | None:
    """The part of an entry the prefilter looks up first: its first piece when that starts
    in Chinese, else its longest word; None when the entry cannot be prefiltered."""
    if not pieces[0] or any(_SPECIAL_FOLDS.search(piece) for piece in pieces):
        return None
    if len("".join(pieces)) != len("".join(_GAP.split(entry))):
        return None
    if _HAN_CHAR.match(pieces[0]):
        return pieces[0]
    runs = [run for piece in pieces for run in _ALNUM_RUN.findall(piece)]
    return max(runs, key=len) if runs else None


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
