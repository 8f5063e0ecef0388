"""JUnit XML, for CI systems that show test reports: a test suite per file, a failing test case per finding.

A file without findings is a suite with one passing case, so every audited
file shows up. The failure's `type` is the severity, its text the evidence.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from auditor.report import Report


def render(report: Report, out: TextIO, color: bool = False) -> None:
    total = sum(len(r.findings) for r in report.files)
    cases = sum(max(len(r.findings), 1) for r in report.files)
    root = ET.Element("testsuites", name="auditor", tests=str(cases), failures=str(total), errors="0")
    for result in report.files:
        suite = ET.SubElement(
            root,
            "testsuite",
            name=result.path,
            tests=str(max(len(result.findings), 1)),
            failures=str(len(result.findings)),
            errors="0",
            skipped="0",
        )
        if not result.findings:
            ET.SubElement(suite, "testcase", name="no findings", classname=result.path, file=result.path)
        for f in result.findings:
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"{f.rule} {f.name} at {f.line}:{f.column}",
                classname=result.path,
                file=f.path,
                line=str(f.line),
            )
            failure = ET.SubElement(case, "failure", message=f"{f.rule} {f.message}", type=f.severity.value)
            failure.text = f"{f.path}:{f.line}:{f.column}: {f.rule} [{f.severity.value}] {f.message}\n"
            if f.evidence:
                failure.text += f"evidence: {f.evidence}\n"
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
