"""Fit the page verdict's weights (PV501) on labeled corpora, validated leave-one-source-out.

    python tools/fit_verdict.py --sites CORPUS [--sites CORPUS …] [--whole CORPUS …]
                                [--features FILE] [--reuse] [--write]

A corpus holds `manifest.tsv` (columns file, label, source, …; labels spam and
ham, others are left out) and its pages. `--sites` corpora are laid out
LABEL/SOURCE/…: each source folder is audited as one site, as its owner would
run it. `--whole` corpora are audited as one site, and their sources are the
manifest's `source` column. Every page is also audited alone, as a pre-commit
hook on one changed file does. Both readings of a page are samples.

The model is logistic regression over each page's findings, one feature per
(rule, severity) counted up to a cap, weights kept ≥ 0 (a finding is evidence
for promotion or nothing). Samples are weighted so that each source and mode
counts once, and spam as much as ham: one big farm cannot carry the fit. The
threshold is the lowest score at which the training ham stays under
`--target-fpr`.

Held out: each source in turn is left out, the weights and threshold are fitted
on the rest, and the held-out pages are judged; those figures, per source and
macro, are what to trust. `--write` then fits on everything and writes
auditor/engine/verdict/data/weights.toml, scaled to a threshold of 5.
`--features FILE` keeps the audited findings, and `--reuse` reads them back
instead of auditing again (for trying fitter settings).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WEIGHTS = REPO / "auditor" / "engine" / "verdict" / "data" / "weights.toml"
VERDICT = "PV501"
# What the written scores are scaled to, so that weights read like SpamAssassin's.
THRESHOLD = 5.0


@dataclass
class Sample:
    group: str  # corpus/source: what is held out together
    mode: str  # "site" or "alone"
    page: str
    spam: bool
    features: dict[str, int]  # "CODE:severity" -> count
    other_error: bool  # an error from a rule other than the verdict


# --- auditing ----------------------------------------------------------------------------------


def _manifest(corpus: Path) -> list[dict[str, str]]:
    with open(corpus / "manifest.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [r for r in rows if r["label"] in ("spam", "ham")]


def _findings(paths: list[Path], corpus: Path) -> dict[str, list[tuple[str, str]]]:
    """(rule, severity) of every finding but the verdict's, by page path relative to `corpus`."""
    from auditor.api import audit_paths

    report = audit_paths([str(p) for p in paths], ignore=[VERDICT], jobs=min(4, os.cpu_count() or 1))
    return {
        os.path.relpath(result.path, corpus): [(f.rule, f.severity.value) for f in result.findings]
        for result in report.files
    }


def _sample(group: str, mode: str, row: dict[str, str], found: list[tuple[str, str]]) -> Sample:
    return Sample(
        group=group,
        mode=mode,
        page=row["file"],
        spam=row["label"] == "spam",
        features=dict(Counter(f"{rule}:{severity}" for rule, severity in found)),
        other_error=any(severity == "error" for _, severity in found),
    )


def collect(sites: list[Path], whole: list[Path]) -> list[Sample]:
    samples: list[Sample] = []
    for corpus, by_folder in [(c, True) for c in sites] + [(c, False) for c in whole]:
        rows = _manifest(corpus)
        groups: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in rows:
            groups["/".join(row["file"].split("/")[:2]) if by_folder else row["source"]].append(row)
        # A site run per source folder, or one over the whole corpus.
        site_runs = [[corpus / folder] for folder in groups] if by_folder else [[corpus / r["file"] for r in rows]]
        in_site: dict[str, list[tuple[str, str]]] = {}
        for run in site_runs:
            in_site.update(_findings(run, corpus))
        for source, members in sorted(groups.items()):
            group = f"{corpus.name}/{source}"
            print(f"auditing {group} alone ({len(members)} pages)", file=sys.stderr)
            for row in members:
                samples.append(_sample(group, "site", row, in_site.get(os.path.normpath(row["file"]), [])))
                alone = _findings([corpus / row["file"]], corpus)
                samples.append(_sample(group, "alone", row, alone.get(os.path.normpath(row["file"]), [])))
    return samples


