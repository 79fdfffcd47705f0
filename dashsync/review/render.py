"""The review as text (terminal), markdown (a ready pull-request comment) and JSON (for tools)."""

from __future__ import annotations

import json
from dataclasses import asdict

from ..markdown import escape
from .model import DashboardReview, Review, panel_details

ICONS = {
    "added": ":heavy_plus_sign:",
    "removed": ":heavy_minus_sign:",
    "changed": ":pencil2:",
    "moved": ":arrow_right:",
}


def _headline(d: DashboardReview) -> list[str]:
    """The dashboard-level facts: rename, folder move, settings."""
    lines = []
    if d.old_title:
        lines.append(f"renamed '{d.old_title}' -> '{d.title}'")
    if d.status == "changed" and d.old_folder != d.new_folder:
        lines.append(f"moved to folder '{d.new_folder or 'General'}' (was '{d.old_folder or 'General'}')")
    return lines + list(d.details)


def _summary(review: Review) -> str:
    alerts = sum(1 for r in review.rules if r.kind == "alert")
    records = sum(1 for r in review.rules if r.kind == "record")
    panels = sum(len(d.panels) for d in review.dashboards)
    return (
        f"{len(review.dashboards)} dashboard(s) with {panels} panel change(s), "
        f"{alerts} alert rule(s) and {records} recording rule(s) changed"
    )


def render_text(review: Review, pictures: dict[str, str] | None = None) -> str:
    if review.empty:
        return f"no dashboard or rule differs between {review.old_label} and {review.new_label}\n"
    lines = [f"{review.old_label} -> {review.new_label}: {_summary(review)}"]
    for d in review.dashboards:
        folder = d.new_folder if d.status != "removed" else d.old_folder
        lines.append(f"{d.status} dashboard {d.title} ({d.uid}) in '{folder or 'General'}'")
        lines.extend(f"    {line}" for line in _headline(d))
        for p in d.panels:
            lines.append(f"    {p.kind} {p.label} [{p.panel_type}]")
            lines.extend(f"        {detail}" for detail in panel_details(p))
    for r in review.rules:
        lines.append(f"{r.status} {r.kind} {r.name} (group {r.group}, {r.file})")
        lines.extend(f"    {detail}" for detail in r.details)
    for uid, name in (pictures or {}).items():
        lines.append(f"picture of {uid}: {name}")
    return "\n".join(lines) + "\n"


def render_markdown(
    review: Review, pictures: dict[str, str] | None = None, previews: dict[str, tuple[str, ...]] | None = None
) -> str:
    """A pull-request comment: summary, one section per dashboard with a panel table, then a rule table.
    `previews`: uid -> the before/after pictures with real data (dashsync/review/previews.py), linked the same way."""
    out = ["<!-- dashsync-review -->", f"### Dashboard review: `{review.old_label}` -> `{review.new_label}`", ""]
    if review.empty:
        out.append("No dashboard, alert or recording rule changes.")
        return "\n".join(out) + "\n"
    out += [f"**{_summary(review)}.**", ""]
    for d in review.dashboards:
        folder = d.new_folder if d.status != "removed" else d.old_folder
        out.append(f"#### {ICONS[d.status]} {escape(d.title)} (`{d.uid}`, folder {folder or 'General'}): {d.status}")
        out.extend(f"- {escape(line)}" for line in _headline(d))
        if d.panels:
            out += ["", "| Panel | Type | Change | Details |", "|---|---|---|---|"]
            for p in d.panels:
                details = "<br>".join(escape(x) for x in panel_details(p))
                out.append(f"| {escape(p.title or p.label)} | {p.panel_type} | {ICONS[p.kind]} {p.kind} | {details} |")
        if pictures and d.uid in pictures:
            out += ["", f"Layout before/after: `{pictures[d.uid]}` (workflow artifact `dashboard-review`)."]
        if previews and previews.get(d.uid):
            shown = ", ".join(f"`{name}`" for name in previews[d.uid])
            out += ["", f"With data before/after: {shown} (same artifact; the `.html` beside each is interactive)."]
        out.append("")
    if review.rules:
        out += ["#### Alert and recording rules", "", "| Rule | Kind | Group | File | Change | Details |"]
        out.append("|---|---|---|---|---|---|")
        for r in review.rules:
            details = "<br>".join(escape(x) for x in r.details)
            out.append(
                f"| {escape(r.name)} | {r.kind} | {r.group} | {r.file} | {ICONS[r.status]} {r.status} | {details} |"
            )
        out.append("")
    return "\n".join(out)


def truncate(text: str, limit: int, where: str) -> str:
    """At most `limit` characters, cut at a line, saying how much is left out and where the rest is.

    GitHub refuses comments over 65,536 characters; a huge regeneration must still get a comment."""
    if limit <= 0 or len(text) <= limit:
        return text
    note = "\n\n**Truncated: {n} more line(s); the full review is {where}.**\n"
    budget = limit - len(note) - 40
    kept = text[: max(budget, 0)].rsplit("\n", 1)[0]
    dropped = text.count("\n") - kept.count("\n")
    return kept + note.format(n=dropped, where=where)


def render_json(review: Review, pictures: dict[str, str] | None = None) -> str:
    payload = {
        "old": review.old_label,
        "new": review.new_label,
        "equal": review.empty,
        "dashboards": [_dashboard_json(d) for d in review.dashboards],
        "rules": [asdict(r) for r in review.rules],
        "pictures": pictures or {},
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _dashboard_json(dashboard: DashboardReview) -> dict:
    """The dashboard as JSON, each panel's details as the text and markdown tell them."""
    out = asdict(dashboard)
    for panel, shown in zip(out["panels"], dashboard.panels, strict=True):
        panel["details"] = list(panel_details(shown))
    return out


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
