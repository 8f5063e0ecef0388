"""The built-in checks sit in `checks/` and the engine reaches them only as a plugin would."""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import auditor

PACKAGE = Path(auditor.__file__).parent


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_the_auditor_package_imports_nothing_from_the_built_in_checks() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(name for name in _imports(path) if name.startswith("auditor_checks"))
        for path in sorted(PACKAGE.rglob("*.py"))
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_built_in_checks_are_registered_through_entry_points_like_a_plugin() -> None:
    values = {entry.name: entry.value for entry in entry_points(group="auditor.checks")}
    built_in = {name for name, value in values.items() if value.startswith("auditor_checks.")}
    assert built_in == {"keyword-stuffing", "templated-sections", "unverifiable-claims", "promo-links"}


def test_no_bare_checks_package_is_installed(tmp_path: Path) -> None:
    # Run outside the repository, whose top-level `checks/` the working folder would make importable.
    probe = "import importlib.util as u; print(u.find_spec('checks') is None, u.find_spec('auditor_checks') is None)"
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False"]


ARCHITECTURE = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
# What each stage may not import: a page flows input → parsing → engine → reporters → cli, never back.
DOWNSTREAM = {
    "input": ("auditor.parsing", "auditor.engine", "auditor.reporters", "auditor.cli", "auditor.lsp"),
    "parsing": ("auditor.engine", "auditor.reporters", "auditor.cli", "auditor.lsp"),
    "engine": ("auditor.reporters", "auditor.cli", "auditor.lsp"),
    "reporters": ("auditor.cli", "auditor.lsp", "auditor.input", "auditor.parsing"),
}


def test_every_package_and_root_module_is_on_the_architecture_map() -> None:
    parts = [p for p in PACKAGE.iterdir() if (p.is_dir() and (p / "__init__.py").exists()) or p.suffix == ".py"]
    assert len(parts) > 10
    missing = [
        f"auditor/{p.name}"
        for p in parts
        if p.name not in {"__init__.py", "__main__.py"} and f"auditor/{p.name}" not in ARCHITECTURE
    ]
    assert not missing, f"not in docs/architecture.md: {missing}"


def test_a_stage_never_imports_the_stages_after_it() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(name for name in _imports(path) if name.startswith(banned))
        for stage, banned in DOWNSTREAM.items()
        for path in sorted((PACKAGE / stage).rglob("*.py"))
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_disable_comments_are_applied_in_one_place() -> None:
    """Only `engine/screening.py` asks whether a disable comment hides a finding."""
    callers = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "hides" and isinstance(node.ctx, ast.Load)
    )
    assert set(callers) == {"engine/screening.py"}, callers
