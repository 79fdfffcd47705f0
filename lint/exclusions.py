"""The exclusion file: a team silences one rule for one dashboard (or one panel of it), always with a reason.

Format (`dashboards/lint-exclusions.yml`), a YAML list:

    - rule: target-rate-interval
      dashboard: anonymeme-business          # a dashboard uid, or a glob over the file path
      panel: Trades in the last hour         # optional: one panel title
      reason: hourly business figures are defined over exactly 1h

A missing reason, an unknown rule, a malformed entry, or a file that is not UTF-8 YAML is a usage error: the file
is rejected whole, in one line naming the file (and line, where YAML knows it).
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

import yaml

from lint.finding import Finding


class ExclusionError(ValueError):
    """The exclusion file is unusable; the message says which entry and why."""


@dataclass(frozen=True)
class Exclusion:
    rule: str
    dashboard: str
    reason: str
    panel: str | None = None

    def matches(self, finding: Finding, uid: str) -> bool:
        if finding.rule != self.rule:
            return False
        if not (
            self.dashboard == uid
            or fnmatch(finding.file, self.dashboard)
            or fnmatch(Path(finding.file).name, self.dashboard)
        ):
            return False
        return self.panel is None or self.panel == finding.panel_title


def parse(text: str, source: str, rule_names: frozenset[str]) -> tuple[Exclusion, ...]:
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{source}:{mark.line + 1}" if mark else source
        raise ExclusionError(f"{where}: not valid YAML ({e.problem or e.context})") from None
    except yaml.reader.ReaderError as e:  # a control character YAML refuses
        line = text.count("\n", 0, e.position) + 1
        char = f"#x{e.character:04x}" if isinstance(e.character, int) else repr(e.character)
        raise ExclusionError(f"{source}:{line}: not valid YAML (unacceptable character {char}: {e.reason})") from None
    except yaml.YAMLError as e:
        raise ExclusionError(f"{source}: not valid YAML ({' '.join(str(e).split())})") from None
    except RecursionError:
        raise ExclusionError(f"{source}: nested too deeply to read") from None
    if data is None:
        return ()
    if not isinstance(data, list):
        raise ExclusionError(f"{source}: expected a list of exclusions, got {type(data).__name__}")
    out = []
    for i, entry in enumerate(data, 1):
        where = f"{source}: exclusion #{i}"
        if not isinstance(entry, dict):
            raise ExclusionError(f"{where}: expected a mapping with rule, dashboard, reason")
        unknown = set(entry) - {"rule", "dashboard", "panel", "reason"}
        if unknown:
            raise ExclusionError(f"{where}: unknown keys {sorted(unknown, key=str)}")
        for key in ("rule", "dashboard", "reason"):
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                raise ExclusionError(f"{where}: '{key}' is required (a non-empty string)")
        if entry["rule"] not in rule_names:
            raise ExclusionError(f"{where}: unknown rule {entry['rule']!r}")
        panel = entry.get("panel")
        if panel is not None and not isinstance(panel, str):
            raise ExclusionError(f"{where}: 'panel' must be a panel title")
        out.append(Exclusion(entry["rule"], entry["dashboard"], entry["reason"].strip(), panel))
    return tuple(out)


def load(path: Path, rule_names: frozenset[str]) -> tuple[Exclusion, ...]:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ExclusionError(f"{path}: cannot read ({e.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise ExclusionError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}); "
            "the exclusions file is YAML"
        ) from None
    return parse(text, str(path), rule_names)


def apply(findings: list[Finding], uid: str, exclusions: tuple[Exclusion, ...]) -> list[Finding]:
    return [f for f in findings if not any(x.matches(f, uid) for x in exclusions)]
