"""The Dask engine gives the local engine's findings, in the same order, on files and on a WARC."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest

pytest.importorskip("distributed")
pytest.importorskip("warcio")

import auditor
from auditor.report import Report

from .crawls import site_warc, write_site


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A local cluster of two single-threaded worker processes, as in the issue's bar."""
    import logging

    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    ) as cluster:
        yield cluster.scheduler_address


def _rows(report: Report) -> list[tuple[str, list[dict]]]:
    return [(r.path, [asdict(f) for f in r.findings]) for r in report.files]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site(tmp_path_factory.mktemp("site"))


def test_files_audited_on_dask_match_the_local_engine(site: Path, scheduler: str) -> None:
    local = auditor.audit_paths([site])
    # Partitions of 7 pages: site groups (a cluster of 10, a farm of 5) span several partitions.
    distributed = auditor.audit_paths([site], engine="dask", scheduler=scheduler, partition_size=7)
    assert _rows(distributed) == _rows(local)
    assert {"TS201", "TS202", "PL408"} <= {f.rule for r in local.files for f in r.findings}


def test_a_warc_audited_on_dask_matches_the_local_engine(tmp_path: Path, scheduler: str) -> None:
    crawl = site_warc(tmp_path / "crawl.warc.gz")
    local = auditor.audit_paths([crawl])
    distributed = auditor.audit_paths([crawl], engine="dask", scheduler=scheduler, partition_size=6)
    assert _rows(distributed) == _rows(local)
    assert local.files[0].path.startswith("https://example.test/")
    assert {"TS201", "TS202", "PL408"} <= {f.rule for r in local.files for f in r.findings}


def test_the_cli_streams_json_lines_from_the_cluster(site: Path, scheduler: str) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    check = [sys.executable, "-m", "auditor", "check", str(site), "--format", "json-lines"]
    local = subprocess.run(check, capture_output=True, text=True, env=env)
    dask = subprocess.run(
        [*check, "--engine", "dask", "--scheduler", scheduler, "--partition-size", "9"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert dask.returncode == local.returncode == 1, dask.stderr
    assert dask.stdout == local.stdout
    lines = [json.loads(line) for line in dask.stdout.splitlines()]
    assert lines and {"path", "rule", "line", "severity"} <= set(lines[0])


def test_an_unreachable_scheduler_is_a_usage_error(site: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1", "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    argv = [sys.executable, "-m", "auditor", "check", str(site), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"]
    result = subprocess.run(argv, capture_output=True, text=True, env=env)
    assert result.returncode == 2
    assert "--engine dask" in result.stderr and "127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr
