"""The report formats, through the real command on examples/: each parses with a standard parser
and carries every finding of the JSON report."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import jsonschema
import pytest

from auditor.registry import default_registry

from .conftest import FIXTURES, insert_line_at_top
from .test_cli import run

ROOT = Path(__file__).parents[1]
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


@cache
def examples(fmt: str) -> str:
    result = run("check", "examples/", "--format", fmt, cwd=ROOT)
    assert result.returncode == 1, result.stderr
    return result.stdout


@cache
def expected() -> list[tuple[str, str, int, int]]:
    """(path, rule, line, column) of every finding of the JSON report on examples/."""
    report = json.loads(examples("json"))
    found = [(f["path"], x["rule"], x["line"], x["column"]) for f in report["files"] for x in f["findings"]]
    assert len(found) > 20
    return sorted(found)


def test_sarif_validates_against_the_official_schema() -> None:
    document = json.loads(examples("sarif"))
    jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft7Validator)
    run_ = document["runs"][0]
    located = sorted(
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        )
        for r in run_["results"]
    )
    assert located == expected()


def test_sarif_rules_come_from_the_registry() -> None:
    rules = json.loads(examples("sarif"))["runs"][0]["tool"]["driver"]["rules"]
    registry = list(default_registry())
    assert [r["id"] for r in rules] == [r.code for r in registry]
    for described, registered in zip(rules, registry, strict=True):
        assert described["name"] == registered.name
        assert described["shortDescription"]["text"] == registered.rule.summary()
        assert described["fullDescription"]["text"] == registered.rule.docs()
        assert "**Better**" in described["help"]["text"]
        level = {"error": "error", "warning": "warning", "info": "note"}[registered.rule.default_severity.value]
        assert described["defaultConfiguration"]["level"] == level
    results = json.loads(examples("sarif"))["runs"][0]["results"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert {r["level"] for r in results} == {"error", "warning", "note"}


def test_sarif_fingerprints_are_unique_and_survive_a_line_inserted_above(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    before = json.loads(run("check", "examples", "--format", "sarif", cwd=tmp_path).stdout)["runs"][0]["results"]
    for page in (tmp_path / "examples").rglob("*.*"):
        if page.suffix in (".md", ".html"):
            insert_line_at_top(page)
    after = json.loads(run("check", "examples", "--format", "sarif", cwd=tmp_path).stdout)["runs"][0]["results"]

    def prints(results: list[dict]) -> dict[str, int]:
        return {
            r["partialFingerprints"]["auditorFinding/v1"]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
            for r in results
        }

    assert len(prints(before)) == len(before)
    assert prints(before).keys() == prints(after).keys()
    moves = [prints(after)[key] - line for key, line in prints(before).items()]
    assert set(moves) == {0, 1} and moves.count(1) > len(moves) / 2  # findings in front matter stay put


def test_junit_parses_and_has_a_failure_per_finding() -> None:
    root = ET.fromstring(examples("junit").encode("utf-8"))
    failures = [(case.get("file"), case.find("failure"), case.get("line")) for case in root.iter("testcase")]
    found = sorted(
        (path, failure.get("message").split()[0], int(line)) for path, failure, line in failures if failure is not None
    )
    assert found == [(path, rule, line) for path, rule, line, _ in expected()]
    assert int(root.get("failures")) == len(expected())
    suites = [suite.get("name") for suite in root.iter("testsuite")]
    assert suites == [f["path"] for f in json.loads(examples("json"))["files"]]


def test_gitlab_code_quality_parses_and_carries_every_finding() -> None:
    issues = json.loads(examples("gitlab"))
    found = sorted((i["location"]["path"], i["check_name"].split()[0], i["location"]["lines"]["begin"]) for i in issues)
    assert found == [(path, rule, line) for path, rule, line, _ in expected()]
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert {i["severity"] for i in issues} <= {"info", "minor", "major", "critical", "blocker"}
    assert all(i["description"] and i["check_name"] for i in issues)


def test_json_lines_and_concise_have_one_line_per_finding() -> None:
    records = [json.loads(line) for line in examples("json-lines").splitlines()]
    assert sorted((r["path"], r["rule"], r["line"], r["column"]) for r in records) == expected()
    lines = examples("concise").splitlines()
    assert len(lines) == len(expected()) + 1 and lines[-1].startswith("Found ")
    assert sorted((*tuple(line.split(": ", 2)[0].split(":")), line.split()[1]) for line in lines[:-1]) == sorted(
        (path, str(line), str(col), rule) for path, rule, line, col in expected()
    )


def test_rdjson_counts_columns_in_utf8_bytes() -> None:
    diagnostics = json.loads(examples("rdjson"))["diagnostics"]
    assert len(diagnostics) == len(expected())
    by_char = {(p, r, line): col for p, r, line, col in expected()}
    title = next(d for d in diagnostics if d["code"]["value"] == "PL402" and "esim" in d["location"]["path"])
    start = title["location"]["range"]["start"]
    path = title["location"]["path"]
    text = (ROOT / path).read_text(encoding="utf-8").split("\n")[start["line"] - 1]
    char_column = by_char[(path, "PL402", start["line"])]
    assert start["column"] == len(text[: char_column - 1].encode("utf-8")) + 1 > char_column


def test_github_annotations_escape_properties_and_message(tmp_path: Path) -> None:
    (tmp_path / "a,b:c.md").write_text((FIXTURES / "twins" / "promo.md").read_text(encoding="utf-8"), encoding="utf-8")
    lines = run("check", "a,b:c.md", "--format", "github", cwd=tmp_path).stdout.splitlines()
    assert len(lines) == 11  # the page verdict (line 1) and the page's ten findings
    first = lines[1]
    assert first.startswith("::error file=a%2Cb%3Ac.md,line=2,col=27,endLine=2,endColumn=")
    assert ",title=PL402 link-in-title::a messaging contact in the title" in first
    assert "%0Aevidence: " in first and "\n" not in first


@pytest.mark.parametrize("fmt", ["concise", "json-lines", "sarif", "github", "junit", "gitlab", "rdjson"])
def test_every_format_is_offered_by_the_cli(fmt: str) -> None:
    assert examples(fmt).strip()
