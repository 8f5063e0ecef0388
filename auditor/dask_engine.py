"""The Dask engine: the same two phases on a Dask cluster, for runs one machine cannot hold.

    plan ─► page phase: a dask.bag map over partitions (files, or slices of a WARC)
         ─► site phase: for each step, site_keys ─► bag.groupby((rule, key)) ─► site_reduce
         ─► site findings routed to their page's partition: groupby(path), then groupby(partition)
         ─► partition by partition, in order: finish (join, suppress, sort) ─► the report

Workers run `auditor.phases`, whose per-process Auditor loads the lexicons
and jieba once per worker. The client holds the plan (a few values per
partition), the task graph and the partitions being written, never all
pages: results stay on the workers until their partition is written.

Needs `pip install 'auditor[dask]'`; nothing else in auditor imports Dask.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

import dask.bag as db
from dask import delayed
from distributed import Client, LocalCluster

from auditor import phases, warc
from auditor.engine import FileResult
from auditor.models import Finding
from auditor.phases import Settings
from auditor.sources import PageSource

DEFAULT_PARTITION_SIZE = 200  # pages per task of the page phase
_AHEAD = 4  # partitions merged ahead of the one being written

# A partition of the page phase: ("files", [path, …]) or ("warc", Slice).
Part = tuple[str, Any]


def plan(files: list[str], size: int) -> list[Part]:
    """The page phase's partitions, in report order: runs of up to `size` files, and WARC slices."""
    parts: list[Part] = []
    batch: list[str] = []
    for path in files:
        if warc.is_warc(path):
            if batch:
                parts.append(("files", batch))
                batch = []
            parts.extend(("warc", piece) for piece in warc.slices(path, size))
            continue
        batch.append(path)
        if len(batch) == size:
            parts.append(("files", batch))
            batch = []
    if batch:
        parts.append(("files", batch))
    return parts


def _sources(part: Part) -> Iterator[PageSource]:
    kind, what = part
    if kind == "warc":
        return warc.pages(what.path, what.offset, what.count)
    return (PageSource(path) for path in what)


def _page_partition(parts: list[tuple[int, Part]], settings: Settings) -> list[tuple[int, int, FileResult]]:
    """The page phase of one partition: (partition, position, result) of each page."""
    return [
        (index, position, phases.page_phase(source, settings))
        for index, part in parts
        for position, source in enumerate(_sources(part))
    ]


def _site_keys(pages: list[tuple[int, int, FileResult]], settings: Settings, step: int) -> list[tuple[Any, Any]]:
    return [
        ((rule, key), value)
        for _index, _position, result in pages
        for rule, key, value in phases.site_keys(result, settings, step)
    ]


def _site_reduce(group: tuple[Any, list[tuple[Any, Any]]], settings: Settings, step: int) -> tuple[list, list]:
    (rule, key), records = group
    carried, found = phases.site_reduce(rule, key, [value for _key, value in records], settings, step)
    return [((r, k), v) for r, k, v in carried], found


def _route(group: tuple[str, list[tuple[str, tuple[str, Any]]]]) -> list[tuple[int, tuple[str, list[Finding]]]]:
    """A page's site findings, sent to the partition its result is in (none when it has no finding)."""
    path, tagged = group
    findings = [what for _path, (tag, what) in tagged if tag == "finding"]
    if not findings:
        return []
    return [(what, (path, findings)) for _path, (tag, what) in tagged if tag == "page"]


def _partition_ids(groups: list[tuple[int, Any]]) -> list[list[int]]:
    return [[index for index, _members in groups]]


def _merge(
    pages: list[tuple[int, int, FileResult]], site: list[tuple[int, list]] | None, index: int
) -> list[FileResult]:
    """One partition's results with their site findings joined, in order."""
    found: dict[str, list[Finding]] = {}
    for part, members in site or ():
        if part == index:
            for _part, (path, findings) in members:
                found.setdefault(path, []).extend(findings)
    ordered = sorted(pages, key=itemgetter(1))
    return [phases.finish(result, found.get(result.path, ())) for _index, _position, result in ordered]


@contextmanager
def connect(scheduler: str | None = None, workers: int | None = None) -> Iterator[Client]:
    """A client of the cluster at `scheduler`, or of a local cluster of one single-threaded worker
    process per core (the page phase is pure Python: threads would share one interpreter lock)."""
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    count = workers or os.cpu_count() or 1
    with (
        LocalCluster(
            n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def audit_files(
    files: list[str],
    settings: Settings,
    scheduler: str | None = None,
    partition_size: int | None = None,
    workers: int | None = None,
) -> Iterator[FileResult]:
    """Audit discovered paths on a Dask cluster; results come back one partition at a time, in order."""
    with connect(scheduler, workers) as client:
        yield from audit_on(client, files, settings, partition_size)


def audit_on(
    client: Client, files: list[str], settings: Settings, partition_size: int | None = None
) -> Iterator[FileResult]:
    """Audit discovered paths with a connected client (the cluster stays up for the caller)."""
    parts = plan(files, partition_size or DEFAULT_PARTITION_SIZE)
    count = len(parts)
    if not count:
        return
    pages = db.from_sequence(list(enumerate(parts)), npartitions=count)
    pages = pages.map_partitions(_page_partition, settings).persist()

    site_parts: list[Any] = []
    where: dict[int, int] = {}
    steps = phases.site_steps(settings)
    if steps:
        found = []
        carried = None
        for step in range(steps):
            records = pages.map_partitions(_site_keys, settings, step)
            if carried is not None:
                records = db.concat([records, carried]).repartition(count)
            reduced = records.groupby(itemgetter(0), shuffle="tasks").map(_site_reduce, settings, step).persist()
            carried = reduced.pluck(0).flatten()
            found.append(reduced.pluck(1).flatten())
        # Each page's site findings, joined by path to where its result is, then grouped by partition.
        located = pages.map(lambda page: (page[2].path, ("page", page[0])))
        tagged = db.concat([located, *(f.map(lambda pf: (pf[0], ("finding", pf[1]))) for f in found)])
        routed = tagged.repartition(count).groupby(itemgetter(0), shuffle="tasks").map(_route).flatten()
        by_part = routed.groupby(itemgetter(0), shuffle="tasks").persist()
        # Which output partition holds which page partition's findings: a few numbers per partition.
        index = by_part.map_partitions(_partition_ids).compute()
        where = {part: j for j, ids in enumerate(index) for part in ids}
        site_parts = by_part.to_delayed()

    page_parts = pages.to_delayed()
    pending: deque[Any] = deque()
    for i in range(count):
        site = site_parts[where[i]] if i in where else None
        pending.append(client.compute(delayed(_merge)(page_parts[i], site, i)))
        if len(pending) > _AHEAD:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()
