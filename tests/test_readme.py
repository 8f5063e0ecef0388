"""The README and docs/ stay true to the code: the rule table, the commands, the example output, the configs."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from auditor import config as config_module
from auditor.config import _TOP_KEYS as TOP_KEYS
from auditor.config import Config, ConfigError, load_config
from auditor.engine.auditor import Auditor
from auditor.registry import Check, Registry, default_registry
from auditor.reporters import FORMATS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


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
        assert f"`{option}" in CLI_DOC, option


def test_every_report_format_is_documented() -> None:
    table = re.findall(r"^\| `([a-z-]+)` \| .+ \| .+ \|$", CLI_DOC, re.M)
    assert [name for name in table if name in FORMATS] == list(FORMATS)


# --- Config snippets a user copies load through the real loader (issue 14) ---

DOCS = sorted((ROOT / "docs").glob("*.md"))
FENCED_TOML = re.compile(r"^```toml\n(.*?)^```", re.M | re.S)
INLINE_SETTING = re.compile(r"`([a-z][a-z0-9_-]* = [^`]+)`")
INLINE_NAME = re.compile(r"`([a-z][a-z0-9_]*)`")


def load_snippet(text: str, tmp_path: Path, rule: str | None = None) -> None:
    """Load a TOML snippet with the real loader: a pyproject fragment if it names [tool.auditor], else auditor.toml.

    A bare `key = value` that is not a top-level key but an option of `rule` is loaded in that rule's table.
    """
    data = tomllib.loads(text)
    if "tool" in data:
        path = tmp_path / "pyproject.toml"
    else:
        path = tmp_path / "auditor.toml"
        if rule is not None and not set(data) & TOP_KEYS:
            text = f"[rules.{rule}]\n{text}"
    path.write_text(text, encoding="utf-8")
    load_config(default_registry(), config_file=path)


def snippets_of_docs() -> list[tuple[str, str]]:
    found = [("README.md", block) for block in FENCED_TOML.findall(README)]
    for page in DOCS:
        found += [(page.name, block) for block in FENCED_TOML.findall(page.read_text(encoding="utf-8"))]
    return found


def test_the_docs_show_toml_snippets() -> None:
    names = {name for name, _ in snippets_of_docs()}
    assert "README.md" in names, "the README shows a config"


@pytest.mark.parametrize(("page", "block"), snippets_of_docs())
def test_every_toml_snippet_of_the_docs_loads(page: str, block: str, tmp_path: Path) -> None:
    try:
        load_snippet(block, tmp_path)
    except (ConfigError, tomllib.TOMLDecodeError) as exc:
        pytest.fail(f"{page}: a ```toml block the loader rejects: {exc}\n{block}")


FENCED_YAML = re.compile(r"^```yaml\n(.*?)^```", re.M | re.S)


def test_every_rule_file_shown_in_the_custom_rules_doc_loads(tmp_path: Path) -> None:
    blocks = FENCED_YAML.findall((ROOT / "docs" / "custom-rules.md").read_text(encoding="utf-8"))
    assert blocks, "the doc shows a rule file"
    (tmp_path / "rules").mkdir()
    for n, block in enumerate(blocks):
        (tmp_path / "rules" / f"rule{n}.yml").write_text(block, encoding="utf-8")
    (tmp_path / "auditor.toml").write_text('custom-rules-dir = "rules"\n', encoding="utf-8")
    config = load_config(default_registry(), start=tmp_path)
    assert len(config.custom_rules) == len(blocks)


def test_the_config_modules_example_loads(tmp_path: Path) -> None:
    doc = config_module.__doc__ or ""
    example = textwrap.dedent("\n".join(line for line in doc.splitlines() if line.startswith("    ")))
    assert "[tool.auditor.rules." in example
    (tmp_path / "auditor-rules").mkdir()  # the example's custom-rules-dir, empty
    load_snippet(example, tmp_path)


def explain_settings() -> list[tuple[str, str]]:
    return [(r.code, s) for r in default_registry() for s in INLINE_SETTING.findall(r.explanation())]


def test_explain_texts_show_config_settings() -> None:
    assert len(explain_settings()) >= len(list(default_registry())), "most rules tell how to silence them"


@pytest.mark.parametrize(("code", "setting"), explain_settings())
def test_every_config_setting_in_an_explain_text_loads(code: str, setting: str, tmp_path: Path) -> None:
    try:
        load_snippet(setting, tmp_path, rule=code)
    except (ConfigError, tomllib.TOMLDecodeError) as exc:
        pytest.fail(f"auditor explain {code}: `{setting}` is rejected: {exc}")


def test_explain_texts_spell_config_keys_as_the_loader_does() -> None:
    misspelled = {key.replace("-", "_"): key for key in TOP_KEYS if "-" in key}
    wrong = [
        (r.code, name, misspelled[name])
        for r in default_registry()
        for name in INLINE_NAME.findall(r.explanation())
        if name in misspelled
    ]
    assert wrong == []


# --- The README's example output and commands are what runs (issue 14) ---


def readme_example_output() -> list[str]:
    """The lines of the README's example-output block (the fenced block after "prints, in part:"), elisions left out."""
    after = README[README.index("prints, in part:") :]
    block = re.search(r"^```\n(.*?)^```", after, re.M | re.S)
    assert block is not None
    return [line for line in block[1].splitlines() if line.strip() and line.strip() != "…"]


