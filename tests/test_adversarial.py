"""Linear time on adversarial text: no regular expression or word list backtracks catastrophically.

Two kinds of evidence, neither a timing measurement:

- structure: every word list is compiled into one prefix-tree alternation with
  no unbounded repetition (the one bounded gap of "比…更" entries aside), so
  the engine follows one branch per position;
- a guard: every pattern held at module level in the package, and every word
  list, is fed its worst cases (tests/hostile/adversarial.py: runs of 100,000
  (20,000 for lists, whose shape is checked too) of each character it names,
  runs of two, almost-matches) under a time limit
  of GUARD seconds. Linear matching of all of them takes well under a second;
  one quadratic pattern takes minutes on runs that long, so the guard only
  trips on a real regression, never on a slow machine.

The ratio of audit time per MB on worst-case pages to ordinary pages is
measured by `python benchmarks/adversarial.py`.
"""

from __future__ import annotations

import re

import pytest

from auditor.engine.guard import TimeLimitExceeded, time_limit
from auditor.text.matching import PhraseMatcher

from .hostile.adversarial import (
    _walk,
    list_worst_cases,
    module_patterns,
    parsed,
    pattern_worst_cases,
    word_lists,
)

GUARD = 30.0
PATTERNS = module_patterns()
LISTS = word_lists()
# The one repetition a word list pattern may hold: the gap of an entry with "…" (see matching.py).
GAP_MAX = 16


def _exhaust(pattern: re.Pattern, texts: object) -> None:
    for text in texts:  # type: ignore[attr-defined]
        data = text if isinstance(pattern.pattern, str) else text.encode("utf-8", errors="replace")
        for _ in pattern.finditer(data):
            pass


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_stays_linear_on_its_worst_cases(name: str) -> None:
    pattern = PATTERNS[name]
    try:
        with time_limit(GUARD):
            _exhaust(pattern, pattern_worst_cases(pattern))
    except TimeLimitExceeded:
        pytest.fail(f"{name} = {pattern.pattern!r} backtracks: worst-case input ran past {GUARD:g} s")


@pytest.mark.parametrize("name", sorted(LISTS))
def test_word_list_stays_linear_on_its_worst_cases(name: str) -> None:
    matcher = PhraseMatcher(LISTS[name])
    try:
        with time_limit(GUARD):
            for text in list_worst_cases(LISTS[name]):
                for _ in matcher.finditer(text):
                    pass
    except TimeLimitExceeded:
        pytest.fail(f"the matcher of {name} backtracks: worst-case input ran past {GUARD:g} s")


@pytest.mark.parametrize("name", sorted(LISTS))
def test_word_list_is_one_prefix_tree_alternation(name: str) -> None:
    matcher = PhraseMatcher(LISTS[name])
    if not matcher:
        return
    pattern = matcher._pattern
    assert pattern is not None
    for op, av in _walk(parsed(pattern)):
        if str(op) in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, _ = av  # type: ignore[misc]
            assert high <= GAP_MAX, f"{name}: unbounded or long repetition {op} {low}..{high}"
        if str(op) == "BRANCH":  # a node of the prefix tree: its branches start with different characters
            firsts = [_first_literal(branch) for branch in av[1]]  # type: ignore[index]
            literals = [f for f in firsts if f is not None]
            assert len(literals) == len(set(literals)), f"{name}: branches share a first character: {literals}"


def _first_literal(branch: object) -> int | None:
    for op, av in branch:  # type: ignore[attr-defined]
        if str(op) == "LITERAL":
            return av  # type: ignore[return-value]
        if str(op) in ("ASSERT", "ASSERT_NOT", "AT"):
            continue  # word-boundary lookarounds come before the character
        return None
    return None


def test_the_guard_catches_a_backtracking_pattern() -> None:
    """The harness can fail: the template-tag pattern this package used to have is quadratic on `{%{%{%…`."""
    quadratic = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
    with pytest.raises(TimeLimitExceeded), time_limit(2):
        _exhaust(quadratic, pattern_worst_cases(quadratic))
