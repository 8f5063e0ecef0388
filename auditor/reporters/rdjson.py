"""Reviewdog Diagnostic Format (rdjson), for `reviewdog -f=rdjson`.

Reviewdog counts columns in UTF-8 bytes, the auditor in characters, so each
column is converted with the text of its line, read again from the file; a
page that cannot be read again (standard input) keeps character columns.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, TextIO

from auditor.loading import LoadError, decode
from auditor.models import Finding, Severity
from auditor.parsing import format_of
from auditor.report import Report

SEVERITIES = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"}


@cache
def _lines(path: str) -> tuple[str, ...] | None:
    try:
        with open(path, "rb") as handle:
            text, _ = decode(handle.read(), format_of(path) or "markdown")
    except (OSError, LoadError):
        return None
    return tuple(text.split("\n"))


def _byte_column(path: str, line: int, column: int, readable: bool) -> int:
    lines = _lines(path) if readable else None
    if lines is None or not 1 <= line <= len(lines):
        return column
    return len(lines[line - 1][: column - 1].encode("utf-8")) + 1


def _diagnostic(f: Finding, readable: bool) -> dict[str, Any]:
    start = {"line": f.line, "column": _byte_column(f.path, f.line, f.column, readable)}
    end = {"line": f.end_line, "column": _byte_column(f.path, f.end_line, f.end_column, readable)}
    message = f"{f.message} (evidence: {f.evidence})" if f.evidence else f.message
    return {
        "message": message,
        "location": {"path": f.path, "range": {"start": start, "end": end}},
        "severity": SEVERITIES[f.severity],
        "code": {"value": f.rule},
        "original_output": f"{f.path}:{f.line}:{f.column}: {f.rule} [{f.severity.value}] {f.message}",
    }


def render(report: Report, out: TextIO, color: bool = False) -> None:
    try:
        # A link out of the audited tree (IO010) is not read again here either.
        diagnostics = [_diagnostic(f, not result.outside) for result in report.files for f in result.findings]
    finally:
        _lines.cache_clear()
    document = {"source": {"name": "auditor"}, "diagnostics": diagnostics}
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")
