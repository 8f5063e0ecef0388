from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from auditor_checks.keyword_stuffing import CHECK as KS

from auditor.registry import Check, PluginError, validate


def _copy(code: str, name: str, prefix: str = "KS") -> Check:
    rule = type("R", (KS.rules[0],), {"code": code, "name": name})
    return Check(name="third-party", prefix=prefix, rules=(rule,))


@pytest.mark.parametrize(
    ("check", "message"),
    [
        (_copy("KS101", "other-name"), "already provided by built-in"),
        (_copy("KS901", KS.rules[0].name), "already provided by built-in"),
        (_copy("K1", "odd-code"), "malformed"),
        (_copy("XY901", "wrong-prefix"), "malformed"),
        (_copy("KS901", "Not_Kebab"), "kebab-case"),
    ],
)
def test_clashing_or_malformed_rules_are_refused_naming_both(check: Check, message: str) -> None:
    with pytest.raises(PluginError, match=message) as info:
        validate([("built-in", KS), ("plugin x", check)])
    assert "plugin x" in str(info.value)


def test_distinct_well_formed_checks_pass() -> None:
    validate([("built-in", KS), ("plugin x", _copy("KS901", "fresh-name"))])


def test_the_cli_reports_a_clash_on_stderr_with_exit_2(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from auditor import registry
    from auditor.cli import entry

    def refuse() -> None:
        raise PluginError("entry point 'x' of fake: rule code KS101 is already provided by auditor")

    monkeypatch.setattr(registry, "default_registry", refuse)
    monkeypatch.setattr("auditor.cli.app.default_registry", refuse)
    monkeypatch.setattr(sys, "argv", ["auditor", "rules"])
    with pytest.raises(SystemExit) as info:
        entry.main()
    assert info.value.code == 2
    assert "KS101 is already provided by auditor" in capsys.readouterr().err


def test_an_installed_plugin_reusing_ks101_is_refused_by_the_cli(tmp_path: Path) -> None:
    dist = tmp_path / "site-packages" / "shadow_checks-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: shadow-checks\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        "[auditor.checks]\nshadowing-plugin = tests.plugins.clashing_checks:SHADOWING\n", encoding="utf-8"
    )
    repo = Path(__file__).parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(dist.parent), str(repo)])}
    (tmp_path / "page.md").write_text("# Notes\n\nPlain text.\n", encoding="utf-8")
    for args in (["rules"], ["check", "page.md"]):
        result = subprocess.run(
            [sys.executable, "-m", "auditor", *args], capture_output=True, text=True, cwd=tmp_path, env=env
        )
        assert result.returncode == 2, result.stderr
        assert "KS101" in result.stderr and "shadow-checks" in result.stderr and "Traceback" not in result.stderr
