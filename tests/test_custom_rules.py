"""Rules declared as data in the config: each kind, their errors, and every place a run builds its registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.config import ConfigError, load_config
from auditor.engine.auditor import Auditor
from auditor.kinds import registry_for
from auditor.registry import default_registry

from .test_cli import run

EXISTENCE = """
[[custom-rules]]
code = "XY101"
name = "no-miracle-words"
kind = "existence"
message = "‘{match}’ promises too much"
severity = "error"
description = "Our style guide bans these words."
tokens.en = ["miracle cure"]
tokens.zh = ["神药"]
"""

PAGE = """# Remedies

A miracle cure for colds, they say.

<!-- auditor-disable-next-line XY101 -->
Another miracle cure, silenced.

这是神药。

```text
miracle cure in code is not prose
```
"""


def project(tmp_path: Path, config: str, pages: dict[str, str] | None = None) -> Path:
    (tmp_path / "auditor.toml").write_text(config, encoding="utf-8")
    for name, body in (pages or {"page.md": PAGE}).items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    return tmp_path


def custom(report: str) -> list[dict]:
    """The custom rules' findings of a JSON report."""
    return [f for page in json.loads(report)["files"] for f in page["findings"] if f["rule"].startswith("XY")]


def findings(folder: Path, *args: str) -> list[dict]:
    result = run("check", ".", "--no-cache", "--format", "json", *args, cwd=folder)
    assert result.returncode in (0, 1), result.stderr
    return custom(result.stdout)


def test_existence_rule_fires_at_the_exact_place_and_a_disable_comment_silences_it(tmp_path: Path) -> None:
    found = findings(project(tmp_path, EXISTENCE))
    assert [(f["line"], f["column"], f["end_column"], f["severity"]) for f in found] == [
        (3, 3, 15, "error"),
        (8, 3, 5, "error"),
    ]
    assert found[0]["message"] == "‘miracle cure’ promises too much"
    assert found[0]["check"] == "custom"


def test_select_and_ignore_resolve_custom_names(tmp_path: Path) -> None:
    folder = project(tmp_path, EXISTENCE)
    assert findings(folder, "--ignore", "no-miracle-words") == []
    assert len(findings(folder, "--select", "XY101")) == 2


