"""`python -m dashboards lint [FILE|DIR...]`: lint compiled or hand-made dashboard JSON.

Exit codes CI can use: 0 clean (warnings allowed), 1 at least one error finding, 2 usage error or unreadable
input (one line on stderr each).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from lint import exclusions as excl
from lint import model
from lint.context import Context, project_context
from lint.finding import DASHBOARD_SCOPE, Finding, Severity
from lint.registry import BY_NAME, RULES, run

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DASHBOARDS = ROOT / "provisioning" / "dashboards"
DEFAULT_EXCLUSIONS = ROOT / "dashboards" / "lint-exclusions.yml"
EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class Unreadable(Exception):
    """A file that is not JSON or cannot be read; the message is the one line to print."""


def lint_document(doc: object, ctx: Context) -> tuple[list[Finding], str]:
    """Findings for one parsed JSON document, and the dashboard's uid (for exclusions)."""
    raw = model.unwrap(doc)
    if raw is None:
        what = type(doc).__name__ if doc is not None else "null"
        return [
            Finding(
                "dashboard-structure",
                Severity.ERROR,
                ctx.file,
                DASHBOARD_SCOPE,
                f"the file holds a JSON {what}, not a dashboard object",
            )
        ], ""
    dashboard = model.read(raw)
    return run(dashboard, ctx), dashboard.uid


def read_json(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise Unreadable(f"{path}: cannot read: {getattr(e, 'strerror', None) or e}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise Unreadable(f"{path}: not JSON: {e.msg} (line {e.lineno}, column {e.colno})") from None
    except RecursionError:
        raise Unreadable(f"{path}: nested too deeply to read") from None


def dashboard_files(paths: list[Path]) -> list[Path]:
    """Each file as given, each directory as every *.json below it (recursively, sorted): what a user means by
    `lint DIR`. A directory with no JSON at all is unreadable input, not a clean run."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.json") if p.is_file())
            if not found:
                raise Unreadable(f"{path}: no *.json files in this directory or below it")
            out.extend(found)
        else:
            out.append(path)
    return out


def lint_files(paths: list[Path], exclusions: tuple[excl.Exclusion, ...]) -> tuple[list[Finding], list[str]]:
    """(findings after exclusions, unreadable-file messages) for `paths`, in the order given."""
    base = project_context()
    findings: list[Finding] = []
    errors: list[str] = []
    for path in paths:
        try:
            doc = read_json(path)
        except Unreadable as e:
            errors.append(str(e))
            continue
        try:
            found, uid = lint_document(doc, base.for_file(_display(path)))
        except RecursionError:  # e.g. a PromQL expression thousands of parentheses deep
            errors.append(f"{path}: nested too deeply to lint")
            continue
        findings.extend(excl.apply(found, uid, exclusions))
    return findings, errors


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _rules_help() -> str:
    return "\n".join(f"  {r.name:<22} {r.severity.value:<7} {r.doc}" for r in RULES)


@click.command(
    "lint",
    help="Lint Grafana dashboard JSON files, or every *.json below each DIR "
    "(default: every provisioning/dashboards/**/*.json).\n\n"
    "Prints `file:panel-title: rule: message` per finding. "
    "Exit 0 clean (warnings allowed), 1 error findings, "
    "2 usage error or unreadable input.",
    epilog="\b\nRules:\n" + _rules_help(),
)
@click.argument("files", nargs=-1, metavar="[FILE|DIR]...", type=click.Path(path_type=Path))
@click.option(
    "--exclusions",
    "exclusions_path",
    type=click.Path(path_type=Path),
    default=None,
    help=f"YAML list of {{rule, dashboard, panel?, reason}} to silence [default: {DEFAULT_EXCLUSIONS.name} "
    "when it exists].",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per finding; json: a list of finding objects.",
)
def lint_command(files: tuple[Path, ...], exclusions_path: Path | None, fmt: str) -> None:
    try:
        paths = dashboard_files(list(files)) if files else sorted(DEFAULT_DASHBOARDS.glob("**/*.json"))
    except Unreadable as e:
        _fail(str(e))
    if not paths:
        _fail(f"no dashboards under {_display(DEFAULT_DASHBOARDS)} (run `make dashboards`) and no FILE given")
    try:
        if exclusions_path is not None:
            exclusions = excl.load(exclusions_path, frozenset(BY_NAME))
        elif DEFAULT_EXCLUSIONS.exists():
            exclusions = excl.load(DEFAULT_EXCLUSIONS, frozenset(BY_NAME))
        else:
            exclusions = ()
    except excl.ExclusionError as e:
        _fail(str(e))
    findings, unreadable = lint_files(paths, exclusions)
    if fmt == "json":
        click.echo(json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False))
    else:
        for f in findings:
            click.echo(f.text())
    for message in unreadable:
        click.echo(message, err=True)
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    click.echo(f"{len(paths)} file(s): {errors} error(s), {warnings} warning(s)", err=True)
    if unreadable:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FINDINGS if errors else EXIT_CLEAN)


def _fail(message: str) -> None:
    click.echo(f"lint: {message}", err=True)
    sys.exit(EXIT_USAGE)