# --- the model ---------------------------------------------------------------------------------


@dataclass
class Model:
    weights: dict[str, float]  # "CODE:severity" -> weight per finding
    threshold: float
    cap: int

    def score(self, sample: Sample) -> float:
        return sum(self.weights.get(k, 0.0) * min(n, self.cap) for k, n in sample.features.items())

    def flags(self, sample: Sample) -> bool:
        return sample.other_error or self.score(sample) >= self.threshold


def _sample_weights(samples: list[Sample]) -> list[float]:
    """Each (source, mode) sums to 1, then spam and ham to the same total."""
    sizes = Counter((s.group, s.mode) for s in samples)
    raw = [1.0 / sizes[s.group, s.mode] for s in samples]
    totals = {label: sum(w for w, s in zip(raw, samples, strict=True) if s.spam == label) for label in (True, False)}
    return [w / totals[s.spam] if totals[s.spam] else 0.0 for w, s in zip(raw, samples, strict=True)]


def fit(samples: list[Sample], cap: int, l2: float, target_fpr: float, steps: int = 1500) -> Model:
    """Non-negative weighted logistic regression (projected Adam), then the threshold for `target_fpr`."""
    keys = sorted({k for s in samples for k in s.features})
    index = {k: i for i, k in enumerate(keys)}
    rows = [[(index[k], float(min(n, cap))) for k, n in s.features.items()] for s in samples]
    labels = [1.0 if s.spam else 0.0 for s in samples]
    sample_weights = _sample_weights(samples)
    w = [0.0] * len(keys)
    bias = 0.0
    m, v = [0.0] * (len(keys) + 1), [0.0] * (len(keys) + 1)
    rate, beta1, beta2 = 0.05, 0.9, 0.999
    for step in range(1, steps + 1):
        grad = [l2 * x for x in w] + [0.0]
        for row, y, sw in zip(rows, labels, sample_weights, strict=True):
            z = bias + sum(w[i] * x for i, x in row)
            p = 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0
            g = sw * (p - y)
            for i, x in row:
                grad[i] += g * x
            grad[-1] += g
        for j, g in enumerate(grad):
            m[j] = beta1 * m[j] + (1 - beta1) * g
            v[j] = beta2 * v[j] + (1 - beta2) * g * g
            delta = rate * (m[j] / (1 - beta1**step)) / (math.sqrt(v[j] / (1 - beta2**step)) + 1e-8)
            if j < len(w):
                w[j] = max(0.0, w[j] - delta)
            else:
                bias -= delta
    model = Model({k: w[i] for k, i in index.items() if w[i] > 1e-6}, -bias, cap)
    model.threshold = _threshold(model, samples, target_fpr)
    return model


def _threshold(model: Model, samples: list[Sample], target_fpr: float) -> float:
    """The lowest cut, no lower than the logistic decision point, at which the share of ham pages the
    verdict itself flags (averaged over ham sources and modes, as the macro figures are) is within
    the target. Ham flagged by another rule's error is the other rule's to fix, not the cut's."""
    candidates = sorted({round(model.score(s), 6) for s in samples if s.spam} | {model.threshold})
    ham = [s for s in samples if not s.spam]
    for cut in candidates:
        if cut >= model.threshold and cut > 0 and _macro(ham, Model(model.weights, cut, model.cap)) <= target_fpr:
            return cut
    return max(candidates) + 1.0


def _macro(samples: list[Sample], model: Model) -> float:
    """The share of `samples` whose score reaches the model's cut, averaged over their (source, mode)."""
    flagged: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for s in samples:
        flagged[s.group, s.mode].append(model.score(s) >= model.threshold)
    return sum(sum(v) / len(v) for v in flagged.values()) / len(flagged) if flagged else 0.0


# --- validation and output ---------------------------------------------------------------------


