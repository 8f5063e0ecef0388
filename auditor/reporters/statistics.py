"""`--statistics`: how many findings each rule gave, most frequent first, like ruff's.

12  UC301  superlative-claim  (9 errors, 3 warnings)
 1  KS101  term-density       (1 warning)
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from auditor.models import Severity
from auditor.report import Report


def rows(report: Report) -> list[dict[str, Any]]:
    """One row per rule that gave a finding: code, name, count and the count at each severity."""
    counts: Counter[tuple[str, str]] = Counter()
    by_severity: Counter[tuple[str, Severity]] = Counter()
    for result in report.files:
        for f in result.findings:
            counts[(f.rule, f.name)] += 1
            by_severity[(f.rule, f.severity)] += 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return [
        {
            "code": code,
            "name": name,
            "count": count,
            "errors": by_severity[(code, Severity.ERROR)],
            "warnings": by_severity[(code, Severity.WARNING)],
            "infos": by_severity[(code, Severity.INFO)],
        }
        for (code, name), count in ordered
    ]


def render(report: Report, out: TextIO, color: bool = False) -> None:
    table = rows(report)
    width = max((len(str(row["count"])) for row in table), default=1)
    name_width = max((len(row["name"]) for row in table), default=0)
    for row in table:
        parts = [
            f"{row[kind]} {kind if row[kind] != 1 else kind[:-1]}"
            for kind in ("errors", "warnings", "infos")
            if row[kind]
        ]
        out.write(f"{row['count']:>{width}}  {row['code']:6} {row['name']:{name_width}}  ({', '.join(parts)})\n")


def render_json(report: Report, out: TextIO, color: bool = False) -> None:
    json.dump(rows(report), out, ensure_ascii=False, indent=2)
    out.write("\n")
