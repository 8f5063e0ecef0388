"""The README's rule table and commands stay true to the code."""

from __future__ import annotations

import re
from pathlib import Path

from auditor.registry import default_registry
from auditor.reporters import FORMATS

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_rule_table_matches_the_registry() -> None:
    rows = re.findall(r"^\| ([A-Z]{2}\d{3}) \| ([a-z-]+) \| ([a-z-]+) \| (\w+) \| (.+) \|$", README, re.M)
    expected = [
        (r.code, r.name, r.check.name, r.rule.default_severity.value, r.rule.summary()) for r in default_registry()
    ]
    assert rows == expected


def test_every_check_option_of_the_cli_is_documented() -> None:
    options = ("--select", "--ignore", "--config", "--fail-on", "--format", "--output-file", "--statistics")
    options += ("--exit-zero", "--quiet", "--baseline", "--write-baseline", "--stdin-filename")
    options += ("--engine", "--scheduler", "--partition-size", "--jobs", "--no-cache", "--cache-dir")
    for option in options:
        assert f"`{option}" in README, option


def test_every_report_format_is_documented() -> None:
    table = re.findall(r"^\| `([a-z-]+)` \| .+ \| .+ \|$", README, re.M)
    assert [name for name in table if name in FORMATS] == list(FORMATS)
