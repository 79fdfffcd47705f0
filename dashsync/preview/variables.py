"""Template variables: their values (the dashboard's defaults, or `--var name=value`) and their interpolation into
queries and titles, as Grafana does.

Grounded in Grafana's source:
- the variable syntax `$var`, `${var}`, `${var:format}`, `[[var]]`: TemplateSrv's regex
  (public/app/features/templating/template_srv.ts, the same `variableRegex` lint/grafana_vars.py cites);
- "All" with a custom `allValue` is inserted raw, unformatted ("skip formatting of custom all values" in
  TemplateSrv.replace); "All" without one stands for every option;
- in a Prometheus query a single-value variable is `prometheusRegularEscape`d, a multi-value or include-all one is
  `prometheusSpecialRegexEscape`d and several values become `(a|b)` (interpolateQueryExpr in
  public/app/plugins/datasource/prometheus/datasource.ts);
- a saved current value that is no longer among the options falls back to the first option, which is "All" when
  the variable includes All (validateVariableSelectionState);
- `label_values(selector, label)` asks Prometheus /api/v1/label/<label>/values with match[]=selector over the
  dashboard's range, `query_result(expr)` runs an instant query (metric_find_query.ts); the variable's regex keeps
  matching values (its first capture group when it has one), then `sort` orders them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..errors import DashsyncError

VARIABLE = re.compile(r"\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}")
ALL = "$__all"
_LABEL_VALUES = re.compile(r"^\s*label_values\(\s*(?:(.*),\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$", re.S)
_QUERY_RESULT = re.compile(r"^\s*query_result\((.*)\)\s*$", re.S)
_METRICS = re.compile(r"^\s*metrics\((.*)\)\s*$", re.S)


@dataclass(frozen=True)
class Variable:
    """One resolved variable. `selected` holds values; ("$__all",) means All."""

    name: str
    kind: str
    options: tuple[str, ...]
    selected: tuple[str, ...]
    multi: bool = False
    include_all: bool = False
    all_value: str | None = None

    @property
    def is_all(self) -> bool:
        return self.selected == (ALL,)

    def values(self) -> tuple[str, ...]:
        """The values the selection stands for (every option for All): what a repeat makes one copy of."""
        return self.options if self.is_all else self.selected

    def text(self) -> str:
        return "All" if self.is_all else " + ".join(self.selected)

    def single(self, value: str) -> Variable:
        """This variable fixed to one value: a repeated panel's copy sees its own value only."""
        return Variable(self.name, self.kind, self.options, (value,), False, False, None)


class Lookup:
    """What resolving variables needs from Prometheus; implemented by prometheus.Client and by recordings."""

    def label_values(self, label: str, match: str | None) -> list[str]:  # pragma: no cover - an interface
        raise NotImplementedError

    def instant_strings(self, expr: str) -> list[str]:  # pragma: no cover - an interface
        raise NotImplementedError


def _regex_filter(values: list[str], pattern: str) -> list[str]:
    m = re.fullmatch(r"/(.*)/([gimsuy]*)", pattern.strip(), re.S)
    if not m:
        return values
    try:
        rx = re.compile(m.group(1), re.I if "i" in m.group(2) else 0)
    except re.error as exc:
        raise DashsyncError(f"variable regex {pattern!r}: {exc}") from None
    out: list[str] = []
    for value in values:
        found = rx.search(value)
        if found:
            picked = found.group(1) if found.groups() else value
            if picked is not None and picked not in out:
                out.append(picked)
    return out


def _numeric_key(value: str) -> tuple[float, str]:
    found = re.search(r"-?\d+(?:\.\d+)?", value)
    return (float(found.group()) if found else float("inf"), value)


def _sort(values: list[str], sort: int) -> list[str]:
    """The variable's `sort`: 1/2 alphabetical, 3/4 numerical, 5/6 alphabetical ignoring case (asc/desc)."""
    keyed: dict[int, Callable[[str], object]] = {1: str, 2: str, 3: _numeric_key, 4: _numeric_key}
    keyed.update({5: str.lower, 6: str.lower})
    if sort not in keyed:
        return values
    return sorted(values, key=keyed[sort], reverse=sort in (2, 4, 6))  # type: ignore[arg-type]


def _custom_options(query: str) -> list[str]:
    """A custom variable's "a, b, key : value" list (CustomVariable splits on commas not escaped with a \\)."""
    parts = [p.replace("\\,", ",").strip() for p in re.split(r"(?<!\\),", query)]
    return [p.split(" : ", 1)[1].strip() if " : " in p else p for p in parts if p]


def _query_options(name: str, query: str, lookup: Lookup) -> list[str]:
    m = _LABEL_VALUES.match(query)
    if m:
        return list(lookup.label_values(m.group(2), (m.group(1) or "").strip() or None))
    m = _QUERY_RESULT.match(query)
    if m:
        return lookup.instant_strings(m.group(1))
    m = _METRICS.match(query)
    if m:
        names = lookup.label_values("__name__", None)
        return [n for n in names if re.search(m.group(1).strip(), n)]
    raise DashsyncError(
        f"variable {name}: query {query!r} is not one the preview resolves (label_values, query_result, metrics)"
    )


