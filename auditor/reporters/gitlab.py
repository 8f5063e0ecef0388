"""GitLab Code Quality JSON: a list of issues, each with a fingerprint that survives edits above it.

Severities map to GitLab's scale: error → major, warning → minor, info → info.
"""

from __future__ import annotations

import hashlib
import json
from typing import TextIO

from auditor.models import Severity
from auditor.report import Report
from auditor.reporters.fingerprint import identify

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(report: Report, out: TextIO, color: bool = False) -> None:
    issues = [
        {
            "type": "issue",
            "description": f"{f.rule} {f.message}",
            "check_name": f"{f.rule} {f.name}",
            "categories": ["Style"],
            "severity": SEVERITIES[f.severity],
            "fingerprint": hashlib.sha256(identity.fingerprint().encode("utf-8")).hexdigest()[:32],
            "content": {"body": f"evidence: {f.evidence}" if f.evidence else f.message},
            "location": {"path": f.path, "lines": {"begin": f.line, "end": max(f.end_line, f.line)}},
        }
        for f, identity in identify(f for result in report.files for f in result.findings)
    ]
    json.dump(issues, out, ensure_ascii=False, indent=2)
    out.write("\n")
