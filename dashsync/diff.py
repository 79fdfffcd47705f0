"""Pure semantic diff of dashboards, told in words a reviewer reads, and its text/markdown/json renderers.

Why not a JSON diff: Grafana renumbers ids and versions, the UI reorders panels, and a reviewer wants
"panel 'Error rate': query A changed from ... to ..." rather than `panels[3].targets[0].expr`. So volatile
fields are dropped (normalize.py), panels are matched by title (or id when titles repeat) instead of list
position, queries by refId and variables by name; deepdiff then finds what changed inside each matched pair.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .markdown import escape
from .normalize import normalize

PATH_TOKEN = re.compile(r"\[(?:'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"|(\d+))\]")
QUERY_KEYS = frozenset({"expr", "query", "rawSql", "rawQuery", "target"})
V2_MARKER = "__dashsync_stored_as__"  # sources.from_live: a dashboard Grafana keeps in the v2 schema


@dataclass(frozen=True)
class DashboardDiff:
    """How one dashboard differs. status: changed | only-old | only-new."""

    uid: str
    title: str
    status: str
    changes: tuple[str, ...] = ()


def _short(value: Any, limit: int = 120) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _flatten_panels(panels: Any) -> list[dict[str, Any]]:
    """Every panel, including those nested in collapsed rows, in layout order."""
    out: list[dict[str, Any]] = []
    for panel in panels if isinstance(panels, list) else []:
        if isinstance(panel, dict):
            out.append(panel)
            out.extend(_flatten_panels(panel.get("panels")))
    return out


def _panel_keys(panels: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Label -> panel. Unique titles identify a panel; repeated or empty titles fall back to the id."""
    titles = Counter(str(p.get("title") or "") for p in panels)
    keyed: dict[str, dict[str, Any]] = {}
    for index, panel in enumerate(panels):
        title = str(panel.get("title") or "")
        if title and titles[title] == 1:
            label = f"panel '{title}'"
        elif panel.get("id") is not None:
            label = f"panel #{panel['id']}" + (f" '{title}'" if title else "")
        else:
            label = f"panel at position {index + 1}"
        keyed[label] = panel
    return keyed


PanelPair = tuple[str, dict[str, Any] | None, dict[str, Any] | None]


def match_panels(old_panels: Any, new_panels: Any) -> list[PanelPair]:
    """(label, old panel or None, new panel or None) for every panel on either side, sorted by label.

    Panels are matched by title (or id when titles repeat). A panel only on the old side and one only on the new
    side with the same id and type are one panel retitled (as an edit in Grafana's UI does): they are paired
    under the old label, so the change reads "title changed" instead of one panel removed and another added.
    """
    old_keyed = _panel_keys(_flatten_panels(old_panels))
    new_keyed = _panel_keys(_flatten_panels(new_panels))
    only_old = {
        (p.get("id"), p.get("type")): label
        for label, p in old_keyed.items()
        if label not in new_keyed and p.get("id") is not None
    }
    renamed: dict[str, str] = {}  # old label -> new label
    for label, panel in new_keyed.items():
        key = (panel.get("id"), panel.get("type"))
        if label not in old_keyed and key in only_old:
            renamed[only_old.pop(key)] = label
    pairs: list[PanelPair] = []
    for label in sorted(old_keyed.keys() | new_keyed.keys()):
        if label in renamed.values():
            continue
        after = new_keyed.get(renamed.get(label, label))
        pairs.append((label, old_keyed.get(label), after))
    return pairs


def _comparable_panel(panel: dict[str, Any]) -> dict[str, Any]:
    clean = {k: v for k, v in panel.items() if k not in ("id", "panels")}
    targets = clean.get("targets")
    if isinstance(targets, list):
        clean["targets"] = {str(t.get("refId") or i): t for i, t in enumerate(targets) if isinstance(t, dict)}
    return clean


def _comparable_top(dashboard: dict[str, Any]) -> dict[str, Any]:
    clean = normalize({k: v for k, v in dashboard.items() if k != "panels"})
    for section in ("templating", "annotations"):
        block = clean.get(section)
        if isinstance(block, dict) and isinstance(block.get("list"), list):
            clean[section] = {
                **block,
                "list": {
                    str(item.get("name") or i): item for i, item in enumerate(block["list"]) if isinstance(item, dict)
                },
            }
    return clean


def _tokens(path: str) -> list[str]:
    return [a or b or c for a, b, c in PATH_TOKEN.findall(path)]


def _dotted(tokens: list[str]) -> str:
    return ".".join(tokens)


