"""Rules as data: rules declared in the config (or in a check's package) and built from a few generic kinds.

A rule definition is a plain table, the same in TOML and YAML:

    [[tool.auditor.custom-rules]]      # [[custom-rules]] in auditor.toml
    code = "XX101"                     # 2-3 capitals and 3 digits, not taken by another rule
    name = "no-miracle-words"          # kebab-case, for select/ignore and disable comments
    kind = "existence"                 # existence | occurrence | claim | link
    message = "‘{match}’ promises too much"
    severity = "warning"               # error | warning | info (default warning)
    description = "Words our style guide bans."   # shown by `auditor explain`
    weight = 1.5                       # per finding, in the page verdict PV501 (default 0: none)
    tokens = ["miracle", "奇迹"]       # kind-specific keys: see each kind's module
    # or tokens-files = ["words.txt"]: a word list as files, relative to the declaring file

A folder named by `custom-rules-dir` holds more definitions, one YAML (or
TOML) file each. A check package may declare its own rules the same way, in
its `rules.toml` (`declared_rules(package)`): the built-in UC301-UC304 and
TS102 are declared so. Definitions travel as plain data inside the Config, so every
process (a worker, a Dask task, the editor's server) rebuilds the same rules
with `registry_for(config)`.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Protocol

from auditor.kinds import claim, existence, link, occurrence
from auditor.kinds.base import DataRule, RuleError
from auditor.models import Severity
from auditor.registry import CODE_PATTERN, Check, Registry, Rule, default_registry
from auditor.text import lexicon

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from auditor.config import Config

__all__ = ["CUSTOM_CHECK", "RuleError", "build_check", "build_rule", "declared_rules", "read_lists", "registry_for"]

CUSTOM_CHECK = "custom"
COMMON_KEYS = frozenset({"code", "name", "kind", "message", "severity", "summary", "description", "weight"})
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# A word list may be given as files instead, one entry a line: `tokens-files = ["words.txt"]`.
FILES = "-files"


class Kind(Protocol):
    """What a kind's module offers: its own keys, which of them are word lists, and the rule maker."""

    KEYS: frozenset[str]
    LISTS: frozenset[str]

    def build(self, definition: Mapping[str, Any], where: str) -> type[DataRule]: ...


KINDS: Mapping[str, Kind] = {
    "existence": existence,
    "occurrence": occurrence,
    "claim": claim,
    "link": link,
}


def build_rule(definition: Mapping[str, Any], where: str) -> type[Rule]:
    """One rule class from one definition; a RuleError names what is wrong with it."""
    if not isinstance(definition, Mapping):
        raise RuleError(f"{where}: a custom rule must be a table")
    kind = definition.get("kind")
    if kind not in KINDS:
        raise RuleError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    own_keys = KINDS[kind].KEYS
    for key in definition:
        if key not in COMMON_KEYS | own_keys:
            known = ", ".join(sorted(COMMON_KEYS | own_keys))
            raise RuleError(f"{where}: unknown key {key!r} for a {kind} rule; known keys: {known}")
    code = definition.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        raise RuleError(f"{where}: code {code!r} must be 2-3 capital letters and 3 digits, e.g. XX101")
    name = definition.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise RuleError(f"{where}: name {name!r} must be kebab-case, e.g. no-miracle-words")
    message = definition.get("message")
    if not isinstance(message, str) or not message.strip():
        raise RuleError(f"{where}: message must be a non-empty string")
    try:
        severity = Severity(str(definition.get("severity", "warning")).lower())
    except ValueError:
        raise RuleError(f"{where}: severity {definition['severity']!r} is not one of error, warning, info") from None
    summary = definition.get("summary", message)
    if not isinstance(summary, str) or not summary.strip() or "\n" in summary.strip():
        raise RuleError(f"{where}: summary must be one line of text")
    description = definition.get("description", "")
    if not isinstance(description, str):
        raise RuleError(f"{where}: description must be a string")
    weight = definition.get("weight")
    # bool is an int to Python, but `weight = true` is a mistake, not a weight of 1.
    number = isinstance(weight, (int, float)) and not isinstance(weight, bool)
    if weight is not None and not (number and math.isfinite(weight) and weight >= 0):
        raise RuleError(f"{where}: weight {weight!r} must be a number, 0 or more")
    base = KINDS[kind].build(definition, f"{where} ({code})")
    docs = f"{summary.strip()}\n\n{description.strip()}" if description.strip() else summary.strip()
    attributes: dict[str, Any] = {
        "code": code,
        "name": name,
        "default_severity": severity,
        "message": message,
        "source": where,
        "weight": None if weight is None else float(weight),
        "__doc__": f"{docs}\n\nDeclared as data ({kind} rule) in {where}{_weighed(weight)}.",
    }
    return type(f"Declared{code}", (base,), attributes)


