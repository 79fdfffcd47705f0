"""One linter finding: the record every rule returns and every output format prints."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # fails the lint (exit 1)
    WARNING = "warning"  # printed, does not fail


DASHBOARD_SCOPE = "<dashboard>"  # the panel title shown for findings about the dashboard as a whole


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    file: str
    panel_title: str
    message: str

    def text(self) -> str:
        """`file:panel-title: rule: message`, the format editors and CI logs link from."""
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.file}:{self.panel_title}: {self.rule}: {prefix}{self.message}"

    def as_dict(self) -> dict[str, str]:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d
