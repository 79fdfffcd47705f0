"""Semantic diff of the generated Prometheus rule files (compose/prometheus/alerts/*.yml, rules/*.yml).

A rule is identified by file, group and name; alert names repeat within a group (one ServiceDown per team),
so repeated names are told apart by their labels. Changes are said per field: expr, for, labels, annotations.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from ..errors import DashsyncError
from ..sources import git_output
from .model import RuleChange

RuleFiles = dict[str, Any]  # relative path -> parsed YAML with a top-level `groups`
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FIELDS = ("expr", "for", "keep_firing_for")


def _parse(text: str, where: str) -> Any:
    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 - a safe loader (C or Python)
    except yaml.YAMLError as exc:
        raise DashsyncError(f"{where}: not valid YAML ({str(exc).splitlines()[0]})") from None


def _is_rule_file(content: Any) -> bool:
    return isinstance(content, dict) and isinstance(content.get("groups"), list)


def rules_from_directory(root: Path) -> RuleFiles:
    """Every rule file under root (prometheus.yml and other non-rule YAML are ignored)."""
    if not root.is_dir():
        raise DashsyncError(f"{root}: no such directory (generate the rules first, or pass --rules-dir)")
    out: RuleFiles = {}
    for path in sorted([*root.rglob("*.yml"), *root.rglob("*.yaml")]):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DashsyncError(f"{path}: cannot read ({exc})") from None
        content = _parse(text, str(path))
        if _is_rule_file(content):
            out[path.relative_to(root).as_posix()] = content
    return out


def rules_from_git(rev: str, root: Path) -> RuleFiles:
    """The rule files under root as committed at rev (git show; the work tree is not touched)."""
    root = root.resolve()
    top = Path(git_output(root if root.is_dir() else Path.cwd(), "rev-parse", "--show-toplevel").strip())
    try:
        prefix = root.relative_to(top).as_posix()
    except ValueError:
        raise DashsyncError(f"{root} is not inside the git repository") from None
    out: RuleFiles = {}
    for name in git_output(top, "ls-tree", "-r", "--name-only", rev, "--", prefix).splitlines():
        if name.endswith((".yml", ".yaml")):
            content = _parse(git_output(top, "show", f"{rev}:{name}"), f"{rev}:{name}")
            if _is_rule_file(content):
                out[Path(name).relative_to(prefix).as_posix()] = content
    return out


Key = tuple[str, str, str, str]  # file, group, name, disambiguator


def _index(files: RuleFiles) -> tuple[dict[Key, dict[str, Any]], dict[tuple[str, str], dict[str, Any]]]:
    rules: dict[Key, dict[str, Any]] = {}
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for file, content in files.items():
        for group in content["groups"]:
            if not isinstance(group, dict):
                continue
            gname = str(group.get("name", ""))
            groups[(file, gname)] = {k: v for k, v in group.items() if k != "rules"}
            items = [r for r in group.get("rules") or [] if isinstance(r, dict)]
            names = Counter(str(r.get("alert") or r.get("record") or "") for r in items)
            seen: Counter[tuple[str, str]] = Counter()
            for rule in items:
                name = str(rule.get("alert") or rule.get("record") or "")
                extra = ""
                if names[name] > 1:
                    labels = rule.get("labels") or {}
                    extra = ",".join(f"{k}={labels[k]}" for k in sorted(labels))
                    seen[(name, extra)] += 1
                    if seen[(name, extra)] > 1:
                        extra += f"#{seen[(name, extra)]}"
                rules[(file, gname, name, extra)] = rule
    return rules, groups


def _short(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 160 else text[:159] + "…"


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[str, ...]:
    out: list[str] = []
    for field in FIELDS:
        a, b = old.get(field), new.get(field)
        if a != b:
            if field == "expr":
                out.append(f"expr `{_short(a)}` -> `{_short(b)}`")
            else:
                out.append(f"{field} {a or 'unset'} -> {b or 'unset'}")
    for section in ("labels", "annotations"):
        a, b = old.get(section) or {}, new.get(section) or {}
        for key in sorted(a.keys() | b.keys()):
            if key not in b:
                out.append(f"{section[:-1]} {key} removed (was {_short(a[key])!r})")
            elif key not in a:
                out.append(f"{section[:-1]} {key} added: {_short(b[key])!r}")
            elif a[key] != b[key]:
                out.append(f"{section[:-1]} {key} {_short(a[key])!r} -> {_short(b[key])!r}")
    known = {"alert", "record", "labels", "annotations", *FIELDS}
    for key in sorted((old.keys() | new.keys()) - known):
        if old.get(key) != new.get(key):
            out.append(f"{key} {_short(old.get(key))!r} -> {_short(new.get(key))!r}")
    return tuple(out)


def diff_rules(old: RuleFiles, new: RuleFiles) -> tuple[RuleChange, ...]:
    old_rules, old_groups = _index(old)
    new_rules, new_groups = _index(new)
    out: list[RuleChange] = []
    for file, group in sorted(old_groups.keys() & new_groups.keys()):
        a, b = old_groups[(file, group)], new_groups[(file, group)]
        if a != b:
            out.append(RuleChange(file, group, "group", group, "changed", _field_changes(a, b)))
    for key in sorted(old_rules.keys() | new_rules.keys()):
        file, group, name, extra = key
        before, after = old_rules.get(key), new_rules.get(key)
        ref = after if after is not None else before
        assert ref is not None
        kind = "alert" if "alert" in ref else "record"
        shown = f"{name} [{extra}]" if extra else name
        if before is None:
            out.append(RuleChange(file, group, kind, shown, "added", (f"expr `{_short(ref.get('expr'))}`",)))
        elif after is None:
            out.append(RuleChange(file, group, kind, shown, "removed"))
        elif before != after:
            out.append(RuleChange(file, group, kind, shown, "changed", _field_changes(before, after)))
    return tuple(out)
