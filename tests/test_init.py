"""`auditor init`: the starter config it writes loads with the config validation, and it never overwrites."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditor.config import load_config
from auditor.registry import default_registry

from .test_cli import CLEAN, run


def _uncommented(text: str) -> str:
    """Every setting left off (`#key = …`, `#[table]`) switched on."""
    return re.sub(r"^#(?=\S)", "", text, flags=re.MULTILINE)


def test_init_writes_an_auditor_toml_that_loads(tmp_path: Path) -> None:
    result = run("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = tmp_path / "auditor.toml"
    config = load_config(default_registry(), start=tmp_path)
    assert config.path == written
    assert config.selected == frozenset(default_registry().rules)
    assert "#[rules.term-density]" in written.read_text(encoding="utf-8")
    (tmp_path / "page.md").write_text(CLEAN, encoding="utf-8")
    assert run("check", ".", cwd=tmp_path).returncode == 0


def test_every_setting_left_off_in_the_starter_is_valid_when_switched_on(tmp_path: Path) -> None:
    run("init", cwd=tmp_path)
    written = tmp_path / "auditor.toml"
    text = written.read_text(encoding="utf-8")
    written.write_text(_uncommented(text), encoding="utf-8")
    config = load_config(default_registry(), config_file=written)
    assert config.options["KS101"]["limit"] == default_registry().rules["KS101"].rule.options["limit"]
    assert config.severities["KS101"].value == "warning"
    assert not any(code.startswith("PL") for code in config.rules_for(str(tmp_path / "blog" / "sponsors.md")))


def test_init_pyproject_appends_a_section_and_keeps_the_rest(tmp_path: Path) -> None:
    project = tmp_path / "pyproject.toml"
    project.write_text('[project]\nname = "site"', encoding="utf-8")
    result = run("init", "--pyproject", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = project.read_text(encoding="utf-8")
    assert text.startswith('[project]\nname = "site"\n\n')
    assert "\n[tool.auditor]\n" in text and "\n[tool.auditor.per-file-ignores]\n" in text
    assert load_config(default_registry(), start=tmp_path).path == project
    project.write_text(_uncommented(text), encoding="utf-8")
    assert load_config(default_registry(), start=tmp_path).options["KS101"]


@pytest.mark.parametrize(
    ("existing", "args"),
    [
        ({"auditor.toml": 'ignore = ["KS"]\n'}, ()),
        ({"auditor.toml": 'ignore = ["KS"]\n'}, ("--pyproject",)),
        ({"pyproject.toml": "[tool.auditor]\nignore = []\n"}, ()),
        ({"pyproject.toml": "[tool.auditor]\nignore = []\n"}, ("--pyproject",)),
    ],
)
def test_init_refuses_to_overwrite_a_config(tmp_path: Path, existing: dict[str, str], args: tuple[str, ...]) -> None:
    for name, text in existing.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = run("init", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert "already" in result.stderr and "Traceback" not in result.stderr
    assert {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()} == existing
