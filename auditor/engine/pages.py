"""Parsing a page's text into a Page, guarded: a parser that fails or hangs costs its page, not the run.

    text ─► front matter and parser (under check-timeout) ─► Page ─► shared text analysis

The analysis every check reads (the words of each block; jieba's dictionary is
loaded on first use, in a second or two) is done here, outside the checks' time limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.config import Limits
from auditor.engine import diagnostics
from auditor.engine.guard import TimeLimitExceeded, time_limit
from auditor.engine.results import Note
from auditor.engine.rules import describe
from auditor.models import Page
from auditor.parsing import parse_page


@dataclass
class Parsed:
    """A page ready for its rules, or None when it could not be parsed, with the notes about parsing it."""

    page: Page | None
    notes: list[Note] = field(default_factory=list)


def parse(path: str, text: str, fmt: str, limits: Limits) -> Parsed:
    """The Page of `text`, a page in format `fmt` named `path` (as reports print it)."""
    try:
        # Parsers have their own slow cases (markdown-it on a page of unclosed "[x]("):
        # they get the same time limit as a check.
        with time_limit(limits.check_timeout):
            page, front = parse_page(path, text, fmt, limits.max_depth)
    except Exception as exc:  # a parser bug or a resource limit must not stop the run
        failure = f"the {fmt} parser failed: {describe(exc)}; the page was not audited"
        return Parsed(None, notes=[Note(diagnostics.InternalError, failure)])
    except TimeLimitExceeded:
        failure = (
            f"the {fmt} parser ran past check-timeout ({limits.check_timeout:g} s) and was stopped; "
            "the page was not audited"
        )
        return Parsed(None, notes=[Note(diagnostics.InternalError, failure)])
    notes = [Note(diagnostics.InvalidFrontMatter, front.error)] if front.error else []
    notes.extend(Note(diagnostics.NestingTooDeep, f"the page {cut}") for cut in page.cut)
    try:
        for block in page.prose:
            _ = block.words
    except Exception as exc:  # a bug in it must not stop the run
        failure = f"text analysis failed: {describe(exc)}; the page was not audited"
        return Parsed(None, notes=[*notes, Note(diagnostics.InternalError, failure)])
    return Parsed(page, notes)
