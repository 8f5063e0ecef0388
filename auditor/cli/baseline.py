"""The baseline: findings recorded once and not reported again, so a content repo can adopt the
auditor today and hold new pages to it without first fixing every old one.

`auditor check --write-baseline FILE` records the findings of the run;
`auditor check --baseline FILE` reports only findings that are not in it.
A finding is matched by its rule, its path (relative to the baseline file's
folder) and its evidence with numbers masked (see auditor.reporters.fingerprint),
never by its line, so edits above a finding do not bring it back. When a
file has several findings with the same key, the baseline holds their count:
the first ones in source order are the known ones, any beyond the count are
new. The file is JSON, sorted and indented, so it diffs well in review:

    {
      "auditor-baseline": 1,
      "findings": [
        {"path": "blog/old-post.md", "rule": "UC301", "evidence": "the best of # tools", "count": 1}
      ]
    }
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from auditor.report import Report
from auditor.reporters.fingerprint import identify

VERSION = 1
_NOTE = (
    "Findings recorded by `auditor check --write-baseline`; `auditor check --baseline` reports only findings "
    "not listed here. Matched by rule, path and evidence (numbers masked as #), never by line."
)

Key = tuple[str, str, str]  # rule, path relative to the baseline's folder, evidence with numbers masked


class BaselineError(Exception):
    """A baseline file that cannot be read; the message names the file."""


def _path_map(report: Report, folder: Path) -> dict[str, str]:
    """Each reported path as written in a baseline kept in `folder`."""
    return {r.path: Path(os.path.relpath(Path(r.path).resolve(), folder.resolve())).as_posix() for r in report.files}


def _keys(report: Report, folder: Path) -> Counter[Key]:
    findings = [f for result in report.files for f in result.findings]
    return Counter(identity.key for _, identity in identify(findings, _path_map(report, folder)))


def write(report: Report, path: Path) -> int:
    """Record the report's findings in `path`; the number recorded."""
    counts = _keys(report, path.parent)
    entries = [
        {"path": file, "rule": rule, "evidence": evidence, "count": count}
        for (rule, file, evidence), count in sorted(
            counts.items(), key=lambda item: (item[0][1], item[0][0], item[0][2])
        )
    ]
    document = {"auditor-baseline": VERSION, "note": _NOTE, "findings": entries}
    try:
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror or exc}") from exc
    return sum(counts.values())


def load(path: Path) -> Counter[Key]:
    """The known findings of a baseline file, counted by key."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise BaselineError(f"{path}: not a baseline (invalid JSON: {exc})") from exc
    if not isinstance(document, dict) or document.get("auditor-baseline") != VERSION:
        raise BaselineError(f"{path}: not an auditor baseline of version {VERSION}")
    counts: Counter[Key] = Counter()
    for entry in document.get("findings", []):
        try:
            counts[(entry["rule"], entry["path"], entry["evidence"])] += int(entry["count"])
        except (KeyError, TypeError, ValueError):
            raise BaselineError(f"{path}: malformed entry {entry!r}") from None
    return counts


def apply(report: Report, known: Counter[Key], baseline_file: Path) -> int:
    """Drop the findings the baseline knows from `report`; the number dropped."""
    path_of = _path_map(report, baseline_file.parent)
    hidden = 0
    for result in report.files:
        kept = []
        for finding, identity in identify(result.findings, path_of):
            if identity.occurrence < known[identity.key]:
                hidden += 1
            else:
                kept.append(finding)
        result.findings = kept
    return hidden
