"""The text report: `path:line:col: CODE message`, the evidence under it, a summary line.

Findings come grouped by file in path order. Colour is used only when the
output is a terminal (and NO_COLOR is not set); the CLI decides.
"""

from __future__ import annotations

from typing import TextIO

from auditor.models import Severity
from auditor.report import Report

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def render(report: Report, out: TextIO, color: bool = False) -> None:
    render_findings(report, out, color)
    out.write(summary_line(report) + "\n")


def render_findings(report: Report, out: TextIO, color: bool = False) -> None:
    """The findings with their evidence, without the summary line (`--quiet`)."""

    def paint(value: str, style: str) -> str:
        return f"{style}{value}{_RESET}" if color else value

    for result in report.files:
        if not result.findings:
            continue
        for finding in result.findings:
            where = paint(f"{finding.path}:{finding.line}:{finding.column}:", _BOLD)
            code = paint(finding.rule, _COLORS[finding.severity])
            out.write(f"{where} {code} [{finding.severity.value}] {finding.message}\n")
            if finding.evidence:
                out.write(paint(f"    evidence: {finding.evidence}", _DIM) + "\n")
        out.write("\n")


def summary_line(report: Report) -> str:
    counts = report.summary()
    flagged = sum(1 for result in report.files if result.findings)
    total = counts["errors"] + counts["warnings"] + counts["infos"]
    files = f"{counts['files']} file{'s' if counts['files'] != 1 else ''}"
    known = f" ({report.baselined} more in the baseline)" if report.baselined else ""
    if total == 0:
        return f"All clear: no findings in {files}{known}."
    return (
        f"Found {total} finding{'s' if total != 1 else ''} "
        f"({counts['errors']} errors, {counts['warnings']} warnings, {counts['infos']} infos) "
        f"in {flagged} of {files}{known}."
    )
