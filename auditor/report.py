"""The result of a run: every audited file with its findings, in path order."""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.engine.results import FileResult
from auditor.models import Severity


@dataclass
class Report:
    files: list[FileResult] = field(default_factory=list)
    # Findings left out because the baseline (`--baseline`) already holds them.
    baselined: int = 0

    def count(self, severity: Severity) -> int:
        return sum(1 for result in self.files for f in result.findings if f.severity is severity)

    def summary(self) -> dict[str, int]:
        return {
            "files": len(self.files),
            "errors": self.count(Severity.ERROR),
            "warnings": self.count(Severity.WARNING),
            "infos": self.count(Severity.INFO),
        }

    def fails(self, threshold: Severity) -> bool:
        """Whether anything at or above `threshold` was found (exit status 1)."""
        return any(f.severity.rank >= threshold.rank for result in self.files for f in result.findings)
