"""Inline and front-matter suppressions, the same in Markdown and HTML.

    <!-- auditor-disable KS101 PL401 -->    off from here (no codes: every rule)
    <!-- auditor-enable -->                 back on (optionally only the codes named)
    <!-- auditor-disable-next-line PL401 --> off for the next non-blank line
    <!-- auditor-disable-line PL401 -->     off for the line the comment is on

and in front matter: `auditor: {disable: [KS101]}` for the whole file.
Rules may be named by code, by name, by check name or by code prefix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from auditor.models import Finding

_COMMENT = re.compile(r"<!--\s*auditor-(disable-next-line|disable-line|disable|enable)\b([^>]{0,500}?)-->")

Resolver = Callable[[str], list[str]]
_EVERY = "*"


@dataclass
class Suppressions:
    whole_file: set[str] = field(default_factory=set)
    # (first line, last line or None for "to the end", codes)
    ranges: list[tuple[int, int | None, frozenset[str]]] = field(default_factory=list)

    def hides(self, finding: Finding) -> bool:
        if _matches(self.whole_file, finding.rule):
            return True
        return any(
            first <= finding.line and (last is None or finding.line <= last) and _matches(codes, finding.rule)
            for first, last, codes in self.ranges
        )


def _matches(codes: Iterable[str], rule: str) -> bool:
    return any(code in (_EVERY, rule) for code in codes)


def _codes(raw: str, resolve: Resolver) -> frozenset[str]:
    names = [n for n in re.split(r"[\s,]+", raw.strip()) if n]
    if not names:
        return frozenset({_EVERY})
    codes: set[str] = set()
    for name in names:
        codes.update(resolve(name) or [name])
    return frozenset(codes)


def parse(source: str, front_matter: dict[str, Any], resolve: Resolver) -> Suppressions:
    result = Suppressions()
    directive = front_matter.get("auditor")
    if isinstance(directive, dict):
        disabled = directive.get("disable", [])
        if isinstance(disabled, str):
            disabled = [disabled]
        if isinstance(disabled, list):
            result.whole_file.update(_codes(" ".join(map(str, disabled)), resolve) if disabled else {_EVERY})
    if "auditor-" not in source:
        return result
    lines = source.split("\n")
    open_ranges: dict[str, int] = {}  # code -> line where it was disabled
    for lineno, line in enumerate(lines, start=1):
        for match in _COMMENT.finditer(line):
            kind, codes = match.group(1), _codes(match.group(2), resolve)
            if kind == "disable-line":
                result.ranges.append((lineno, lineno, codes))
            elif kind == "disable-next-line":
                target = next((n for n in range(lineno + 1, len(lines) + 1) if lines[n - 1].strip()), lineno + 1)
                result.ranges.append((target, target, codes))
            elif kind == "disable":
                for code in codes:
                    open_ranges.setdefault(code, lineno)
            else:
                closing = list(open_ranges) if _EVERY in codes else [c for c in codes if c in open_ranges]
                for code in closing:
                    result.ranges.append((open_ranges.pop(code), lineno, frozenset({code})))
    for code, start in open_ranges.items():
        result.ranges.append((start, None, frozenset({code})))
    return result
