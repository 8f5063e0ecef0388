"""GitHub Actions workflow commands: one `::error …::message` annotation per finding.

Severities map to `error`, `warning` and `notice`. Values are escaped as the
Actions runner expects: `%`, CR and LF in the message; those and `:` and `,`
in the properties too.
"""

from __future__ import annotations

from typing import TextIO

from auditor.models import Severity
from auditor.report import Report

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, out: TextIO, color: bool = False) -> None:
    for result in report.files:
        for f in result.findings:
            properties = {
                "file": f.path,
                "line": str(f.line),
                "col": str(f.column),
                "endLine": str(f.end_line),
                "endColumn": str(f.end_column),
                "title": f"{f.rule} {f.name}",
            }
            props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
            message = f"{f.message}\nevidence: {f.evidence}" if f.evidence else f.message
            out.write(f"::{COMMANDS[f.severity]} {props}::{escape_data(message)}\n")