def _describe(prefix: str, tokens: list[str], kind: str, old: Any = None, new: Any = None) -> str:
    where = f"{prefix}: " if prefix else ""
    if kind == "changed":
        if len(tokens) >= 3 and tokens[0] == "targets" and tokens[-1] in QUERY_KEYS:
            return f"{where}query {tokens[1]} changed from `{_short(old)}` to `{_short(new)}`"
        if "thresholds" in tokens and tokens[-1] == "value":
            return f"{where}threshold {_short(old)} -> {_short(new)}"
        if tokens and tokens[-1] == "unit":
            return f"{where}unit {_short(old)} -> {_short(new)}"
        if tokens and tokens[0] == "gridPos":
            return f"{where}layout {_dotted(tokens)} {_short(old)} -> {_short(new)}"
        return f"{where}{_dotted(tokens)} changed from {_short(old)!r} to {_short(new)!r}"
    if kind == "added":
        if len(tokens) == 2 and tokens[0] == "targets":
            query = new.get("expr", new) if isinstance(new, dict) else new
            return f"{where}query {tokens[1]} added: `{_short(query)}`"
        return f"{where}{_dotted(tokens)} added: {_short(new)}"
    if len(tokens) == 2 and tokens[0] == "targets":
        return f"{where}query {tokens[1]} removed"
    return f"{where}{_dotted(tokens)} removed (was {_short(old)})"


def _deep_changes(old: Any, new: Any, prefix: str) -> list[str]:
    """The changes between two parts, in words.

    The walk descends itself through dicts and same-length lists, comparing with == (a walk in C, and by value:
    5 == 5.0, as normalize.py compares) and stepping only into what differs; DeepDiff gets only the lists whose
    length changed, which are small. Handing DeepDiff whole panels made it walk every key of every changed
    panel: 60 s for 500 dashboards with 5% of their panels changed, against about one second now.
    """
    changes: list[str] = []
    _walk(old, new, [], prefix, changes)
    return changes


