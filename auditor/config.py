"""Configuration: `[tool.auditor]` in pyproject.toml, or an `auditor.toml`.

The file is found by walking up from the audited path; in one folder
`auditor.toml` wins over `pyproject.toml`. Every key is validated, and a
mistake is a ConfigError naming the key, which the CLI turns into exit 2.

    [tool.auditor]
    select = ["ALL"]                 # codes, rule names, check names or prefixes
    ignore = ["PL405"]
    fail-on = "error"                # error | warning | info
    exclude = ["drafts/**"]          # globs, relative to this file
    watch-terms = ["Heyon卡"]        # brand terms to watch more closely
    allow-terms = ["Vite"]           # terms never reported as stuffing
    max-file-size = 1048576          # bytes of a page audited; the rest is cut (IO003)
    max-depth = 256                  # levels of HTML nesting kept; deeper ones are flattened (IO004)
    max-findings-per-file = 200      # findings reported per page; the rest are counted (IO005)
    check-timeout = 10.0             # seconds one check may take on one page (IO006)
    custom-rules-dir = "auditor-rules"  # more custom rules, one YAML or TOML file each

    [[tool.auditor.custom-rules]]    # a rule as data; kinds and keys: docs/custom-rules.md
    code = "XX101"
    name = "no-miracle-words"
    kind = "existence"
    message = "‘{match}’ promises too much"
    tokens = ["miracle cure"]

    [tool.auditor.per-file-ignores]
    "blog/sponsors.md" = ["promo-links"]

    [tool.auditor.rules.term-density]   # a rule by code or name: severity and options
    severity = "warning"
    limit = 0.05                     # options: `auditor explain term-density`
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from auditor.kinds import RuleError, build_check, read_lists
from auditor.models import Severity
from auditor.registry import Registry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


class ConfigError(Exception):
    """A configuration the auditor cannot use; the message names the key."""


_TOP_KEYS = {
    "select",
    "ignore",
    "fail-on",
    "exclude",
    "watch-terms",
    "allow-terms",
    "per-file-ignores",
    "rules",
    "max-file-size",
    "max-depth",
    "max-findings-per-file",
    "check-timeout",
    "custom-rules",
    "custom-rules-dir",
}


@dataclass(frozen=True)
class Limits:
    """What one page may cost; 0 turns a limit off. Whatever a limit cuts is reported by an io rule."""

    # Bytes read from a page's file; a longer file is audited up to here (IO003).
    max_file_size: int = 1_048_576
    # Levels of nesting the parsers keep (IO004).
    max_depth: int = 256
    # Findings reported for one page, the most severe first; the rest are counted (IO005).
    max_findings_per_file: int = 200
    # Seconds one check may run on one page before it is stopped (IO006); enforced on a
    # process's main thread only, where a timer signal can interrupt it.
    check_timeout: float = 10.0


# Config keys of the limits, and the Limits field each sets.
_LIMIT_KEYS = {
    "max-file-size": "max_file_size",
    "max-depth": "max_depth",
    "max-findings-per-file": "max_findings_per_file",
    "check-timeout": "check_timeout",
}


@dataclass(frozen=True)
class Config:
    path: Path | None = None  # the file it came from, when there was one
    root: Path = field(default_factory=Path.cwd)  # globs are relative to this folder
    selected: frozenset[str] = frozenset()
    fail_on: Severity = Severity.ERROR
    exclude: tuple[str, ...] = ()
    watch_terms: tuple[str, ...] = ()
    allow_terms: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    # Custom rules as plain data, (where declared, definition), so any process rebuilds them.
    custom_rules: tuple[tuple[str, Mapping[str, Any]], ...] = ()

    def rules_for(self, path: str) -> frozenset[str]:
        """The codes that apply to a file, after its per-file ignores."""
        if not self.per_file_ignores:
            return self.selected
        relative = self.relative(path)
        ignored: set[str] = set()
        for pattern, codes in self.per_file_ignores:
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(Path(relative).name, pattern):
                ignored |= codes
        return self.selected - ignored

    def excluded(self, path: str, resolved: Path | None = None) -> bool:
        """Whether the config's excludes leave `path` out (`resolved`: the path resolved, when known)."""
        if not self.exclude:
            return False
        relative = self.relative(path, resolved)
        parts = Path(relative).parts
        return any(
            fnmatch.fnmatch(relative, pattern) or any(fnmatch.fnmatch(part, pattern) for part in parts)
            for pattern in self.exclude
        )

    def relative(self, path: str, resolved: Path | None = None) -> str:
        try:
            return (resolved or Path(path).resolve()).relative_to(self._resolved_root).as_posix()
        except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
            return Path(path).as_posix()

    @cached_property
    def _resolved_root(self) -> Path:
        return self.root.resolve()


