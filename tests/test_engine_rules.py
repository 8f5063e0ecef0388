"""The engine's own rules (io diagnostics, the page verdict) are in every registry, not plugins."""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import pytest

from auditor import registry as registry_module
from auditor.config import load_config
from auditor.engine.auditor import Auditor
from auditor.engine.diagnostics import CHECK as IO
from auditor.registry import Check, PluginError, Registry, default_registry

# A third-party check reusing the engine's IO001: registration must refuse it.
IO_CLASH = Check(name="mine", prefix="IO", rules=(type("R", (IO.rules[0],), {"code": "IO001", "name": "my-io"}),))


def test_a_registry_without_the_built_in_checks_still_reports_a_missing_file(tmp_path: Path) -> None:
    registry = Registry([])
    config = load_config(registry, start=tmp_path)
    result = Auditor(registry, config, site=False).audit_path(str(tmp_path / "gone.md"))
    assert [f.rule for f in result.findings] == ["IO001"]
    assert {"IO001", "PV501"} <= config.selected


def test_the_engine_rules_come_with_the_engine_not_from_entry_points() -> None:
    names = {entry.name for entry in entry_points(group="auditor.checks")}
    assert not names & {"io", "page-verdict"}
    assert {"io", "page-verdict"} <= {check.name for check in default_registry().checks}


def test_a_plugin_reusing_an_io_code_is_refused_naming_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    clash = EntryPoint(name="mine", value=f"{__name__}:IO_CLASH", group="auditor.checks")
    monkeypatch.setattr(registry_module, "entry_points", lambda group: [clash])
    default_registry.cache_clear()
    try:
        with pytest.raises(PluginError, match="IO001 is already provided by the auditor engine"):
            default_registry()
    finally:
        default_registry.cache_clear()