def test_the_readme_example_output_is_what_the_cli_prints() -> None:
    shown = readme_example_output()
    assert len(shown) >= 6 and shown[-1].startswith("Found ")
    done = subprocess.run(
        [sys.executable, "-m", "auditor", "check", "examples/", "--no-cache"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    printed = set(done.stdout.splitlines())
    assert [line for line in shown if line not in printed] == []


def readme_commands() -> tuple[str, str]:
    """The README's set-up and test commands: the first lines of its first ```sh block, comments cut."""
    block = re.search(r"^```sh\n(.*?)^```", README, re.M | re.S)
    assert block is not None
    lines = [line.split("#")[0].strip() for line in block[1].splitlines()]
    setup = lines[0]
    test = next(line for line in lines if "pytest" in line)
    return setup, test


def test_ci_starts_with_the_readme_commands() -> None:
    setup, test = readme_commands()
    assert setup == "python3 -m venv .venv && .venv/bin/pip install -e '.[test]'"
    assert test == ".venv/bin/pytest"
    preamble = {"set -euo pipefail", 'cd "$(dirname "$0")/.."'}
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in script if line.strip() and not line.lstrip().startswith("#")]
    commands = [line for line in commands if line not in preamble]
    assert commands[:2] == [setup, test]


# --- The plugin of docs/writing-a-check.md works as the guide says ---


def guide_check() -> Check:
    guide = (ROOT / "docs" / "writing-a-check.md").read_text(encoding="utf-8")
    code = re.search(r"^```python\n(.*?)^```", guide, re.M | re.S)
    assert code is not None
    namespace: dict[str, object] = {"__name__": "auditor_clickhere"}
    exec(compile(code[1], "docs/writing-a-check.md", "exec"), namespace)
    check = namespace["CHECK"]
    assert isinstance(check, Check)
    return check


def test_the_guides_check_reports_vague_links_and_passes_plain_ones() -> None:
    registry = Registry([guide_check()])
    config = Config(selected=frozenset(registry.rules))
    auditor = Auditor(registry, config, site=False)
    bad = "# Install\n\nTo install it, [click here](https://example.com/install).\n"
    good = "# Install\n\nRead the [installation guide](https://example.com/install).\n"
    found = [(f.rule, f.line, f.severity.value) for f in auditor.audit_text("bad.md", bad, "markdown").findings]
    assert found == [("CH101", 3, "warning")]
    assert auditor.audit_text("good.md", good, "markdown").findings == []
    registered = registry.find("CH101")
    assert registered is not None and "**What it catches**" in registered.explanation()


def test_the_guides_rule_takes_its_option_from_the_config(tmp_path: Path) -> None:
    registry = Registry([guide_check()])
    path = tmp_path / "auditor.toml"
    path.write_text("[rules.vague-link-text]\nmax-per-page = 1\n", encoding="utf-8")
    config = load_config(registry, config_file=path)
    page = "# Install\n\n[Click here](https://example.com/install) to install.\n"
    findings = Auditor(registry, config, site=False).audit_text("page.md", page, "markdown").findings
    assert [(f.rule, f.severity.value) for f in findings] == [("CH101", "error")]


# --- Links between the README and docs/ lead somewhere ---

LINK = re.compile(r"\]\(([^)\s]+)\)")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.M | re.S)
    return {slug(h) for h in re.findall(r"^#+ (.+)$", text, re.M)}


def test_every_link_between_the_pages_resolves() -> None:
    broken = []
    for page in [ROOT / "README.md", *DOCS]:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue
            name, _, anchor = target.partition("#")
            linked = (page.parent / name).resolve() if name else page
            if not linked.exists() or (anchor and anchor not in anchors(linked)):
                broken.append(f"{page.name}: {target}")
    assert broken == []