def find_config_file(start: Path) -> Path | None:
    """The nearest auditor.toml, or pyproject.toml with a [tool.auditor] table, above `start`."""
    try:
        folder = start.resolve()
    except (OSError, RuntimeError):  # a symlink loop: look from where it sits
        folder = start.absolute().parent
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        own = candidate / "auditor.toml"
        if own.is_file():
            return own
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "auditor" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it as TOML: {exc}") from exc


def load_config(
    registry: Registry,
    config_file: Path | None = None,
    start: Path | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    fail_on: str | None = None,
) -> Config:
    """The effective config: the file (given, or found above `start`), then command-line overrides."""
    path = config_file or find_config_file(start or Path.cwd())
    table: dict[str, Any] = {}
    if path is not None:
        if not path.is_file():
            raise ConfigError(f"{path}: no such config file")
        data = _read_toml(path)
        table = data.get("tool", {}).get("auditor", {}) if path.name == "pyproject.toml" else data
    return _build(registry, table, path, select, ignore, fail_on)


def default_config(registry: Registry) -> Config:
    """The config of a page that has no file to search from (an editor's unsaved buffer): every default."""
    return _build(registry, {}, None, None, (), None)


def _build(
    registry: Registry,
    table: Mapping[str, Any],
    path: Path | None,
    cli_select: Iterable[str] | None,
    cli_ignore: Iterable[str],
    cli_fail_on: str | None,
) -> Config:
    where = f"{path}: " if path else ""
    for key in table:
        if key not in _TOP_KEYS:
            raise ConfigError(
                f"{where}unknown key {key!r} in [tool.auditor]; known keys: {', '.join(sorted(_TOP_KEYS))}"
            )

    custom = _custom_rules(table, path, where)
    if custom:
        try:
            registry = registry.extended([build_check(custom, registry)])
        except RuleError as exc:
            raise ConfigError(str(exc)) from None

    def codes(values: Any, key: str) -> set[str]:
        found: set[str] = set()
        for value in _string_list(values, key, where):
            resolved = registry.resolve(value)
            if not resolved:
                raise ConfigError(f"{where}{key}: {value!r} names no rule, check or code prefix")
            found.update(resolved)
        return found

    select = list(cli_select) if cli_select else table.get("select", ["ALL"])
    selected = codes(select, "select") - codes(table.get("ignore", []), "ignore") - codes(list(cli_ignore), "--ignore")

    per_file: list[tuple[str, frozenset[str]]] = []
    raw_per_file = table.get("per-file-ignores", {})
    if not isinstance(raw_per_file, dict):
        raise ConfigError(f"{where}per-file-ignores must be a table of glob = [codes]")
    for pattern, values in raw_per_file.items():
        per_file.append((pattern, frozenset(codes(values, f"per-file-ignores.{pattern!r}"))))

    severities: dict[str, Severity] = {}
    options: dict[str, dict[str, Any]] = {}
    raw_rules = table.get("rules", {})
    if not isinstance(raw_rules, dict):
        raise ConfigError(f"{where}rules must be a table of [tool.auditor.rules.CODE] tables")
    for selector, settings in raw_rules.items():
        registered = registry.find(selector)
        if registered is None:
            raise ConfigError(f"{where}rules.{selector}: no rule has this code or name")
        if not isinstance(settings, dict):
            raise ConfigError(f"{where}rules.{selector} must be a table")
        rule = registered.rule
        for key, value in settings.items():
            if key == "severity":
                severities[rule.code] = _severity(value, f"{where}rules.{selector}.severity")
                continue
            option = key.replace("-", "_")
            if option not in rule.options:
                known = ", ".join(k.replace("_", "-") for k in rule.options) or "none"
                raise ConfigError(f"{where}rules.{selector}.{key}: {rule.code} has no such option (options: {known})")
            _check_type(rule.options[option], value, f"{where}rules.{selector}.{key}")
            options.setdefault(rule.code, {})[option] = value

    fail_on = cli_fail_on or table.get("fail-on", "error")
    return Config(
        path=path,
        root=path.parent if path else Path.cwd(),
        selected=frozenset(selected),
        fail_on=_severity(fail_on, f"{where}fail-on"),
        exclude=tuple(_string_list(table.get("exclude", []), "exclude", where)),
        watch_terms=tuple(_string_list(table.get("watch-terms", []), "watch-terms", where)),
        allow_terms=tuple(_string_list(table.get("allow-terms", []), "allow-terms", where)),
        per_file_ignores=tuple(per_file),
        severities=severities,
        options=options,
        limits=_limits(table, where),
        custom_rules=tuple(custom),
    )


