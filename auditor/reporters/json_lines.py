"""JSON Lines: one JSON object per finding (its path, then the fields of the JSON report), nothing else.

It is the one format that can be written page by page as results arrive
(`render_page`), so a consumer (jq, a loader) can follow a crawl audit while
it runs; clean pages write nothing.
"""

from __future__ import annotations

import json
from typing import TextIO

from auditor.engine.results import FileResult
from auditor.report import Report


def render(report: Report, out: TextIO, color: bool = False) -> None:
    for result in report.files:
        render_page(result, out)


def render_page(result: FileResult, out: TextIO) -> None:
    for finding in result.findings:
        out.write(json.dumps({"path": result.path, **finding.to_dict()}, ensure_ascii=False) + "\n")
    if result.findings:
        out.flush()
