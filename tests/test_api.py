"""The Python API: audit_paths, audit_text, and the phases any engine can map."""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

import auditor
from auditor.config import Config, ConfigError
from auditor.engine import phases
from auditor.input.sources import PageSource
from auditor.registry import default_registry

from .conftest import FIXTURES
from .crawls import write_site

SPAM = (FIXTURES / "twins" / "promo.md").read_text(encoding="utf-8")


def test_import_auditor_loads_no_parser_segmenter_or_engine() -> None:
    code = (
        "import sys, auditor; auditor.__version__; "
        "print(sorted(m for m in ('jieba', 'bs4', 'markdown_it', 'dask', 'distributed', 'warcio') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_local_cli_imports_nothing_of_dask(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(SPAM, encoding="utf-8")
    (tmp_path / "b.md").write_text(SPAM, encoding="utf-8")
    code = (
        "import sys\nfrom auditor.cli.app import app\n"
        'try:\n    app(["check", sys.argv[1]])\nexcept SystemExit:\n    pass\n'
        "print('dask' in sys.modules, 'distributed' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "False False"


def test_audit_text_returns_the_findings_of_one_page() -> None:
    findings = auditor.audit_text(SPAM, filename="promo.md")
    assert findings, "the promo twin has findings"
    assert all(f.path == "promo.md" for f in findings)
    # The same page as the CLI sees it from a file: same codes, lines and severities.
    expected = phases.page_phase(PageSource(str(FIXTURES / "twins" / "promo.md")), _settings(site=False)).findings
    assert [(f.rule, f.line, f.severity) for f in findings] == [(f.rule, f.line, f.severity) for f in expected]


def test_audit_text_reads_html_by_the_file_name_and_obeys_a_config() -> None:
    html = (FIXTURES / "twins" / "promo.html").read_text(encoding="utf-8")
    findings = auditor.audit_text(html, filename="promo.html")
    assert {f.rule[:2] for f in findings} >= {"PL"}
    only_promo = Config(selected=frozenset(default_registry().resolve("promo-links")))
    promo = auditor.audit_text(html, filename="promo.html", config=only_promo)
    assert promo and all(f.rule.startswith("PL") for f in promo)


def test_audit_paths_runs_both_phases_and_reads_the_config_file(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    report = auditor.audit_paths([site])
    rules = {f.rule for result in report.files for f in result.findings}
    assert {"TS201", "TS202", "PL408"} <= rules
    assert [r.path for r in report.files] == sorted(r.path for r in report.files)
    pooled = auditor.audit_paths([site], jobs=2)
    assert [(r.path, r.findings) for r in pooled.files] == [(r.path, r.findings) for r in report.files]
    (tmp_path / "auditor.toml").write_text('ignore = ["templated-sections"]\n', encoding="utf-8")
    without = auditor.audit_paths([site], config=tmp_path / "auditor.toml")
    assert not any(f.rule.startswith("TS") for result in without.files for f in result.findings)
    assert auditor.audit_paths([site], select=["PL408"]).summary()["errors"] > 0


def test_audit_paths_reports_a_bad_config_and_an_unknown_engine(tmp_path: Path) -> None:
    (tmp_path / "auditor.toml").write_text('selct = ["KS"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="selct"):
        auditor.audit_paths([tmp_path])
    with pytest.raises(ValueError, match="engine"):
        auditor.audit_paths([tmp_path], config=Config(), engine="spark")


def _settings(site: bool = True) -> phases.Settings:
    return phases.Settings(Config(selected=frozenset(default_registry().rules)), site=site)


def test_the_phases_mapped_by_hand_with_pickling_give_the_in_process_findings(tmp_path: Path) -> None:
    """An engine of one's own: every value crosses a pickle, as between processes, and groups are
    built in reverse order; the findings are those of the in-process site phase."""
    site = write_site(tmp_path)
    paths = sorted(str(p) for p in site.rglob("*.md"))
    settings = _settings()

    def shipped(value: object) -> object:
        return pickle.loads(pickle.dumps(value))

    results = [shipped(phases.page_phase(PageSource(p), shipped(settings))) for p in paths]
    found: dict[str, list] = defaultdict(list)
    carried: list = []
    for step in range(phases.site_steps(settings)):
        groups: dict = defaultdict(list)
        for record in [r for result in results for r in phases.site_keys(result, settings, step)] + carried:
            rule, key, value = shipped(record)
            groups[rule, key].insert(0, value)
        carried = []
        for (rule, key), values in reversed(groups.items()):
            records, findings = shipped(phases.site_reduce(rule, key, values, settings, step))
            carried.extend(records)
            for path, finding in findings:
                found[path].append(finding)
    mapped = [phases.finish(result, found[result.path], settings) for result in results]

    local = phases.auditor_for(settings)
    expected = [local.audit_path(p) for p in paths]
    local.audit_site(expected)
    assert [(r.path, r.findings) for r in mapped] == [(r.path, r.findings) for r in expected]
    assert {"TS201", "TS202", "PL408"} <= {f.rule for r in mapped for f in r.findings}
