"""What every rule built from data shares: its definition's fields and where its hits stand in the source."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from auditor.models import Block, Page
from auditor.registry import Rule
from auditor.text.matching import Match


class RuleError(ValueError):
    """A rule definition that cannot be built; the message says where it was declared and what is wrong."""


class DataRule(Rule):
    """A rule made from a definition; the kind's subclass implements `check`."""

    message: ClassVar[str]
    source: ClassVar[str] = ""  # the file (or package) that declared it
    # Per finding, in the page verdict (PV501), counted up to its cap. None: the rule has no
    # declared weight, so PV501 weighs it by its fitted table (built-ins) or not at all (custom rules).
    weight: ClassVar[float | None] = None

    def say(self, **values: str) -> str:
        """The rule's message with its {placeholders} filled; unknown ones are left as written."""
        text = self.message
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        return text


def tokens(definition: Mapping[str, Any], key: str, where: str, required: bool = True) -> tuple[str, ...]:
    """A word list: `key = [...]`, or one list per language (`key.en = [...]`, `key.zh = [...]`)."""
    value = definition.get(key)
    if value is None and not required:
        return ()
    lists = value.values() if isinstance(value, Mapping) else [value]
    found: list[str] = []
    for entries in lists:
        if isinstance(entries, str):
            entries = [entries]
        if not isinstance(entries, list) or not all(isinstance(e, str) and e.strip() for e in entries):
            raise RuleError(f"{where}: {key} must be a list of non-empty strings, or a table of them by language")
        found.extend(entries)
    if required and not found:
        raise RuleError(f"{where}: {key} must list at least one word or phrase")
    return tuple(found)


def grading_options(grading: Any, keys: tuple[str, ...], where: str) -> dict[str, int]:
    """A rule's `grading` table (its error thresholds, which become the rule's options), checked:
    every one of `keys`, each a whole number of 1 or more; {} when the rule has none."""
    if grading is None:
        return {}
    if not isinstance(grading, Mapping) or set(grading) != set(keys):
        raise RuleError(f"{where}: grading must be a table of {', '.join(keys)}")
    options: dict[str, int] = {}
    for key in keys:
        value = grading[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise RuleError(f"{where}: grading.{key} must be a whole number, 1 or more")
        options[key] = value
    return options


def locate(page: Page, block: Block, match: Match) -> tuple[int, int, int, int]:
    """Where a match in a block's text stands in the source: on the line its offset falls on, when found there."""
    line = block.line + block.text.count("\n", 0, match.start)
    if line <= len(page.lines):
        # Several matches of one phrase on a line: the n-th in the text is the n-th in the source.
        line_start = block.text.rfind("\n", 0, match.start) + 1
        nth = block.text.count(match.text, line_start, match.start)
        source_line = page.lines[line - 1]
        column = -1
        for _ in range(nth + 1):
            column = source_line.find(match.text, column + 1)
            if column < 0:
                break
        if column >= 0:
            return line, column + 1, line, column + 1 + len(match.text)
    return page.locate(block, match.text)
