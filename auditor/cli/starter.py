"""`auditor init`: a commented starter config, as `auditor.toml` or a `[tool.auditor]` section of pyproject.toml.

Comments starting with `# ` explain; lines starting with `#` and no space are
settings left off, which work as they are once the `#` is removed (a test
holds this). The rule example is generated from the registry, so its options
and defaults are always the real ones.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from auditor.config import ConfigError, _read_toml
from auditor.registry import Registry

EXAMPLE_RULE = "term-density"

_TEMPLATE = """\
# Configuration of auditor, the linter for the content of static sites.
# `auditor check` finds it by walking up from the pages it audits.
# `auditor rules` lists the rules; `auditor explain RULE` explains one, with its options.

# Rules on: codes (KS101), names (term-density), checks (promo-links), prefixes (KS, PL40) or "ALL".
select = ["ALL"]

# Rules off, on top of `select`, e.g. ["tracking-params"].
ignore = []

# The lowest severity that makes `auditor check` exit with status 1: "error", "warning" or "info".
fail-on = "error"

# Files and folders never audited (globs, relative to this file), e.g. ["drafts/**"].
# What .gitignore ignores is skipped too.
exclude = []

# Brand terms to watch more closely (they get lower keyword-stuffing limits), e.g. ["YourBrand"].
watch-terms = []

# Terms the site legitimately repeats (product names), never reported as stuffing, e.g. ["Vite"].
allow-terms = []

# Rules off for some files only: "glob" = [rules].
[{prefix}per-file-ignores]
#"blog/sponsors.md" = ["promo-links"]

# A rule's severity and options, by code or name; here {code} ({rule}) with its defaults.
#[{prefix}rules.{rule}]
#severity = "{severity}"
{options}
"""


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def starter(registry: Registry, pyproject: bool = False) -> str:
    """The starter config text: the top level of an auditor.toml, or a [tool.auditor] section."""
    registered = registry.find(EXAMPLE_RULE) or next(r for r in registry if r.rule.options)
    rule = registered.rule
    options = "\n".join(f"#{key.replace('_', '-')} = {_toml_value(value)}" for key, value in rule.options.items())
    text = _TEMPLATE.format(
        prefix="tool.auditor." if pyproject else "",
        code=rule.code,
        rule=rule.name,
        severity=rule.default_severity.value,
        options=options,
    )
    if pyproject:
        first_setting = text.index("# Rules on:")
        text = text[:first_setting] + "[tool.auditor]\n" + text[first_setting:]
    return text


class InitError(Exception):
    """The starter was not written; the message says why."""


def write_starter(registry: Registry, folder: Path, pyproject: bool = False) -> Path:
    """Write the starter config into `folder`; the file written. Never overwrites a config."""
    own, project = folder / "auditor.toml", folder / "pyproject.toml"
    if own.exists():
        raise InitError(f"{own} already exists; edit it, or remove it to start again")
    existing = ""
    if project.is_file():
        try:
            configured = "auditor" in _read_toml(project).get("tool", {})
        except ConfigError as exc:
            raise InitError(str(exc)) from None
        if configured:
            raise InitError(f"{project} already has a [tool.auditor] section; edit it")
        existing = project.read_text(encoding="utf-8")
    if not pyproject:
        own.write_text(starter(registry), encoding="utf-8")
        return own
    separator = "" if not existing else "\n" if existing.endswith("\n") else "\n\n"
    project.write_text(existing + separator + starter(registry, pyproject=True), encoding="utf-8")
    return project