def test_rules_and_explain_show_custom_rules(tmp_path: Path) -> None:
    folder = project(tmp_path, EXISTENCE)
    listing = run("rules", cwd=folder)
    assert any(line.split()[:3] == ["XY101", "no-miracle-words", "custom"] for line in listing.stdout.splitlines())
    listed = json.loads(run("rules", "--json", cwd=folder).stdout)
    assert {"code": "XY101", "name": "no-miracle-words", "check": "custom", "severity": "error"}.items() <= next(
        r for r in listed if r["code"] == "XY101"
    ).items()
    explained = run("explain", "no-miracle-words", cwd=folder)
    assert explained.returncode == 0
    assert "Our style guide bans these words." in explained.stdout
    assert "auditor.toml" in explained.stdout


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('code = "XY101"', 'code = "xy1"'), "code 'xy1' must be 2-3 capital letters"),
        (('code = "XY101"', 'code = "KS101"'), "code 'KS101' is taken by KS101 (keyword-stuffing)"),
        (('kind = "existence"', 'kind = "regex"'), "kind 'regex' is not one of existence, occurrence, claim, link"),
        (('severity = "error"', 'severity = "error"\nlevel = 3'), "unknown key 'level' for a existence rule"),
        (('name = "no-miracle-words"', 'name = "No Miracles"'), "name 'No Miracles' must be kebab-case"),
    ],
)
def test_a_bad_custom_rule_is_exit_2_with_a_clear_message(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    folder = project(tmp_path, EXISTENCE.replace(*change))
    result = run("check", ".", "--no-cache", cwd=folder)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_two_jobs_report_custom_rules_as_one_job_does(tmp_path: Path) -> None:
    pages = {f"page{i}.md": PAGE for i in range(6)}
    folder = project(tmp_path, EXISTENCE, pages)
    one = run("check", ".", "--no-cache", "--format", "json", "--jobs", "1", cwd=folder)
    two = run("check", ".", "--no-cache", "--format", "json", "--jobs", "2", cwd=folder)
    assert one.stdout == two.stdout
    assert len(custom(one.stdout)) == 12


def test_changing_a_custom_rule_re_audits_a_cached_page(tmp_path: Path) -> None:
    folder = project(tmp_path, EXISTENCE)
    first = run("check", ".", "--format", "json", cwd=folder)
    assert len(custom(first.stdout)) == 2
    (folder / "auditor.toml").write_text(EXISTENCE.replace('"miracle cure"', '"colds"'), encoding="utf-8")
    second = run("check", ".", "--format", "json", cwd=folder)
    assert [f["evidence"] for f in custom(second.stdout)] == ["colds", "神药"]


def test_rules_from_a_folder_of_yaml_files(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "shortener.yml").write_text(
        "code: XY104\nname: banned-shortener\nkind: link\nmessage: 'link to {url} hides where it goes'\n"
        "hosts: [bit.ly]\n",
        encoding="utf-8",
    )
    page = "# Links\n\nSee [this](https://go.bit.ly/x) and [that](https://example.org/y).\n"
    folder = project(tmp_path, 'custom-rules-dir = "rules"\n', {"page.md": page})
    found = findings(folder)
    assert [(f["line"], f["column"], f["message"]) for f in found] == [
        (3, 12, "link to https://go.bit.ly/x hides where it goes")
    ]


def rule_hits(tmp_path: Path, definition: str, page: str) -> list[tuple[int, int, str]]:
    (tmp_path / "auditor.toml").write_text("[[custom-rules]]\n" + definition, encoding="utf-8")
    config = load_config(default_registry(), start=tmp_path)
    assert registry_for(config).find("probe") is not None
    result = Auditor(registry_for(config), config, site=False).audit_text("page.md", page, "markdown")
    return [(f.line, f.column, f.message) for f in result.findings if f.rule == "XY200"]


HEAD = 'code = "XY200"\nname = "probe"\n'


@pytest.mark.parametrize(
    ("definition", "page", "expected"),
    [
        ('kind = "existence"\ntokens = ["acme"]\n', "# T\n\nWe like Acme a lot.\n", [(3, 9, "found Acme")]),
        ('kind = "existence"\ntokens = ["acme"]\n', "# T\n\nWe like acmes, not the word.\n", []),
        (
            'kind = "occurrence"\ntokens = ["acme"]\nmax = 2\nmessage = "{match} {count} times"\n',
            "# T\n\nAcme here. Acme there. And acme again.\n",
            [(3, 1, "Acme 3 times")],
        ),
        ('kind = "occurrence"\ntokens = ["acme"]\nmax = 3\n', "# T\n\nAcme here. Acme there. And acme again.\n", []),
        (
            'kind = "occurrence"\ntokens = ["acme"]\nmax-share = 0.2\nmessage = "{share}"\n',
            "# T\n\nAcme and acme and words.\n",
            [(3, 1, "33.3%")],
        ),
        (
            'kind = "claim"\ntokens = ["clinically proven"]\n',
            "# T\n\nIt is clinically proven.\n",
            [(3, 7, "found clinically proven")],
        ),
        (
            'kind = "claim"\ntokens = ["clinically proven"]\n',
            "# T\n\nIt is clinically proven ([trial](https://example.org/trial)).\n",
            [],
        ),
        (
            'kind = "claim"\ntokens = ["clinically proven"]\n',
            "# T\n\nIt is clinically proven to cut colds by 40%.\n",
            [],
        ),
        (
            'kind = "link"\npatterns = ["[?&]ref="]\nmessage = "tracked {url}"\n',
            "# T\n\nBuy [here](https://shop.example/x?ref=me).\n",
            [(3, 12, "tracked https://shop.example/x?ref=me")],
        ),
        ('kind = "link"\nhosts = ["bit.ly"]\n', "# T\n\nSee [docs](https://notbit.ly/x).\n", []),
    ],
)
def test_each_kind_fires_and_holds_back(
    tmp_path: Path, definition: str, page: str, expected: list[tuple[int, int, str]]
) -> None:
    message = "" if "message" in definition else 'message = "found {match}"\n'
    assert rule_hits(tmp_path, HEAD + message + definition, page) == expected


def test_a_kinds_own_limits_are_checked(tmp_path: Path) -> None:
    (tmp_path / "auditor.toml").write_text(
        '[[custom-rules]]\ncode = "XY200"\nname = "probe"\nmessage = "m"\nkind = "occurrence"\ntokens = ["a"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="needs max, max-share or both"):
        load_config(default_registry(), start=tmp_path)


WEIGHED = """
[[custom-rules]]
code = "XY105"
name = "house-brand"
kind = "existence"
message = "‘{match}’ named again"
tokens = ["Zantrex"]
"""

# Three plain mentions of a brand: no built-in rule objects to them.
BRAND_PAGE = """# Notes on a kettle

Zantrex makes the kettle I use.

I bought the Zantrex model last spring.

The Zantrex lid sticks a little when hot.
"""


def verdicts(folder: Path, *args: str) -> dict[str, tuple[int, str]]:
    result = run("check", *args, "--no-cache", "--format", "json", cwd=folder)
    assert result.returncode in (0, 1), result.stderr
    files = json.loads(result.stdout)["files"]
    return {p["path"]: (f["line"], f["message"]) for p in files for f in p["findings"] if f["rule"] == "PV501"}


@pytest.mark.parametrize("args", [("page.md",), (".",), (".", "--jobs", "2")], ids=["page", "site", "two-jobs"])
def test_a_custom_rule_with_a_weight_tips_the_page_verdict(tmp_path: Path, args: tuple[str, ...]) -> None:
    pages = {"page.md": BRAND_PAGE, "other.md": "# Other\n\nA plain page about tea.\n"}
    folder = project(tmp_path, WEIGHED + "weight = 2\n", pages)
    assert [(f["line"], f["rule"]) for f in findings(folder)] == [(3, "XY105"), (5, "XY105"), (7, "XY105")]
    assert verdicts(folder, *args) == {"page.md": (1, "reads as promotion (score 6.0 ≥ 5.0): XY105 ×3 (6.0)")}


def test_a_custom_rule_without_a_weight_does_not_move_the_verdict(tmp_path: Path) -> None:
    folder = project(tmp_path, WEIGHED, {"page.md": BRAND_PAGE})
    assert len(findings(folder)) == 3
    assert verdicts(folder, ".") == {}


def test_a_custom_weight_is_counted_up_to_the_verdicts_cap(tmp_path: Path) -> None:
    # 1.5 a finding: three findings are 4.5, under the threshold of 5; a fourth is over the cap of 3.
    folder = project(tmp_path, WEIGHED + "weight = 1.5\n", {"page.md": BRAND_PAGE + "\nZantrex again.\n"})
    assert len(findings(folder)) == 4
    assert verdicts(folder, ".") == {}


@pytest.mark.parametrize("weight", ["-1", "true", '"2"', "nan", "inf"])
def test_a_bad_weight_is_exit_2_naming_the_rule(tmp_path: Path, weight: str) -> None:
    folder = project(tmp_path, WEIGHED + f"weight = {weight}\n", {"page.md": BRAND_PAGE})
    result = run("check", ".", "--no-cache", cwd=folder)
    assert result.returncode == 2
    assert "custom-rules[0]: weight" in result.stderr and "must be a number, 0 or more" in result.stderr
    assert "Traceback" not in result.stderr


def test_explain_gives_a_custom_rules_weight(tmp_path: Path) -> None:
    folder = project(tmp_path, WEIGHED + "weight = 2\n", {"page.md": BRAND_PAGE})
    explained = run("explain", "XY105", cwd=folder)
    assert "each finding weighs 2 in the page verdict (PV501)" in explained.stdout


def test_word_lists_may_be_files_beside_the_config_or_the_rule_file(tmp_path: Path) -> None:
    (tmp_path / "words").mkdir()
    (tmp_path / "words" / "banned.txt").write_text("# Our banned words.\nmiracle cure\n神药\n", encoding="utf-8")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "colds.yml").write_text(
        "code: XY106\nname: no-colds\nkind: existence\nmessage: '{match}'\ntokens-files: [colds.txt]\n",
        encoding="utf-8",
    )
    (tmp_path / "rules" / "colds.txt").write_text("colds\n", encoding="utf-8")
    config = EXISTENCE.replace(
        'tokens.en = ["miracle cure"]\ntokens.zh = ["神药"]\n', 'tokens-files = ["words/banned.txt"]\n'
    )
    found = findings(project(tmp_path, 'custom-rules-dir = "rules"\n' + config))
    assert [(f["rule"], f["line"], f["column"]) for f in found] == [("XY101", 3, 3), ("XY106", 3, 20), ("XY101", 8, 3)]


@pytest.mark.parametrize(
    ("lists", "expected"),
    [
        ('tokens-files = ["missing.txt"]\n', "tokens-files: cannot read missing.txt"),
        ('tokens = ["a"]\ntokens-files = ["w.txt"]\n', "give tokens or tokens-files, not both"),
    ],
)
def test_a_word_list_file_that_cannot_be_used_is_exit_2(tmp_path: Path, lists: str, expected: str) -> None:
    (tmp_path / "w.txt").write_text("a\n", encoding="utf-8")
    config = '[[custom-rules]]\ncode = "XY107"\nname = "probe"\nkind = "existence"\nmessage = "m"\n' + lists
    result = run("check", ".", "--no-cache", cwd=project(tmp_path, config))
    assert result.returncode == 2
    assert f"custom-rules[0]: {expected}" in result.stderr


GROUPED = """
[[custom-rules]]
code = "XY110"
name = "cure-claim"
kind = "claim"
group = "health"
message = "{quoted} unsourced{note}"
tokens = ["cures colds", "cures"]
weak = ["cures"]
grading = { error_claims = 2, error_kinds = 2, error_claims_with_title = 2, error_strong = 2 }

[[custom-rules]]
code = "XY111"
name = "safety-claim"
kind = "claim"
group = "health"
message = "{quoted} unsourced{note}"
tokens = ["perfectly safe", "no side effects"]
figures = false
grading = { error_claims = 2, error_kinds = 2, error_claims_with_title = 2, error_strong = 2 }
"""


def test_claim_rules_of_a_group_share_sentences_and_are_graded_together(tmp_path: Path) -> None:
    page = "# Tea\n\nThis tea cures colds.\n\nIt is perfectly safe, with no side effects.\n"
    found = findings(project(tmp_path, GROUPED, {"page.md": page}))
    # ‘cures’ inside ‘cures colds’ counts once; three distinct claims of two rules, two of them strong.
    note = " (page makes 3 unsupported claims of 2 kinds)"
    assert [(f["rule"], f["line"], f["column"], f["severity"], f["message"]) for f in found] == [
        ("XY110", 3, 10, "error", "‘cures colds’ unsourced" + note),
        ("XY111", 5, 7, "error", "‘perfectly safe’, ‘no side effects’ unsourced" + note),
    ]
    # One rule's claims alone stay warnings; a figure backs the rule with figures but not the one without.
    alone = findings(project(tmp_path, GROUPED, {"page.md": "# Tea\n\nIt cures 40% of colds, perfectly safe.\n"}))
    assert [(f["rule"], f["severity"], f["message"]) for f in alone] == [
        ("XY111", "warning", "‘perfectly safe’ unsourced")
    ]


def test_the_built_in_claim_rules_are_declared_as_data() -> None:
    explained = run("explain", "UC303")
    assert explained.stdout.startswith("UC303 (guarantee-claim), check unverifiable-claims, default severity warning")
    assert (
        "Declared as data (claim rule) in auditor_checks/unverifiable_claims/rules.toml: rules[2]." in explained.stdout
    )
    assert (
        "Defaults: error-claims = 3, error-kinds = 2, error-claims-with-title = 3, error-strong = 2" in explained.stdout
    )


FRAMED = """
[[custom-rules]]
code = "XY120"
name = "house-cliches"
kind = "occurrence"
message = "{count} cliché{s} ({places})"
in = "paragraphs"
distinct = true
by-language = true
tokens.en = ["at the end of the day"]
tokens.zh = ["说白了"]
opening.en = ["once upon a time"]
closing.en = ["that is all folks"]
grading = { edge_paragraphs = 1, warning_phrases = 2, error_phrases = 2 }
"""


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        # Opened and closed by stock lines: an error, at the first; each phrase counted once.
        (
            "# Notes\n\nOnce upon a time the kettle was new.\n\nAt the end of the day, at the end of the day, "
            "it boils.\n\nThat is all folks, really.\n",
            (
                3,
                1,
                "error",
                "3 clichés (body, closing, opening)",
                "‘Once upon a time’ (opening, line 3); "
                "‘At the end of the day’ (body, line 5); ‘That is all folks’ (closing, line 7)",
            ),
        ),
        # An opening phrase past the first paragraph is no opening; one phrase is information.
        (
            "# Notes\n\nThe kettle was new then.\n\nOnce upon a time it boiled fast.\n",
            None,
        ),
        (
            "# Notes\n\nThe kettle, at the end of the day, boils.\n\nNothing more here.\n",
            (3, 13, "info", "1 cliché (body)", "‘at the end of the day’ (body, line 3)"),
        ),
        # Lists by language: the Chinese list is read in Chinese paragraphs only.
        (
            "# Notes\n\nThe kettle is fine, 说白了 it boils.\n\n说白了，这个水壶很好用。\n",
            (5, 1, "info", "1 cliché (body)", "‘说白了’ (body, line 5)"),
        ),
    ],
)
def test_an_occurrence_rule_counts_distinct_phrases_by_place_and_grades_them(
    tmp_path: Path, page: str, expected: tuple | None
) -> None:
    found = findings(project(tmp_path, FRAMED, {"page.md": page}))
    got = [(f["line"], f["column"], f["severity"], f["message"], f["evidence"]) for f in found]
    assert got == ([expected] if expected else [])


def test_the_built_in_stock_phrase_rule_is_declared_as_data() -> None:
    explained = run("explain", "stock-phrase")
    assert "Declared as data (occurrence rule) in auditor_checks/templated_sections/rules.toml: rules[0]." in (
        explained.stdout
    )
    assert "Defaults: edge-paragraphs = 3, warning-phrases = 2, error-phrases = 3" in explained.stdout
