"""Reviewdog Diagnostic Format (rdjson), for `reviewdog -f=rdjson`.

Reviewdog counts columns in UTF-8 bytes, the auditor in characters, so each
column is converted with the text of its line, which the engine keeps for this
format (`FileResult.text`); a page whose text was not kept (not read, or
audited without it) keeps character columns.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from auditor.models import Finding, PageText, Severity
from auditor.report import Report

SEVERITIES = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"}


def _byte_column(text: PageText | None, line: int, column: int) -> int:
    # Only lines with more than ASCII are kept: on the others a character is a byte.
    source = text.lines.get(line) if text is not None else None
    if source is None:
        return column
    return len(source[: column - 1].encode("utf-8", "surrogatepass")) + 1


def _diagnostic(f: Finding, text: PageText | None) -> dict[str, Any]:
    start = {"line": f.line, "column": _byte_column(text, f.line, f.column)}
    end = {"line": f.end_line, "column": _byte_column(text, f.end_line, f.end_column)}
    message = f"{f.message} (evidence: {f.evidence})" if f.evidence else f.message
    return {
        "message": message,
        "location": {"path": f.path, "range": {"start": start, "end": end}},
        "severity": SEVERITIES[f.severity],
        "code": {"value": f.rule},
        "original_output": f"{f.path}:{f.line}:{f.column}: {f.rule} [{f.severity.value}] {f.message}",
    }


def render(report: Report, out: TextIO, color: bool = False) -> None:
    diagnostics = [_diagnostic(f, result.text) for result in report.files for f in result.findings]
    document = {"source": {"name": "auditor"}, "diagnostics": diagnostics}
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")