def _current(var: dict) -> tuple[str, ...]:
    value = (var.get("current") or {}).get("value")
    if value is None or value == "":
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


def resolve(
    dashboard: dict, lookup: Lookup, overrides: Mapping[str, tuple[str, ...]], builtins: Mapping[str, str]
) -> dict[str, Variable]:
    """Every template variable, in order (later queries may use earlier variables); `--var` wins over defaults."""
    out: dict[str, Variable] = {}
    declared = [v for v in (dashboard.get("templating") or {}).get("list") or [] if isinstance(v, dict)]
    unknown = set(overrides) - {str(v.get("name")) for v in declared}
    if unknown:
        raise DashsyncError(f"--var {sorted(unknown)[0]}: the dashboard has no such variable")
    for var in declared:
        name, kind = str(var.get("name") or ""), str(var.get("type") or "")
        multi, include_all = bool(var.get("multi")), bool(var.get("includeAll"))
        query = var.get("query")
        query = query.get("query", "") if isinstance(query, dict) else str(query or "")
        if kind == "query":
            text = interpolate(query, out, builtins, quoting="regex")
            options = _sort(
                _regex_filter(_query_options(name, text, lookup), str(var.get("regex") or "")),
                int(var.get("sort") or 0),
            )
        elif kind in ("custom", "interval"):
            options = _custom_options(query)
        elif kind in ("constant", "textbox"):
            options = [query] if kind == "constant" else [str(((var.get("current") or {}).get("value")) or query)]
        elif kind == "datasource":
            options = [str((var.get("current") or {}).get("value") or query)]
        else:  # adhoc, groupby, system...: nothing to substitute in a Prometheus expression
            continue
        wanted = overrides.get(name) or _current(var)
        if wanted in ((ALL,), ("All",)) and include_all:
            selected: tuple[str, ...] = (ALL,)
        elif wanted and (all(w in options for w in wanted) or kind in ("textbox", "constant") or name in overrides):
            selected = wanted if multi or len(wanted) == 1 else wanted[:1]
        elif include_all:
            selected = (ALL,)
        else:
            selected = tuple(options[:1])
        all_value = var.get("allValue") if isinstance(var.get("allValue"), str) and var.get("allValue") else None
        out[name] = Variable(name, kind, tuple(options), selected, multi, include_all, all_value)
    return out


def _regular_escape(value: str) -> str:
    """prometheusRegularEscape: backslashes doubled, single quotes escaped."""
    return value.replace("\\", "\\\\").replace("'", "\\\\'")


def _special_regex_escape(value: str) -> str:
    """prometheusSpecialRegexEscape: regex metacharacters escaped twice (once for the string, once for the regex)."""
    return re.sub(r"([$^*{}\[\]'+?.()|])", r"\\\\\1", value.replace("\\", "\\\\\\\\"))


def _format(var: Variable, fmt: str | None, quoting: str) -> str:
    values = var.values() if var.is_all else var.selected
    if var.is_all and var.all_value is not None:
        return var.all_value
    if fmt in (None, "") and quoting == "text":
        return var.text()
    if fmt in (None, "") and quoting == "regex":  # the Prometheus datasource's interpolateQueryExpr
        if not var.multi and not var.include_all:
            return _regular_escape(values[0] if values else "")
        escaped = [_special_regex_escape(v) for v in values]
        return escaped[0] if len(escaped) == 1 else "(" + "|".join(escaped) + ")"
    if fmt == "regex":
        escaped = [re.escape(v) for v in values]
        return escaped[0] if len(escaped) == 1 else "(" + "|".join(escaped) + ")"
    if fmt == "pipe":
        return "|".join(values)
    if fmt == "csv":
        return ",".join(values)
    if fmt == "json":
        return json.dumps(list(values))
    if fmt == "doublequote":
        return ",".join(f'"{v}"' for v in values)
    if fmt == "singlequote":
        return ",".join(f"'{v}'" for v in values)
    if fmt == "text":
        return var.text()
    if fmt == "glob":
        return values[0] if len(values) == 1 else "{" + ",".join(values) + "}"
    return values[0] if len(values) == 1 else "{" + ",".join(values) + "}"  # raw and the default of TemplateSrv


def interpolate(
    text: str, variables: Mapping[str, Variable], builtins: Mapping[str, str], quoting: str = "regex"
) -> str:
    """`text` with every known variable replaced; unknown ones are left as written, as Grafana leaves them.

    quoting "regex": a Prometheus query; "text": a title or a text panel (values joined with " + ")."""

    def replace(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2) or m.group(4)
        fmt = m.group(3) or m.group(6)
        if name in builtins:
            return builtins[name]
        var = variables.get(name)
        return m.group(0) if var is None else _format(var, fmt, quoting)

    return VARIABLE.sub(replace, text)
