"""The composite GitHub Action: its definition, and its audit step's script run here as the runner would."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

from .test_formats import SCHEMA

ROOT = Path(__file__).parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = {step.get("name"): step for step in ACTION["runs"]["steps"]}
AUDIT = next(step for step in ACTION["runs"]["steps"] if step.get("id") == "audit")


def test_composite_action_installs_from_its_own_path_and_uploads_sarif() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) >= {"paths", "args", "upload-sarif", "sarif-file"}
    install = STEPS["Install the auditor"]
    assert '"$GITHUB_ACTION_PATH"' in install["run"] and install["shell"] == "bash"
    upload = STEPS["Upload the findings to code scanning"]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert all("shell" in step for step in ACTION["runs"]["steps"] if "run" in step)


def run_audit_step(cwd: Path, scratch: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """The audit step's script under bash, its `${{ inputs.X }}` env filled from `inputs` or the defaults;
    the step's outputs are written in `scratch`."""
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()} | inputs
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    for key, expression in AUDIT["env"].items():
        env[key] = re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: values[m.group(1)], expression)
    output_file = scratch / "github-output"
    output_file.unlink(missing_ok=True)
    env["GITHUB_OUTPUT"] = str(output_file)
    result = subprocess.run(["bash", "-e", "-c", AUDIT["run"]], cwd=cwd, env=env, capture_output=True, text=True)
    outputs = dict(line.split("=", 1) for line in output_file.read_text().splitlines())
    return result, outputs


def test_audit_step_writes_sarif_and_keeps_the_exit_status(tmp_path: Path) -> None:
    result, outputs = run_audit_step(ROOT, tmp_path, paths="examples/", **{"sarif-file": str(tmp_path / "out.sarif")})
    assert result.returncode == 0, result.stderr
    assert outputs == {"exit-code": "1"}
    document = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft7Validator)
    assert result.stdout.startswith("Found ")


def test_audit_step_without_sarif_annotates(tmp_path: Path) -> None:
    clean = tmp_path / "page.md"
    clean.write_text("# Notes\n\nA plain note.\n", encoding="utf-8")
    no_sarif = {"upload-sarif": "false"}
    result, outputs = run_audit_step(
        ROOT, tmp_path, paths="examples/spam/cheap-vpn.md", args="--fail-on warning", **no_sarif
    )
    assert outputs == {"exit-code": "1"}
    assert result.stdout.startswith("::error file=examples/spam/cheap-vpn.md,line=")
    _, clean_outputs = run_audit_step(tmp_path, tmp_path, paths="page.md", **no_sarif)
    assert clean_outputs == {"exit-code": "0"}