def _custom_rules(table: Mapping[str, Any], path: Path | None, where: str) -> list[tuple[str, dict[str, Any]]]:
    """The custom rules' definitions: the config's own tables, then one file each in `custom-rules-dir`."""
    section = "[tool.auditor.custom-rules]" if path is not None and path.name == "pyproject.toml" else "[custom-rules]"
    raw = table.get("custom-rules", [])
    if not isinstance(raw, list) or not all(isinstance(d, dict) for d in raw):
        raise ConfigError(f"{where}custom-rules must be an array of tables ([{section}])")
    home = path.parent if path else Path.cwd()
    # (where declared, definition, the folder its word-list files are relative to)
    declared = [(f"{path or 'config'}: custom-rules[{i}]", d, home) for i, d in enumerate(raw)]
    folder = table.get("custom-rules-dir")
    if folder is not None:
        if not isinstance(folder, str):
            raise ConfigError(f"{where}custom-rules-dir must be a folder name")
        directory = home / folder
        if not directory.is_dir():
            raise ConfigError(f"{where}custom-rules-dir: {directory} is not a folder")
        for file in sorted(directory.iterdir()):
            if file.suffix in (".yml", ".yaml"):
                declared.append((str(file), _read_yaml(file), directory))
            elif file.suffix == ".toml":
                declared.append((str(file), _read_toml(file), directory))
    try:
        return [(label, read_lists(d, base, label)) for label, d, base in declared]
    except RuleError as exc:
        raise ConfigError(str(exc)) from None


def _read_yaml(path: Path) -> dict[str, Any]:
    import yaml  # only a config with a rules folder needs it

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read it as YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a custom rule file must hold one mapping (code, name, kind, …)")
    return data


def _limits(table: Mapping[str, Any], where: str) -> Limits:
    values: dict[str, Any] = {}
    for key, name in _LIMIT_KEYS.items():
        if key not in table:
            continue
        value = table[key]
        whole = name != "check_timeout"
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)) or value < 0:
            kind = "a whole number" if whole else "a number of seconds"
            raise ConfigError(f"{where}{key}: expected {kind}, 0 or more (0: no limit), got {value!r}")
        values[name] = value
    return Limits(**values)


def _string_list(value: Any, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}{key} must be a list of strings")
    return value


def _severity(value: Any, key: str) -> Severity:
    try:
        return Severity(str(value).lower())
    except ValueError:
        raise ConfigError(f"{key}: {value!r} is not one of error, warning, info") from None


def _check_type(default: Any, value: Any, key: str) -> None:
    number = (int, float)
    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(value, bool) and isinstance(default, bool)
    elif isinstance(default, number):
        ok = isinstance(value, number)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise ConfigError(f"{key}: expected {type(default).__name__}, got {value!r}")
