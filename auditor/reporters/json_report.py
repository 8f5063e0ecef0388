"""The JSON report of DESIGN.md, which other tools read. Every audited file is listed."""

from __future__ import annotations

import json
from typing import TextIO

from auditor import __version__
from auditor.report import Report


def render(report: Report, out: TextIO, color: bool = False) -> None:
    document = {
        "tool": {"name": "auditor", "version": __version__},
        "files": [
            {
                "path": result.path,
                "format": result.format,
                "language": result.language,
                "findings": [finding.to_dict() for finding in result.findings],
            }
            for result in report.files
        ],
        "summary": report.summary(),
    }
    # One write of the whole text: json.dump would make one call per token, a million on a large site.
    out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
