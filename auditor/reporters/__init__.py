"""Reporters: a Report in, text out. Each format is one module with a `render` function."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from auditor.report import Report
from auditor.reporters import html, json_report, text

Renderer = Callable[[Report, TextIO, bool], None]

# The formats `--format` accepts, in the order `--help` lists them.
FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_report.render,
    "html": html.render,
}
