"""Reporters: a Report in, text out. Each format is one module with a `render` function.

The maps below name each format's module and function, and import a module
only when its format is looked up: a run imports the reporter it writes with,
not all ten (the HTML one alone pulls in its charts and page views).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from auditor.engine.results import FileResult
    from auditor.report import Report

Renderer = Callable[["Report", TextIO, bool], None]


class _Lazy(Mapping[str, Any]):
    """A format's function, looked up in its module of `auditor.reporters` on first use."""

    def __init__(self, where: dict[str, tuple[str, str]]) -> None:
        self._where = where

    def __getitem__(self, name: str) -> Any:
        module, function = self._where[name]
        return getattr(importlib.import_module(f"auditor.reporters.{module}"), function)

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


# The formats `--format` accepts, in the order `--help` lists them.
FORMATS: Mapping[str, Renderer] = _Lazy(
    {
        "text": ("text", "render"),
        "concise": ("concise", "render"),
        "json": ("json_report", "render"),
        "json-lines": ("json_lines", "render"),
        "sarif": ("sarif", "render"),
        "github": ("github", "render"),
        "junit": ("junit", "render"),
        "gitlab": ("gitlab", "render"),
        "rdjson": ("rdjson", "render"),
        "html": ("html", "render"),
    }
)

# Formats that read the pages' text (`FileResult.text`), which the engine then keeps for them: the HTML
# report shows it, rdjson counts columns in UTF-8 bytes with it.
NEEDS_TEXT = frozenset({"html", "rdjson"})

# Formats that can be written page by page as results arrive, for runs too large to hold in one report.
STREAMED: Mapping[str, Callable[[FileResult, TextIO], None]] = _Lazy({"json-lines": ("json_lines", "render_page")})

# The formats that end with a summary line, rendered without it for `--quiet`;
# the others are nothing but findings already.
FINDINGS_ONLY: Mapping[str, Renderer] = _Lazy(
    {
        "text": ("text", "render_findings"),
        "concise": ("concise", "render_findings"),
    }
)

# `--statistics`: counts per rule instead of the findings, as a table or (with `--format json`) as JSON.
STATISTICS: Mapping[str, Renderer] = _Lazy(
    {
        "text": ("statistics", "render"),
        "json": ("statistics", "render_json"),
    }
)
