"""Reports written page by page, as results arrive, for runs too large to hold in one report.

`json-lines`: one finding a line, as a JSON object with its `path`, in
report order; clean pages write nothing. Each line is flushed, so a
consumer (jq, a loader) can follow a crawl audit while it runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TextIO

from auditor.engine import FileResult


def json_lines(result: FileResult, out: TextIO) -> None:
    for finding in result.findings:
        out.write(json.dumps({"path": result.path, **finding.to_dict()}, ensure_ascii=False) + "\n")
    if result.findings:
        out.flush()


# Formats written page by page; `--format` accepts them beside the reporters of a whole Report.
STREAMED: dict[str, Callable[[FileResult, TextIO], None]] = {"json-lines": json_lines}
