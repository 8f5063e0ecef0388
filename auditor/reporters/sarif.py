"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

`tool.driver.rules` lists every rule of the registry (name, one-line and full
description, how to fix it, default level); each result points at its rule
by id and index, and carries a `partialFingerprints` entry that does not
depend on the line number (see auditor.reporters.fingerprint), so code scanning keeps
one alert per finding when the page is edited above it. Columns are counted
in characters (`columnKind: unicodeCodePoints`), end columns are exclusive.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath
from typing import Any, TextIO
from urllib.parse import quote

from auditor import __version__
from auditor.models import Severity
from auditor.registry import RegisteredRule, default_registry
from auditor.report import Report
from auditor.reporters.fingerprint import identify

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "auditorFinding/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_HEADING = re.compile(r"^\*\*(.+?)\*\*\s*$", re.MULTILINE)


def _sections(docs: str) -> dict[str, str]:
    """The docstring's `**Heading**` sections, by heading."""
    parts = _HEADING.split(docs)
    return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def _help(registered: RegisteredRule) -> str:
    """How to fix or silence a finding of the rule: its Better and Silence it sections."""
    rule = registered.rule
    sections = _sections(rule.docs())
    parts = [f"**{title}**\n{sections[title]}" for title in ("Better", "Silence it") if title in sections]
    parts.append(f"`auditor explain {rule.code}` prints the rule's full documentation.")
    return "\n\n".join(parts)


def _rule(registered: RegisteredRule) -> dict[str, Any]:
    rule = registered.rule
    help_text = _help(registered)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": rule.docs(), "markdown": rule.docs()},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": LEVELS[rule.default_severity]},
        "properties": {"check": registered.check.name, "tags": [registered.check.name]},
    }


def artifact_uri(path: str) -> str:
    """A path as a URI: relative paths stay relative (to the folder the audit ran in)."""
    pure = PurePath(path)
    if pure.is_absolute():
        return pure.as_uri()
    return quote(pure.as_posix(), safe="/")


def document(report: Report) -> dict[str, Any]:
    rules = list(default_registry())
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    for finding, identity in identify(f for result in report.files for f in result.findings):
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(finding.path)},
                        "region": {
                            "startLine": finding.line,
                            "startColumn": finding.column,
                            "endLine": max(finding.end_line, finding.line),
                            "endColumn": max(finding.end_column, 1),
                        },
                    }
                }
            ],
            "partialFingerprints": {FINGERPRINT_KEY: identity.fingerprint()},
            "properties": {"evidence": finding.evidence, "name": finding.name, "check": finding.check},
        }
        if finding.rule in index:
            result["ruleIndex"] = index[finding.rule]
        results.append(result)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "auditor",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_rule(r) for r in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "artifacts": [{"location": {"uri": artifact_uri(r.path)}} for r in report.files],
                "results": results,
            }
        ],
    }


def render(report: Report, out: TextIO, color: bool = False) -> None:
    json.dump(document(report), out, ensure_ascii=False, indent=2)
    out.write("\n")
