"""Configuration: discovery, validation, per-rule severity and options, per-file ignores."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.config import ConfigError, Limits, load_config
from auditor.models import Severity
from auditor.registry import default_registry


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_pyproject_found_by_walking_up(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.auditor]\nignore = ["PL"]\nfail-on = "warning"\n')
    (tmp_path / "content" / "posts").mkdir(parents=True)
    config = load_config(default_registry(), start=tmp_path / "content" / "posts")
    assert config.path == tmp_path / "pyproject.toml"
    assert not any(code.startswith("PL") for code in config.selected)
    assert config.fail_on is Severity.WARNING


def test_pyproject_without_auditor_table_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path, "auditor.toml", 'ignore = ["KS"]\n')
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "pyproject.toml", "[project]\nname = 'x'\n")
    config = load_config(default_registry(), start=tmp_path / "sub")
    assert config.path == tmp_path / "auditor.toml"


def test_rule_severity_and_options_by_name_or_code(tmp_path: Path) -> None:
    registry = default_registry()
    rule = next(r for r in registry if r.rule.options)
    option, default = next(iter(rule.rule.options.items()))
    value = default if isinstance(default, (list, str, bool)) else default * 2
    text = f'[rules.{rule.name}]\nseverity = "info"\n{option.replace("_", "-")} = {value!r}\n'.replace("'", '"')
    config = load_config(registry, config_file=write(tmp_path, "auditor.toml", text))
    assert config.severities[rule.code] is Severity.INFO
    assert config.options[rule.code][option] == value


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('selct = ["KS"]\n', "selct"),
        ('select = ["NOPE"]\n', "NOPE"),
        ('fail-on = "fatal"\n', "fail-on"),
        ('[rules.KS999]\nseverity = "error"\n', "KS999"),
        ("[rules.IO001]\nthreshold = 3\n", "threshold"),
        ('watch-terms = "x"\nexclude = 3\n', "exclude"),
    ],
)
def test_invalid_config_names_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        load_config(default_registry(), config_file=write(tmp_path, "auditor.toml", text))


def test_per_file_ignores_and_excludes(tmp_path: Path) -> None:
    text = 'exclude = ["drafts"]\n[per-file-ignores]\n"blog/sponsors.md" = ["promo-links"]\n'
    config = load_config(default_registry(), config_file=write(tmp_path, "auditor.toml", text))
    assert not any(c.startswith("PL") for c in config.rules_for(str(tmp_path / "blog" / "sponsors.md")))
    assert any(c.startswith("PL") for c in config.rules_for(str(tmp_path / "blog" / "post.md")))
    assert config.excluded(str(tmp_path / "drafts" / "x.md"))


def test_limits_have_defaults_and_are_read_from_the_config(tmp_path: Path) -> None:
    assert load_config(default_registry(), start=tmp_path).limits == Limits()
    write(
        tmp_path,
        "auditor.toml",
        "max-file-size = 2048\nmax-depth = 0\nmax-findings-per-file = 5\ncheck-timeout = 2.5\n",
    )
    limits = load_config(default_registry(), start=tmp_path).limits
    assert limits == Limits(max_file_size=2048, max_depth=0, max_findings_per_file=5, check_timeout=2.5)


@pytest.mark.parametrize(
    "line",
    [
        "max-file-size = -1",
        "max-file-size = 1.5",
        'max-depth = "deep"',
        "max-findings-per-file = true",
        "check-timeout = -2",
    ],
)
def test_invalid_limits_name_the_key(tmp_path: Path, line: str) -> None:
    write(tmp_path, "auditor.toml", line + "\n")
    with pytest.raises(ConfigError) as error:
        load_config(default_registry(), start=tmp_path)
    assert line.split(" = ")[0] in str(error.value) and "0: no limit" in str(error.value)
