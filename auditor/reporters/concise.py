"""The concise report: one line per finding, `path:line:col: CODE [severity] message`, then the summary."""

from __future__ import annotations

from typing import TextIO

from auditor.report import Report
from auditor.reporters.text import summary_line


def render(report: Report, out: TextIO, color: bool = False) -> None:
    render_findings(report, out, color)
    out.write(summary_line(report) + "\n")


def render_findings(report: Report, out: TextIO, color: bool = False) -> None:
    """The finding lines without the summary line (`--quiet`)."""
    for result in report.files:
        for f in result.findings:
            out.write(f"{f.path}:{f.line}:{f.column}: {f.rule} [{f.severity.value}] {f.message}\n")