def _walk(old: Any, new: Any, tokens: list[str], prefix: str, out: list[str]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(old.keys() | new.keys(), key=str):
            here = [*tokens, str(key)]
            if key not in new:
                out.append(_describe(prefix, here, "removed", old=old[key]))
            elif key not in old:
                out.append(_describe(prefix, here, "added", new=new[key]))
            else:
                _walk(old[key], new[key], here, prefix, out)
        return
    if isinstance(old, list) and isinstance(new, list):
        if len(old) == len(new):
            for index, (a, b) in enumerate(zip(old, new, strict=True)):
                _walk(a, b, [*tokens, str(index)], prefix, out)
            return
        shorter, longer = (old, new) if len(old) < len(new) else (new, old)
        if longer[: len(shorter)] == shorter:  # items appended or cut at the end (a threshold step added)
            for index in range(len(shorter), len(longer)):
                here = [*tokens, str(index)]
                if longer is new:
                    out.append(_describe(prefix, here, "added", new=longer[index]))
                else:
                    out.append(_describe(prefix, here, "removed", old=longer[index]))
            return
        from deepdiff import DeepDiff  # only here, for lists reordered or edited in the middle (rare; 60 ms import)

        result = DeepDiff(old, new, verbose_level=2, ignore_numeric_type_changes=True)  # 5 == 5.0
        for section in ("values_changed", "type_changes"):
            for path, detail in result.get(section, {}).items():
                out.append(
                    _describe(
                        prefix, [*tokens, *_tokens(path)], "changed", detail.get("old_value"), detail.get("new_value")
                    )
                )
        for section in ("dictionary_item_added", "iterable_item_added"):
            for path, value in result.get(section, {}).items():
                out.append(_describe(prefix, [*tokens, *_tokens(path)], "added", new=value))
        for section in ("dictionary_item_removed", "iterable_item_removed"):
            for path, value in result.get(section, {}).items():
                out.append(_describe(prefix, [*tokens, *_tokens(path)], "removed", old=value))
        return
    out.append(_describe(prefix, tokens, "changed", old, new))


def diff_dashboard(
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    old_folder: str | None = None,
    new_folder: str | None = None,
) -> DashboardDiff | None:
    """None when the two are the same dashboard; folders are display paths ('' for General)."""
    if old is None and new is None:
        return None
    ref = new if new is not None else old
    assert ref is not None
    uid, title = str(ref.get("uid", "")), str(ref.get("title", "")).strip()
    if old is None:
        return DashboardDiff(uid, title, "only-new")
    if new is None:
        return DashboardDiff(uid, title, "only-old")
    if old == new and (old_folder is None or new_folder is None or old_folder == new_folder):
        return None  # the same JSON (by value): nothing can differ, not even the order
    for side in (old, new):
        if V2_MARKER in side:
            return DashboardDiff(
                uid,
                title,
                "changed",
                (
                    f"stored in Grafana as a {side[V2_MARKER]} dashboard (the new dashboard schema): not comparable "
                    "with classic JSON; push reports it as a conflict",
                ),
            )
    changes = _deep_changes(_comparable_top(old), _comparable_top(new), "")
    for label, before, after in match_panels(old.get("panels"), new.get("panels")):
        if before is None:
            changes.append(f"{label} added")
        elif after is None:
            changes.append(f"{label} removed")
        elif before != after:  # most panels of a changed dashboard are equal: no copies made for those
            changes.extend(_deep_changes(_comparable_panel(before), _comparable_panel(after), label))
    if old_folder is not None and new_folder is not None and old_folder != new_folder:
        changes.append(f"moved to folder '{new_folder or 'General'}' (was '{old_folder or 'General'}')")
    if not changes and normalize(old) != normalize(new):
        changes.append(_order_change(old, new))
    if not changes:
        return None
    return DashboardDiff(uid, title, "changed", tuple(sorted(changes)))


def _order_change(old: dict[str, Any], new: dict[str, Any]) -> str:
    """Why two dashboards differ when every matched part is equal: something is in another order.

    Matching by title, refId and name hides order on purpose (a reviewer wants content changes), but push
    writes on any difference of the normalized JSON, so diff must call that a difference too: one definition
    of "different" for both commands.
    """
    old_titles = [str(p.get("title") or "") for p in _flatten_panels(old.get("panels"))]
    new_titles = [str(p.get("title") or "") for p in _flatten_panels(new.get("panels"))]
    if old_titles != new_titles:
        return f"panel order changed: {_short(old_titles)} -> {_short(new_titles)}"
    return "order changed (same panels, queries, variables or keys in another order)"


def diff_sets(
    old: dict[str, tuple[dict[str, Any], str]], new: dict[str, tuple[dict[str, Any], str]]
) -> list[DashboardDiff]:
    """Compare two sets of dashboards keyed by uid; values are (dashboard, folder display path)."""
    diffs: list[DashboardDiff] = []
    for uid in sorted(old.keys() | new.keys()):
        old_dash, old_folder = old.get(uid, (None, None))
        new_dash, new_folder = new.get(uid, (None, None))
        found = diff_dashboard(old_dash, new_dash, old_folder, new_folder)
        if found:
            diffs.append(found)
    return diffs


# ---------------------------------------------------------------------- renderers


def render_text(diffs: list[DashboardDiff], old_label: str, new_label: str) -> str:
    if not diffs:
        return f"no differences between {old_label} and {new_label}\n"
    lines: list[str] = []
    for d in diffs:
        if d.status == "only-new":
            lines.append(f"+ {d.title} ({d.uid}): only in {new_label}")
        elif d.status == "only-old":
            lines.append(f"- {d.title} ({d.uid}): only in {old_label}")
        else:
            lines.append(f"~ {d.title} ({d.uid}):")
            lines.extend(f"    {change}" for change in d.changes)
    lines.append(f"{len(diffs)} dashboard(s) differ between {old_label} and {new_label}")
    return "\n".join(lines) + "\n"


def render_markdown(diffs: list[DashboardDiff], old_label: str, new_label: str) -> str:
    """What a pull-request comment shows: a summary line, then one section per dashboard."""
    if not diffs:
        return f"**dashsync diff**: no dashboard differs between `{old_label}` and `{new_label}`.\n"
    out = [
        f"**dashsync diff**: {len(diffs)} dashboard(s) differ between `{old_label}` and `{new_label}`.",
        "",
    ]
    for d in diffs:
        if d.status == "only-new":
            out.append(f"- :heavy_plus_sign: **{escape(d.title)}** (`{d.uid}`): only in `{new_label}`")
        elif d.status == "only-old":
            out.append(f"- :heavy_minus_sign: **{escape(d.title)}** (`{d.uid}`): only in `{old_label}`")
        else:
            out.append(f"- :pencil2: **{escape(d.title)}** (`{d.uid}`)")
            out.extend(f"  - {escape(change)}" for change in d.changes)
    return "\n".join(out) + "\n"


def render_json(diffs: list[DashboardDiff], old_label: str, new_label: str) -> str:
    payload = {
        "old": old_label,
        "new": new_label,
        "equal": not diffs,
        "dashboards": [{"uid": d.uid, "title": d.title, "status": d.status, "changes": list(d.changes)} for d in diffs],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
