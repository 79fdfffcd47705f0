"""Each exporter image's hashed requirements, cut from the repository's requirements.lock.

Why: `pip install pkg==1.0` in a Dockerfile pins only the top level, so transitive dependencies float with
every build. The images instead install `--require-hashes -r exporters/<image>/requirements.txt`: exactly the
image's pins plus their transitive dependencies (followed through the lock's `# via` comments), with the same
versions and hashes as requirements.lock, which pip-compile and the security tests keep honest.

`python -m exporters.image_requirements` rewrites the files after the lock changes; `--check` fails (exit 1)
when one is stale, for CI. Not shipped in the images: it only runs in the repository.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from atomicfile import write_text

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "requirements.lock"
# What each image imports at run time (pyproject.toml's names; psycopg's `binary` extra is psycopg-binary).
IMAGE_ROOTS: dict[str, tuple[str, ...]] = {
    "solana": ("prometheus-client", "requests", "click"),
    "business": ("psycopg", "psycopg-binary", "prometheus-client", "pyyaml", "click"),
}
# `# via` edges that hold only for an extra some other locked package asks for (pip-compile --strip-extras
# writes `pysocks  # via urllib3` because selenium, a test dependency, wants urllib3[socks]); no image uses them.
EXTRA_ONLY_EDGES: frozenset[tuple[str, str]] = frozenset({("urllib3", "pysocks")})
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)\s*\\?$")
_HASH = re.compile(r"^\s+--hash=(sha256:[0-9a-f]{64})\s*\\?$")
_VIA_ONE = re.compile(r"^\s+# via (\S.*)$")
_VIA_MANY = re.compile(r"^\s+#\s{3}(\S.*)$")


class LockError(ValueError):
    """requirements.lock cannot be read as pip-compile's hashed output."""


@dataclass(frozen=True)
class Locked:
    """One pinned package of the lock: its hashes and the packages that require it (`# via`)."""

    name: str
    version: str
    hashes: tuple[str, ...]
    via: frozenset[str]

    def render(self) -> str:
        lines = [f"{self.name}=={self.version} \\"]
        lines += [f"    --hash={h} \\" for h in self.hashes[:-1]]
        lines.append(f"    --hash={self.hashes[-1]}")
        return "\n".join(lines)


def normalise(name: str) -> str:
    """PEP 503 name normalisation, so `PyYAML` and `pyyaml` are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_lock(text: str) -> dict[str, Locked]:
    """pip-compile --generate-hashes output -> packages by normalised name."""
    packages: dict[str, Locked] = {}
    current: dict | None = None

    def close() -> None:
        if current is not None:
            if not current["hashes"]:
                raise LockError(f"{current['name']} has no --hash")
            packages[normalise(current["name"])] = Locked(
                normalise(current["name"]),
                current["version"],
                tuple(current["hashes"]),
                frozenset(normalise(v.split()[0]) for v in current["via"]),
            )

    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or (line.startswith("#") and current is None):
            continue
        if pin := _PIN.match(line):
            close()
            current = {"name": pin[1], "version": pin[2], "hashes": [], "via": []}
        elif current is None:
            raise LockError(f"line {number}: expected name==version")
        elif hashed := _HASH.match(line):
            current["hashes"].append(hashed[1])
        elif via := _VIA_ONE.match(line):
            current["via"].append(via[1])
        elif more := _VIA_MANY.match(line):
            current["via"].append(more[1])
        elif line.strip() not in ("# via",) and not line.startswith("#"):
            raise LockError(f"line {number}: unexpected {line.strip()[:40]!r}")
    close()
    return packages


def closure(lock: dict[str, Locked], roots: tuple[str, ...]) -> tuple[Locked, ...]:
    """The roots plus every locked package required, directly or not, by one of them, sorted by name."""
    missing = [r for r in roots if normalise(r) not in lock]
    if missing:
        raise LockError(f"not in requirements.lock: {', '.join(missing)}")
    needed = {normalise(r) for r in roots}
    while True:
        more = {
            name
            for name, p in lock.items()
            if name not in needed and any((parent, name) not in EXTRA_ONLY_EDGES for parent in p.via & needed)
        }
        if not more:
            return tuple(lock[name] for name in sorted(needed))
        needed |= more


def render(image: str, packages: tuple[Locked, ...]) -> str:
    header = (
        f"# The {image} image's dependencies with requirements.lock's versions and hashes, for\n"
        f"# `pip install --require-hashes -r`. Generated: python -m exporters.image_requirements\n"
    )
    return header + "\n".join(p.render() for p in packages) + "\n"


def requirements_path(image: str) -> Path:
    return REPO / "exporters" / image / "requirements.txt"


def expected(lock_text: str) -> dict[str, str]:
    """image -> the requirements.txt text it should have."""
    lock = parse_lock(lock_text)
    return {image: render(image, closure(lock, roots)) for image, roots in IMAGE_ROOTS.items()}


@click.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a file differs from the lock.")
@click.option("--dry-run", is_flag=True, help="Print which files would change; write nothing.")
def main(check: bool, dry_run: bool) -> None:
    """Write exporters/<image>/requirements.txt from requirements.lock (versions and hashes unchanged)."""
    try:
        wanted = expected(LOCK.read_text(encoding="utf-8"))
    except OSError as exc:
        click.echo(f"image-requirements: cannot read {LOCK}: {exc.strerror}", err=True)
        sys.exit(2)
    except LockError as exc:
        click.echo(f"image-requirements: {LOCK.name}: {exc}", err=True)
        sys.exit(2)
    stale = [
        image
        for image, text in wanted.items()
        if not requirements_path(image).exists() or requirements_path(image).read_text(encoding="utf-8") != text
    ]
    for image in stale:
        click.echo(
            f"{'stale' if check else 'would write' if dry_run else 'writing'}: "
            f"{requirements_path(image).relative_to(REPO)}"
        )
    if check:
        sys.exit(1 if stale else 0)
    if not dry_run:
        for image in stale:
            write_text(requirements_path(image), wanted[image])


if __name__ == "__main__":
    main()