def held_out(samples: list[Sample], cap: int, l2: float, target_fpr: float) -> None:
    groups = sorted({s.group for s in samples})
    before = Model({}, math.inf, cap)
    rows = []
    for group in groups:
        model = fit([s for s in samples if s.group != group], cap, l2, target_fpr)
        held = [s for s in samples if s.group == group]
        rows.append((group, held, model))
    print(f"{'held-out source':44} {'pages':>5} {'site before→after':>18} {'alone before→after':>19}")
    judged: dict[tuple[str, str, bool], list[tuple[bool, bool]]] = defaultdict(list)
    for group, held, model in rows:
        cells = []
        for mode in ("site", "alone"):
            of_mode = [s for s in held if s.mode == mode]
            was = sum(before.flags(s) for s in of_mode) / len(of_mode)
            now = sum(model.flags(s) for s in of_mode) / len(of_mode)
            cells.append(f"{was:6.1%} → {now:6.1%}")
            corpus = group.split("/", 1)[0]
            judged[corpus, mode, held[0].spam].append((was, now))
        label = "spam" if held[0].spam else "ham "
        print(f"{label} {group:39} {len(held) // 2:5} {cells[0]:>18} {cells[1]:>19}")
    print()
    for corpus in sorted({c for c, _, _ in judged}):
        figures = []
        for mode in ("site", "alone"):
            for spam, name in ((True, "recall"), (False, "fpr")):
                values = judged.get((corpus, mode, spam), [])
                if values:
                    was = sum(v[0] for v in values) / len(values)
                    now = sum(v[1] for v in values) / len(values)
                    figures.append(f"{mode}_macro_{name}={was:.3f}→{now:.3f}")
        print(f"held-out {corpus}: " + " ".join(figures))


def write(model: Model) -> None:
    scale = THRESHOLD / model.threshold
    by_rule: dict[str, dict[str, float]] = defaultdict(dict)
    for key, weight in sorted(model.weights.items()):
        code, severity = key.split(":")
        if round(weight * scale, 2) > 0:
            by_rule[code][severity] = round(weight * scale, 2)
    lines = [
        "# The page verdict's weights (PV501), fitted by tools/fit_verdict.py: re-run it, do not edit by hand.",
        "# A page's score is the sum over its findings of the weight of their rule and severity,",
        "# each rule counted up to `cap` findings; at `threshold` the page gets PV501.",
        f"threshold = {THRESHOLD}",
        f"cap = {model.cap}",
        "",
    ]
    for code, table in sorted(by_rule.items()):
        lines.append(f"[rules.{code}]")
        lines.extend(f"{severity} = {weight}" for severity, weight in sorted(table.items()))
        lines.append("")
    WEIGHTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {WEIGHTS.relative_to(REPO)}: {sum(map(len, by_rule.values()))} weights", file=sys.stderr)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sites", action="append", default=[], type=Path, help="a corpus of LABEL/SOURCE folders")
    ap.add_argument("--whole", action="append", default=[], type=Path, help="a corpus audited as one site")
    ap.add_argument("--features", type=Path, help="keep the audited findings in this JSON file")
    ap.add_argument("--reuse", action="store_true", help="read --features instead of auditing again")
    ap.add_argument("--cap", type=int, default=3, help="findings of one rule and severity that count (3)")
    ap.add_argument("--l2", type=float, default=0.01, help="the weights' L2 penalty (0.01)")
    ap.add_argument("--target-fpr", type=float, default=0.005, help="training ham flagged at most (0.005)")
    ap.add_argument("--write", action="store_true", help="fit on everything and write the package's weights")
    args = ap.parse_args()
    if args.reuse:
        if not args.features:
            ap.error("--reuse needs --features")
        samples = [Sample(**s) for s in json.loads(args.features.read_text(encoding="utf-8"))]
    else:
        if not args.sites and not args.whole:
            ap.error("name at least one corpus: --sites or --whole")
        samples = collect(args.sites, args.whole)
        if args.features:
            args.features.write_text(json.dumps([s.__dict__ for s in samples]), encoding="utf-8")
    held_out(samples, args.cap, args.l2, args.target_fpr)
    if args.write:
        write(fit(samples, args.cap, args.l2, args.target_fpr))
    return 0


if __name__ == "__main__":
    sys.exit(main())
