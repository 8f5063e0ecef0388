"""JSON Lines: one JSON object per finding (its path, then the fields of the JSON report), nothing else."""

from __future__ import annotations

import json
from typing import TextIO

from auditor.report import Report


def render(report: Report, out: TextIO, color: bool = False) -> None:
    for result in report.files:
        for finding in result.findings:
            out.write(json.dumps({"path": finding.path, **finding.to_dict()}, ensure_ascii=False) + "\n")
