"""requirements.lock stays the install source `make` can trust: every pin of pyproject.toml is in it at the
same version, and every package in it carries at least one sha256 hash (so `pip install --require-hashes`
works and a tampered download is refused). Regenerate with `make lock` when this fails.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>[^\s;\\]+)")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) for every requirement block of the lock file."""
    blocks: dict[str, tuple[str, int]] = {}
    current = None
    for line in LOCK.read_text().splitlines():
        match = _PIN.match(line)
        if match:
            current = _normalise(match["name"])
            blocks[current] = (match["version"], 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = blocks[current]
            blocks[current] = (version, hashes + 1)
        elif not line.startswith(" "):
            current = None
    return blocks


def declared() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    out = {}
    for pin in pins:
        match = _PIN.match(pin)
        assert match, f"pyproject.toml: {pin!r} is not pinned with =="
        out[_normalise(match["name"])] = match["version"]
    return out


def test_every_pyproject_pin_is_locked_at_the_same_version() -> None:
    lock = locked()
    stale = {
        name: (version, lock.get(name, ("missing", 0))[0])
        for name, version in declared().items()
        if lock.get(name, ("", 0))[0] != version
    }
    assert not stale, f"requirements.lock is stale (pyproject, lock): {stale}; run `make lock`"


def test_every_locked_package_has_a_hash_and_no_index_of_this_machine() -> None:
    lock = locked()
    assert len(lock) >= len(declared())
    unhashed = sorted(name for name, (_, hashes) in lock.items() if hashes == 0)
    assert not unhashed, f"packages without --hash in requirements.lock: {unhashed}"
    text = LOCK.read_text()
    assert "--index-url" not in text and "--find-links" not in text and "file://" not in text
