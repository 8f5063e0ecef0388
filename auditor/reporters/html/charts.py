"""Bar charts as inline SVG, drawn in Python: no script, no library, no network.

Colours come from the report's style sheet through class names (`bar error`,
`bar warning`, …), so the charts follow the page's palette. Every text that
goes into a chart is escaped by the caller's `esc`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from auditor.reporters.html.pageview import Density

Escape = Callable[[str], str]

_ROW = 22  # px per bar
_SEVERITIES = ("error", "warning", "info")


@dataclass
class RuleRow:
    code: str
    name: str
    check: str
    counts: dict[str, int]  # severity -> findings


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def findings_by_rule(rows: Sequence[RuleRow], esc: Escape) -> str:
    """Findings per rule, grouped under their check, each bar split by severity."""
    if not rows:
        return ""
    label_w, bar_w, width = 270, 420, 780
    peak = max(sum(r.counts.values()) for r in rows) or 1
    parts: list[str] = []
    y = 0
    check = None
    for row in rows:
        if row.check != check:
            check = row.check
            y += 6 if parts else 0
            parts.append(f'<text class="chk" x="0" y="{y + 15}">{esc(check)}</text>')
            y += _ROW
        parts.append(
            f'<a href="#rule-{esc(row.code)}"><text class="lbl" x="12" y="{y + 15}">'
            f'<tspan class="code">{esc(row.code)}</tspan> {esc(_clip(row.name, 30))}</text></a>'
        )
        x = float(label_w)
        total = sum(row.counts.values())
        for severity in _SEVERITIES:
            n = row.counts.get(severity, 0)
            if not n:
                continue
            w = max(bar_w * n / peak, 1.5)
            parts.append(
                f'<rect class="bar {severity}" x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{_ROW - 8}">'
                f"<title>{esc(row.code)}: {n} {severity}{'s' if n != 1 else ''}</title></rect>"
            )
            x += w
        detail = ", ".join(
            f"{row.counts[s]:,} {s}{'s' if row.counts[s] != 1 else ''}" for s in _SEVERITIES if row.counts.get(s)
        )
        parts.append(
            f'<text class="num" x="{x + 6:.1f}" y="{y + 15}">{total:,} <tspan class="dim">({detail})</tspan></text>'
        )
        y += _ROW
    height = y + 4
    return (
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="Findings by check and rule">{"".join(parts)}</svg>'
    )


def density(chart: Density, esc: Escape) -> str:
    """A page's top terms against KS101's limits: one bar per term, the limits as dashed lines."""
    if not chart.bars:
        return ""
    label_w, bar_w, width = 130, 200, 400
    top = max(max(b.share for b in chart.bars), chart.error_limit) * 1.1
    scale = bar_w / top
    head = 18
    parts: list[str] = []
    for i, bar in enumerate(chart.bars):
        y = head + i * _ROW
        kind = bar.severity.value if bar.severity else ("allowed" if bar.note == "allowed" else "none")
        note = f"{bar.note}, limit {bar.limit * 100:g}%" if bar.note == "watched" else bar.note
        label = _clip(bar.label, 14) + (f" ({note})" if note else "")
        parts.append(f'<text class="lbl" x="{label_w - 6}" y="{y + 15}" text-anchor="end">{esc(label)}</text>')
        w = max(bar.share * scale, 1.0)
        parts.append(f'<rect class="bar {kind}" x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{_ROW - 8}"/>')
        parts.append(
            f'<text class="num" x="{label_w + w + 5:.1f}" y="{y + 15}">{bar.share:.1%} '
            f'<tspan class="dim">×{bar.count}</tspan></text>'
        )
    bottom = head + len(chart.bars) * _ROW
    for value, cls, name in ((chart.limit, "limit", "limit"), (chart.error_limit, "elimit", "error")):
        x = label_w + value * scale
        parts.append(f'<line class="{cls}" x1="{x:.1f}" y1="{head - 2}" x2="{x:.1f}" y2="{bottom}"/>')
        anchor = "end" if cls == "limit" else "start"
        dx = -3 if cls == "limit" else 3
        parts.append(
            f'<text class="lim {cls}" x="{x + dx:.1f}" y="{head - 6}" text-anchor="{anchor}">'
            f"{name} {value * 100:g}%</text>"
        )
    height = bottom + 4
    return (
        f'<svg class="chart density" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="Keyword density: the page\'s top terms against the KS101 limits">{"".join(parts)}</svg>'
    )