def _weighed(weight: float | None) -> str:
    return "" if weight is None else f"; each finding weighs {weight:g} in the page verdict (PV501)"


def build_rules(definitions: Iterable[tuple[str, Mapping[str, Any]]], taken: Registry) -> tuple[type[Rule], ...]:
    """The rules `definitions` declare (each with where it was declared), none clashing with `taken` or another."""
    rules: list[type[Rule]] = []
    codes: dict[str, str] = {}
    for where, definition in definitions:
        rule = build_rule(definition, where)
        for label, value in (("code", rule.code), ("name", rule.name)):
            clash = taken.find(value)
            if clash is not None:
                raise RuleError(f"{where}: {label} {value!r} is taken by {clash.code} ({clash.check.name})")
            if value in codes:
                raise RuleError(f"{where}: {label} {value!r} is declared twice (also in {codes[value]})")
            codes[value] = where
        rules.append(rule)
    claim.join(rules)  # claim rules of one group read a page together
    return tuple(rules)


def build_check(definitions: Sequence[tuple[str, Mapping[str, Any]]], taken: Registry) -> Check:
    """The check of a config's custom rules."""
    # The version is a digest of the definitions, so the cache's run fingerprint changes with them.
    digest = hashlib.sha256(json.dumps([d for _, d in definitions], sort_keys=True, default=str).encode())
    return Check(
        name=CUSTOM_CHECK,
        prefix="",
        rules=build_rules(definitions, taken),
        description="Rules declared as data in the config.",
        version=digest.hexdigest()[:16],
    )


def read_lists(definition: Mapping[str, Any], folder: Traversable, where: str) -> dict[str, Any]:
    """The definition with each word list given as files (`tokens-files = [...]`, or one list of
    files per language, `tokens-files.zh = [...]`; relative to `folder`) read into the list itself,
    so that the rule travels as plain data."""
    lists = getattr(KINDS.get(definition.get("kind", "")), "LISTS", frozenset())
    read = dict(definition)
    for key, files in definition.items():
        if not key.endswith(FILES) or key[: -len(FILES)] not in lists:
            continue  # not a list's files: build_rule names the unknown key
        target = key[: -len(FILES)]
        if target in definition:
            raise RuleError(f"{where}: give {target} or {key}, not both")
        del read[key]
        if isinstance(files, Mapping):
            read[target] = {lang: _read_files(names, folder, f"{where}: {key}.{lang}") for lang, names in files.items()}
        else:
            read[target] = _read_files(files, folder, f"{where}: {key}")
    return read


def _read_files(names: Any, folder: Traversable, where: str) -> list[str]:
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise RuleError(f"{where} must be a list of file names")
    entries: list[str] = []
    for name in names:
        try:
            entries.extend(lexicon.parse(folder.joinpath(*name.split("/")).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise RuleError(f"{where}: cannot read {name}: {exc}") from None
    return entries


def declared_rules(package: str) -> tuple[type[Rule], ...]:
    """The rules a check package declares as data, in its `rules.toml` (`[[rules]]` tables; word
    lists as files beside it). A built-in rule declared so runs on its kind's engine, as a custom one."""
    folder = resources.files(package)
    label = f"{package.replace('.', '/')}/rules.toml"
    tables = tomllib.loads(folder.joinpath("rules.toml").read_text(encoding="utf-8")).get("rules", [])
    definitions = [(f"{label}: rules[{i}]", d) for i, d in enumerate(tables)]
    return build_rules([(where, read_lists(d, folder, where)) for where, d in definitions], Registry([]))


def registry_for(config: Config) -> Registry:
    """The registry of a run: the installed checks plus the config's custom rules."""
    if not config.custom_rules:
        return default_registry()
    return _extended(json.dumps(config.custom_rules, sort_keys=True, default=str))


@cache
def _extended(definitions: str) -> Registry:
    pairs: Sequence[tuple[str, Mapping[str, Any]]] = [(w, d) for w, d in json.loads(definitions)]
    base = default_registry()
    return base.extended([build_check(pairs, base)])
