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

pytest.importorskip("distributed", reason="the Dask engine needs the dask extra: pip install -e '.[test,dask]'")
pytest.importorskip("warcio", reason="WARC input needs the warc or dask extra: pip install -e '.[test,dask]'")

import auditor
from auditor.report import Report

from .crawls import as_html, site_pages, site_warc, write_site, write_warc


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


@pytest.mark.parametrize("partition_size", [1, 3])
def test_many_small_partitions_and_uris_captured_twice_match_the_local_engine(
    tmp_path: Path, scheduler: str, partition_size: int
) -> None:
    # Each page twice in a row: with 1 page a partition, 100 partitions (more than the engine keeps in
    # flight or has buckets), each copy in a partition of its own; with 3, some pairs share one.
    responses = [
        (f"https://example.test/{name}", as_html(text).encode(), "text/html")
        for name, text in sorted(site_pages().items())
        for _copy in range(2)
    ]
    crawl = write_warc(tmp_path / "twice.warc", responses)
    local = auditor.audit_paths([crawl])
    distributed = auditor.audit_paths([crawl], engine="dask", scheduler=scheduler, partition_size=partition_size)
    assert _rows(distributed) == _rows(local)
    assert {"TS201", "TS202", "PL408"} <= {f.rule for r in local.files for f in r.findings}


def test_buckets_are_the_same_in_every_process() -> None:
    # Workers are processes of their own, each with its own `hash()` of a str: a record must reach the
    # same bucket from any of them.
    from auditor.engine.dask import bucket_of

    keys = [("TS201", "Intro\n{K} pricing"), ("TS202", ("band", 3, 12345)), "https://example.test/页面"]
    code = f"from auditor.engine.dask import bucket_of; print([bucket_of(k, 64) for k in {keys!r}])"
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        assert other.stdout.strip() == str([bucket_of(key, 64) for key in keys])


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


def test_a_custom_rules_weight_counts_in_the_verdict_on_dask(tmp_path: Path, scheduler: str) -> None:
    (tmp_path / "auditor.toml").write_text(
        '[[custom-rules]]\ncode = "XY105"\nname = "house-brand"\nkind = "existence"\n'
        'message = "‘{match}’ named again"\ntokens = ["Zantrex"]\nweight = 2\n',
        encoding="utf-8",
    )
    (tmp_path / "page.md").write_text("# Kettles\n\nZantrex, Zantrex and Zantrex again.\n", encoding="utf-8")
    (tmp_path / "other.md").write_text("# Other\n\nA plain page about tea.\n", encoding="utf-8")
    local = auditor.audit_paths([tmp_path], config=tmp_path / "auditor.toml")
    distributed = auditor.audit_paths([tmp_path], config=tmp_path / "auditor.toml", engine="dask", scheduler=scheduler)
    assert _rows(distributed) == _rows(local)
    verdicts = [(r.path, f.message) for r in local.files for f in r.findings if f.rule == "PV501"]
    assert verdicts == [(str(tmp_path / "page.md"), "reads as promotion (score 6.0 ≥ 5.0): XY105 ×3 (6.0)")]
