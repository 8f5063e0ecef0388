"""Reporters: a Report in, text out. Each format is one module with a `render` function."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from auditor.engine import FileResult
from auditor.report import Report
from auditor.reporters import (
    concise,
    github,
    gitlab,
    html,
    json_lines,
    json_report,
    junit,
    rdjson,
    sarif,
    statistics,
    text,
)

Renderer = Callable[[Report, TextIO, bool], None]

# The formats `--format` accepts, in the order `--help` lists them.
FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "concise": concise.render,
    "json": json_report.render,
    "json-lines": json_lines.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
    "gitlab": gitlab.render,
    "rdjson": rdjson.render,
    "html": html.render,
}

# Formats that read the pages' text (`FileResult.text`), which the engine then keeps for them: the HTML
# report shows it, rdjson counts columns in UTF-8 bytes with it.
NEEDS_TEXT = frozenset({"html", "rdjson"})

# Formats that can be written page by page as results arrive, for runs too large to hold in one report.
STREAMED: dict[str, Callable[[FileResult, TextIO], None]] = {"json-lines": json_lines.render_page}

# The formats that end with a summary line, rendered without it for `--quiet`;
# the others are nothing but findings already.
FINDINGS_ONLY: dict[str, Renderer] = {
    "text": text.render_findings,
    "concise": concise.render_findings,
}

# `--statistics`: counts per rule instead of the findings, as a table or (with `--format json`) as JSON.
STATISTICS: dict[str, Renderer] = {
    "text": statistics.render,
    "json": statistics.render_json,
}
